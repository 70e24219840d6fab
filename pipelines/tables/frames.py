"""Parsed reports → the warehouse's tidy polars frames (one row per cell, per report, …)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import polars as pl

from models.schemas import (
    AgencyModel,
    FactModel,
    FetchLogModel,
    FindingModel,
    NarrativeFigureModel,
    QualityModel,
    RejectedModel,
    RemovedModel,
    RepairModel,
    ReportModel,
    polars_schema,
)
from models.vocab import ValueStatus
from pipelines.checks.findings import check_report

# Defined with the readers (light: the raw folder's survey refuses entries before polars loads).
from pipelines.formats.document import Rejection as Rejection
from pipelines.template.report import ParsedReport

# Each table's polars dtypes come from its pandera model (models/schemas.py), the one place a
# column is declared; these names stay for the modules that build or cast frames.
FACT_SCHEMA = polars_schema(FactModel)
REPORT_SCHEMA = polars_schema(ReportModel)
REPAIR_SCHEMA = polars_schema(RepairModel)
FINDING_SCHEMA = polars_schema(FindingModel)
REJECTED_SCHEMA = polars_schema(RejectedModel)
REMOVED_SCHEMA = polars_schema(RemovedModel)
NARRATIVE_SCHEMA = polars_schema(NarrativeFigureModel)
QUALITY_SCHEMA = polars_schema(QualityModel)
AGENCY_SCHEMA = polars_schema(AgencyModel)
FETCH_LOG_SCHEMA = polars_schema(FetchLogModel)
# The analyst's report_choice.csv: the report counted for an agency-year (report: a file name or
# sha256; row: its line, for messages).
CHOICE_SCHEMA = pl.Schema({"agency": pl.String, "year": pl.Int32, "report": pl.String, "row": pl.Int32})


@dataclass
class TidyTables:
    reports: pl.DataFrame
    facts: pl.DataFrame
    repairs: pl.DataFrame
    findings: pl.DataFrame
    rejected: pl.DataFrame
    narrative_figures: pl.DataFrame
    quality: pl.DataFrame
    removed: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REMOVED_SCHEMA))
    dim_agency: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=AGENCY_SCHEMA))
    fetch_log: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FETCH_LOG_SCHEMA))

    def frames(self) -> dict[str, pl.DataFrame]:
        """Every table by its warehouse name."""
        return {
            "removed": self.removed,
            "reports": self.reports,
            "facts": self.facts,
            "repairs": self.repairs,
            "findings": self.findings,
            "rejected": self.rejected,
            "narrative_figures": self.narrative_figures,
            "quality": self.quality,
            "dim_agency": self.dim_agency,
            "fetch_log": self.fetch_log,
        }


def _identity(r: ParsedReport) -> dict[str, object]:
    """The columns that say which report a row belongs to."""
    return {
        "source_sha256": r.source_sha256,
        "source_file": r.source_file,
        "agency": r.agency,
        "year": r.year,
        "template": r.template,
    }


@dataclass
class ReportFrames:
    """Everything one or more reports contribute on their own, keyed by source_sha256: what the
    parse store keeps, so a report is parsed once however many builds follow."""

    reports: pl.DataFrame
    facts: pl.DataFrame
    repairs: pl.DataFrame
    narrative_figures: pl.DataFrame
    findings: pl.DataFrame  # C1–C5 and C7: the rules a report can be checked against alone
    rule_checks: pl.DataFrame  # source_sha256, checks made (C1–C5, C7)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "reports": self.reports,
            "facts": self.facts,
            "repairs": self.repairs,
            "narrative_figures": self.narrative_figures,
            "findings": self.findings,
            "rule_checks": self.rule_checks,
        }

    @classmethod
    def concat(cls, parts: list[ReportFrames]) -> ReportFrames:
        empty = report_frames([])
        return cls(
            **{name: pl.concat([getattr(p, name) for p in parts] or [getattr(empty, name)]) for name in empty.frames()}
        )


# Kept in the parse store only (quality.rule_checks is built from it), so not a warehouse model.
RULE_CHECK_SCHEMA = pl.Schema({"source_sha256": pl.String, "checks": pl.Int32})
# ReportFrames' tables and their columns, in order.
REPORT_TABLES: dict[str, pl.Schema] = {
    "reports": REPORT_SCHEMA,
    "facts": FACT_SCHEMA,
    "repairs": REPAIR_SCHEMA,
    "narrative_figures": NARRATIVE_SCHEMA,
    "findings": FINDING_SCHEMA,
    "rule_checks": RULE_CHECK_SCHEMA,
}

Columns = dict[str, list[object]]


@dataclass
class ReportRows:
    """ReportFrames' rows as plain Python columns (per table, a list per column of its schema):
    what a parse worker sends back. Six polars frames a report cost more to pickle, unpickle and
    concatenate than to build; the parent gathers many reports' rows (`extend`) and builds each
    table's frame once (`frames`)."""

    tables: dict[str, Columns] = field(
        default_factory=lambda: {table: {name: [] for name in schema} for table, schema in REPORT_TABLES.items()}
    )

    def __len__(self) -> int:
        """Reports held."""
        return len(self.tables["reports"]["source_sha256"])

    def extend(self, other: ReportRows) -> None:
        for table, columns in self.tables.items():
            for name, values in other.tables[table].items():
                columns[name].extend(values)

    def frames(self) -> ReportFrames:
        return ReportFrames(
            **{table: pl.DataFrame(self.tables[table], schema=schema) for table, schema in REPORT_TABLES.items()}
        )


