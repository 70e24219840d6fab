"""The per-report quality summary, from the warehouse or for one file (`xxgk check`)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.formats.document import UnreadableDocument
from pipelines.tables.derive import derive_reports
from pipelines.template.report import parse_file
from pipelines.warehouse.query import connect_read_only
from pipelines.warehouse.sqlfiles import sql_file

SUMMARY_COLUMNS = [
    "source_file",
    "agency",
    "year",
    "reading",
    "cells_found",
    "cells_expected",
    "cells_unreadable",
    "rule_checks",
    "rule_failures",
    "failed_rules",
    "warnings",
    "repairs",
]
DETAIL_COLUMNS = ["source_file", "rule", "severity", "message"]


def check_warehouse(warehouse: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(one row per report, one row per finding) from a built warehouse."""
    con = connect_read_only(warehouse)
    try:
        summary = con.sql(sql_file("checks/quality_summary.sql")).pl()
        details = con.sql(sql_file("checks/findings_detail.sql")).pl()
    finally:
        con.close()
    return summary, details


def check_file(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The same summary for one file, parsed on its own (C6 and outliers need the warehouse)."""
    try:
        report = parse_file(path)
    except UnreadableDocument as exc:
        raise ValueError(str(exc)) from exc
    tables = derive_reports([report])
    summary = tables.quality.select(SUMMARY_COLUMNS)
    details = tables.findings.with_columns(pl.lit(report.source_file).alias("source_file")).select(DETAIL_COLUMNS)
    return summary, details
