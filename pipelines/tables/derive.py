"""Derive: what needs all reports at once, added to the reports' own frames.

C6 (carry-over across an agency's years), year-over-year outliers, the per-report quality summary
and the agency dimension. One step of the build's chain: assemble → **derive** → validate → load.
"""

from __future__ import annotations

import polars as pl

from models.vocab import FindingRule, Severity, ValueStatus
from pipelines.checks.across_years import carry_over, outliers
from pipelines.tables.frames import (
    FINDING_SCHEMA,
    QUALITY_SCHEMA,
    REMOVED_SCHEMA,
    Rejection,
    ReportFrames,
    TidyTables,
    rejected_frame,
    report_frames,
)
from pipelines.template.divisions import resolve_agencies
from pipelines.template.report import ParsedReport


def derive(parts: ReportFrames, rejected: pl.DataFrame, removed: pl.DataFrame | None = None) -> TidyTables:
    """The warehouse's tables from the reports' own frames, the rejected files and the files
    removed since an earlier build."""
    c6_findings, c6_checked = carry_over(parts.facts)
    findings = pl.concat([parts.findings, c6_findings.cast(FINDING_SCHEMA), outliers(parts.facts).cast(FINDING_SCHEMA)])
    return TidyTables(
        reports=parts.reports,
        facts=parts.facts,
        repairs=parts.repairs,
        findings=findings,
        rejected=rejected,
        narrative_figures=parts.narrative_figures,
        quality=quality_frame(parts, findings, c6_checked),
        removed=removed if removed is not None else pl.DataFrame(schema=REMOVED_SCHEMA),
        dim_agency=resolve_agencies(parts.reports.get_column("agency").drop_nulls().unique().sort().to_list()),
    )


def derive_reports(reports: list[ParsedReport], rejected: list[Rejection] | None = None) -> TidyTables:
    """The same tables for reports parsed in memory (`xxgk check FILE`, tests of the rules)."""
    return derive(report_frames(reports), rejected_frame(rejected or []))


def quality_frame(parts: ReportFrames, findings: pl.DataFrame, c6_checked: pl.DataFrame) -> pl.DataFrame:
    """Per report: cells found of expected, rule checks made and failed, warnings, repairs."""
    cells = parts.facts.group_by("source_sha256").agg(
        pl.len().alias("cells_expected"), (pl.col("value_status") != ValueStatus.MISSING).sum().alias("cells_found")
    )
    per_report = findings.group_by("source_sha256").agg(
        (pl.col("severity") == Severity.ERROR).sum().alias("rule_failures"),
        (pl.col("severity") == Severity.WARNING).sum().alias("warnings"),
        pl.col("rule").filter(pl.col("severity") == Severity.ERROR).unique().sort().str.join(",").alias("failed_rules"),
    )
    repairs = parts.repairs.group_by("source_sha256").agg(pl.len().alias("repairs"))
    quality = (
        parts.reports.select(
            "source_sha256",
            "source_file",
            "agency",
            "year",
            "reading",
            pl.when(pl.col("problems").is_null())
            .then(0)
            .otherwise(pl.col("problems").str.split("; ").list.len())
            .alias("problems"),
        )
        .join(cells, on="source_sha256", how="left")
        .join(parts.rule_checks, on="source_sha256", how="left")
        .join(c6_checked, on="source_sha256", how="left")
        .join(per_report, on="source_sha256", how="left")
        .join(repairs, on="source_sha256", how="left")
        .with_columns(
            pl.col("cells_expected").fill_null(0),
            pl.col("cells_found").fill_null(0),
            (pl.col("checks").fill_null(0) + pl.col(FindingRule.C6).fill_null(0)).alias("rule_checks"),
            pl.col("rule_failures").fill_null(0),
            pl.col("warnings").fill_null(0),
            pl.when(pl.col("failed_rules") == "").then(None).otherwise(pl.col("failed_rules")).alias("failed_rules"),
            pl.col("repairs").fill_null(0),
        )
        .with_columns((pl.col("cells_expected") - pl.col("cells_found")).alias("cells_missing"))
    )
    return quality.select(list(QUALITY_SCHEMA)).cast(QUALITY_SCHEMA)
