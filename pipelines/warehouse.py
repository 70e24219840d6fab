"""Loading the tidy tables into DuckDB.

A build writes a complete new database file beside the old one, checkpoints it and renames it
over the old one (an atomic rename on POSIX). A reader therefore sees the previous warehouse or
the new one, never a half-written one, and a build that dies leaves the old warehouse untouched.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import sqlglot

from models.catalog import CATALOG_DIR
from pipelines.tidy import TidyTables

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
# Build order: tables first (schema.sql), then views that read them.
_DDL_FILES = ("schema.sql", "views.sql")


def sql_file(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def statements(sql: str) -> list[str]:
    """Split a SQL file into statements with sqlglot (which also proves that it parses)."""
    return [e.sql(dialect="duckdb") for e in sqlglot.parse(sql, read="duckdb") if e is not None]


@dataclass(frozen=True)
class LoadSummary:
    path: Path
    reports: int
    facts: int
    rejected: int
    rejected_rows: int
    repairs: int
    findings: int
    rule_failures: int


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    con.register("_frame", frame.to_arrow())
    try:
        # `table` is one of this module's own table names, never user input.
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def write_warehouse(tables: TidyTables, rejected_rows: pl.DataFrame, path: Path) -> LoadSummary:
    """Build a complete warehouse in a new file and publish it atomically at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{uuid.uuid4().hex[:8]}")
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name in _DDL_FILES[:1]:
                for stmt in statements(sql_file(name)):
                    con.execute(stmt)
            _insert(con, "catalog_rows", pl.read_csv(CATALOG_DIR / "rows.csv", infer_schema=False))
            _insert(con, "catalog_columns", pl.read_csv(CATALOG_DIR / "columns.csv", infer_schema=False))
            for table, frame in tables.frames().items():  # reports first: the others refer to it
                _insert(con, table, frame)
            _insert(con, "rejected_rows", rejected_rows)
            for name in _DDL_FILES[1:]:
                for stmt in statements(sql_file(name)):
                    con.execute(stmt)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        with contextlib.suppress(FileNotFoundError):
            tmp.with_name(tmp.name + ".wal").unlink()
    return LoadSummary(
        path=path,
        reports=tables.reports.height,
        facts=tables.facts.height,
        rejected=tables.rejected.height,
        rejected_rows=rejected_rows.height,
        repairs=tables.repairs.height,
        findings=tables.findings.height,
        rule_failures=tables.findings.filter(pl.col("severity") == "error").height,
    )


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
