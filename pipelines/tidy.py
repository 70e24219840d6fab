"""Parsed reports → the warehouse's tidy polars frames (one row per cell, per report, …)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from pipelines.findings import check_report
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
    findings = [
        {"source_sha256": r.source_sha256, **f.__dict__}
        for r in reports
        for f in check_report(r)
    ]
    return TidyTables(
        reports=reports_frame(reports),
        facts=facts_frame(reports),
        repairs=pl.DataFrame(repairs, schema=REPAIR_SCHEMA),
        findings=pl.DataFrame(findings, schema=FINDING_SCHEMA),
        rejected=pl.DataFrame([rej.__dict__ for rej in rejected], schema=REJECTED_SCHEMA),
    )