def _add(columns: Columns, **values: object) -> None:
    for name, value in values.items():
        columns[name].append(value)


def report_rows(reports: list[ParsedReport]) -> ReportRows:
    """Every row the reports contribute on their own (C1–C5 and C7 checked here)."""
    rows = ReportRows()
    t = rows.tables
    for r in reports:
        identity = _identity(r)
        _add(
            t["reports"],
            **identity,
            template_evidence=r.template_evidence,
            layout=r.layout,
            reading=r.reading,
            cells_expected=len(r.cells),
            cells_found=sum(1 for c in r.cells.values() if c.status != ValueStatus.MISSING),
            problems="; ".join(r.problems) or None,
            # What the collector gave (manifest.csv) is joined at assembly, never stored with a parse.
            given_agency=None,
            given_year=None,
            source_url=None,
            fetched_at=None,
            announced_by=None,
            withdrawn_seen_at=None,
            # Which report of an agency-year the marts count is decided over all reports (derive).
            counted=False,
        )
        # A column at a time: about 200 cells a report, the bulk of what a worker sends.
        facts, keys, cells = t["facts"], list(r.cells), list(r.cells.values())
        for name, value in identity.items():
            facts[name].extend([value] * len(keys))
        facts["section"].extend([k.section for k in keys])
        facts["table_key"].extend([k.table_key for k in keys])
        facts["row_key"].extend([k.row_key for k in keys])
        facts["column_key"].extend([k.column_key for k in keys])
        facts["value"].extend([c.value for c in cells])
        facts["raw_text"].extend([c.raw_text for c in cells])
        facts["value_status"].extend([c.status for c in cells])
        facts["ocr_confidence"].extend([c.confidence for c in cells])
        for rep in r.repairs:
            _add(
                t["repairs"],
                source_sha256=r.source_sha256,
                label=rep.label,
                printed=json.dumps(list(rep.printed), ensure_ascii=False),
                moves=json.dumps([{"figure": f, "from": a, "to": b} for f, a, b in rep.moves], ensure_ascii=False),
                reason=rep.reason,
            )
        for f in r.stated:
            _add(
                t["narrative_figures"],
                source_sha256=r.source_sha256,
                topic=f.topic,
                section=f.cell.section if f.cell else None,
                table_key=f.cell.table_key if f.cell else None,
                row_key=f.cell.row_key if f.cell else None,
                column_key=f.cell.column_key if f.cell else None,
                stated_value=f.value,
                table_value=r.cells[f.cell].value if f.cell and f.cell in r.cells else None,
                clause=f.text,
            )
    # One content's checks once, however many times it was given (the last reading of it).
    for sha, r in {r.source_sha256: r for r in reports}.items():
        result = check_report(r)
        for finding in result.findings:
            _add(t["findings"], source_sha256=sha, **finding.__dict__)
        _add(t["rule_checks"], source_sha256=sha, checks=sum(result.checked.values()))
    return rows


def facts_frame(reports: list[ParsedReport]) -> pl.DataFrame:
    return report_rows(reports).frames().facts


def reports_frame(reports: list[ParsedReport]) -> pl.DataFrame:
    return report_rows(reports).frames().reports


def report_frames(reports: list[ParsedReport]) -> ReportFrames:
    return report_rows(reports).frames()


def rejected_frame(rejected: list[Rejection]) -> pl.DataFrame:
    return pl.DataFrame([rej.__dict__ for rej in rejected], schema=REJECTED_SCHEMA)
