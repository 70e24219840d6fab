"""Parsed reports → the warehouse's tidy polars frames (one row per cell, per report, …)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from pipelines.findings import RuleResults, check_report
from pipelines.history import carry_over, outliers
from pipelines.parse import ParsedReport

FACT_SCHEMA = {
    "source_sha256": pl.String,
    "source_file": pl.String,
    "agency": pl.String,
    "year": pl.Int32,
    "template": pl.String,
    "section": pl.Int8,
    "table_key": pl.String,
    "row_key": pl.String,
    "column_key": pl.String,
    "value": pl.Float64,
    "raw_text": pl.String,
    "value_status": pl.String,
}
REPORT_SCHEMA = {
    "source_sha256": pl.String,
    "source_file": pl.String,
    "agency": pl.String,
    "year": pl.Int32,
    "template": pl.String,
    "template_evidence": pl.String,
    "layout": pl.String,
    "reading": pl.String,
    "cells_expected": pl.Int32,
    "cells_found": pl.Int32,
    "problems": pl.String,
}
REPAIR_SCHEMA = {
    "source_sha256": pl.String,
    "label": pl.String,
    "printed": pl.String,
    "moves": pl.String,
    "reason": pl.String,
}
FINDING_SCHEMA = {
    "source_sha256": pl.String,
    "rule": pl.String,
    "scope": pl.String,
    "cells": pl.String,
    "expected": pl.Float64,
    "printed": pl.Float64,
    "severity": pl.String,
    "message": pl.String,
}
REJECTED_SCHEMA = {"source_file": pl.String, "source_sha256": pl.String, "reason": pl.String}
NARRATIVE_SCHEMA = {
    "source_sha256": pl.String,
    "topic": pl.String,
    "section": pl.Int8,
    "table_key": pl.String,
    "row_key": pl.String,
    "column_key": pl.String,
    "stated_value": pl.Float64,
    "table_value": pl.Float64,
    "clause": pl.String,
}
QUALITY_SCHEMA = {
    "source_sha256": pl.String,
    "source_file": pl.String,
    "agency": pl.String,
    "year": pl.Int32,
    "reading": pl.String,
    "cells_expected": pl.Int32,
    "cells_found": pl.Int32,
    "cells_missing": pl.Int32,
    "rule_checks": pl.Int32,
    "rule_failures": pl.Int32,
    "failed_rules": pl.String,
    "warnings": pl.Int32,
    "repairs": pl.Int32,
    "problems": pl.Int32,
}


@dataclass(frozen=True)
class Rejection:
    source_file: str
    source_sha256: str | None
    reason: str


@dataclass
class TidyTables:
    reports: pl.DataFrame
    facts: pl.DataFrame
    repairs: pl.DataFrame
    findings: pl.DataFrame
    rejected: pl.DataFrame
    narrative_figures: pl.DataFrame
    quality: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """Every table by its warehouse name."""
        return {
            "reports": self.reports,
            "facts": self.facts,
            "repairs": self.repairs,
            "findings": self.findings,
            "rejected": self.rejected,
            "narrative_figures": self.narrative_figures,
            "quality": self.quality,
        }


def facts_frame(reports: list[ParsedReport]) -> pl.DataFrame:
    records = [
        {
            "source_sha256": r.source_sha256,
            "source_file": r.source_file,
            "agency": r.agency,
            "year": r.year,
            "template": r.template,
            "section": key.section,
            "table_key": key.table_key,
            "row_key": key.row_key,
            "column_key": key.column_key,
            "value": cell.value,
            "raw_text": cell.raw_text,
            "value_status": cell.status,
        }
        for r in reports
        for key, cell in r.cells.items()
    ]
    return pl.DataFrame(records, schema=FACT_SCHEMA)


def reports_frame(reports: list[ParsedReport]) -> pl.DataFrame:
    records = [
        {
            "source_sha256": r.source_sha256,
            "source_file": r.source_file,
            "agency": r.agency,
            "year": r.year,
            "template": r.template,
            "template_evidence": r.template_evidence,
            "layout": r.layout,
            "reading": r.reading,
            "cells_expected": len(r.cells),
            "cells_found": sum(1 for c in r.cells.values() if c.status != "missing"),
            "problems": "; ".join(r.problems) or None,
        }
        for r in reports
    ]
    return pl.DataFrame(records, schema=REPORT_SCHEMA)


def tidy(reports: list[ParsedReport], rejected: list[Rejection]) -> TidyTables:
    repairs = [
        {
            "source_sha256": r.source_sha256,
            "label": rep.label,
            "printed": json.dumps(list(rep.printed), ensure_ascii=False),
            "moves": json.dumps([{"figure": f, "from": a, "to": b} for f, a, b in rep.moves], ensure_ascii=False),
            "reason": rep.reason,
        }
        for r in reports
        for rep in r.repairs
    ]
    results = {r.source_sha256: check_report(r) for r in reports}
    own = pl.DataFrame(
        [{"source_sha256": sha, **f.__dict__} for sha, res in results.items() for f in res.findings], schema=FINDING_SCHEMA
    )
    facts = facts_frame(reports)
    c6_findings, c6_checked = carry_over(facts)
    findings = pl.concat([own, c6_findings.cast(FINDING_SCHEMA), outliers(facts).cast(FINDING_SCHEMA)])
    narrative = [
        {
            "source_sha256": r.source_sha256,
            "topic": f.topic,
            "section": f.cell.section if f.cell else None,
            "table_key": f.cell.table_key if f.cell else None,
            "row_key": f.cell.row_key if f.cell else None,
            "column_key": f.cell.column_key if f.cell else None,
            "stated_value": f.value,
            "table_value": r.cells[f.cell].value if f.cell and f.cell in r.cells else None,
            "clause": f.text,
        }
        for r in reports
        for f in r.stated
    ]
    return TidyTables(
        reports=reports_frame(reports),
        facts=facts,
        repairs=pl.DataFrame(repairs, schema=REPAIR_SCHEMA),
        findings=findings,
        rejected=pl.DataFrame([rej.__dict__ for rej in rejected], schema=REJECTED_SCHEMA),
        narrative_figures=pl.DataFrame(narrative, schema=NARRATIVE_SCHEMA),
        quality=quality_frame(reports, results, findings, c6_checked),
    )


def quality_frame(
    reports: list[ParsedReport], results: dict[str, RuleResults], findings: pl.DataFrame, c6_checked: pl.DataFrame
) -> pl.DataFrame:
    """Per report: cells found of expected, rule checks made and failed, warnings, repairs."""
    c6 = dict(c6_checked.iter_rows())
    per_report = findings.group_by("source_sha256").agg(
        (pl.col("severity") == "error").sum().alias("errors"),
        (pl.col("severity") == "warning").sum().alias("warnings"),
        pl.col("rule").filter(pl.col("severity") == "error").unique().sort().str.join(",").alias("failed_rules"),
    )
    counts = {row["source_sha256"]: row for row in per_report.iter_rows(named=True)}
    records = []
    for r in reports:
        found = sum(1 for c in r.cells.values() if c.status != "missing")
        row = counts.get(r.source_sha256, {})
        records.append(
            {
                "source_sha256": r.source_sha256,
                "source_file": r.source_file,
                "agency": r.agency,
                "year": r.year,
                "reading": r.reading,
                "cells_expected": len(r.cells),
                "cells_found": found,
                "cells_missing": len(r.cells) - found,
                "rule_checks": sum(results[r.source_sha256].checked.values()) + c6.get(r.source_sha256, 0),
                "rule_failures": row.get("errors", 0),
                "failed_rules": row.get("failed_rules") or None,
                "warnings": row.get("warnings", 0),
                "repairs": len(r.repairs),
                "problems": len(r.problems),
            }
        )
    return pl.DataFrame(records, schema=QUALITY_SCHEMA)
