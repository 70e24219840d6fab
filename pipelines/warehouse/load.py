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

from models.catalog import CATALOG_DIR
from models.schemas import CatalogColumnModel, CatalogRowModel, polars_schema
from models.vocab import Severity
from pipelines.tables.frames import TidyTables
from pipelines.warehouse.sqlfiles import sql_file, statements

# Build order: tables first (schema.sql), then views that read them (views.sql), marts last.
_SCHEMA, _VIEWS = "warehouse/schema.sql", "warehouse/views.sql"


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
    con.register("_frame", frame.rechunk().to_arrow())  # one chunk: DuckDB scans it far faster
    try:
        # `table` is one of this module's own table names, never user input.
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def staging_path(path: Path, token: str | None = None) -> Path:
    """Where a build writes the new warehouse before publishing it at `path` (same directory,
    so the final rename is atomic)."""
    return path.with_name(f".{path.name}.staging-{token or uuid.uuid4().hex[:8]}")


def remove_staging_leftovers(path: Path) -> list[Path]:
    """Remove every staging file (and DuckDB WAL) of the warehouse at `path`. Only for a caller
    holding the warehouse's lock (pipelines.ingest.lock): then no live build owns one, and those
    there were left by a build that failed or was killed."""
    removed = []
    for leftover in path.parent.glob(f".{path.name}.staging-*"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
            removed.append(leftover)
    return removed


def stage_warehouse(tables: TidyTables, rejected_rows: pl.DataFrame, staging: Path) -> None:
    """Write every table into a new database file at `staging` (replacing any there)."""
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    staging.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(staging))
    try:
        for stmt in statements(sql_file(_SCHEMA)):
            con.execute(stmt)
        # Read with the catalog models' dtypes: a CSV whose columns drift from them fails here.
        _insert(con, "catalog_rows", pl.read_csv(CATALOG_DIR / "rows.csv", schema=polars_schema(CatalogRowModel)))
        _insert(
            con, "catalog_columns", pl.read_csv(CATALOG_DIR / "columns.csv", schema=polars_schema(CatalogColumnModel))
        )
        for table, frame in tables.frames().items():  # reports first: the others refer to it
            _insert(con, table, frame)
        _insert(con, "rejected_rows", rejected_rows)
        for stmt in statements(sql_file(_VIEWS)):
            con.execute(stmt)
    finally:
        con.close()


def build_marts(staging: Path, names: list[str] | None = None) -> dict[str, int]:
    """Build the marts of sql/marts/ (all, or the named ones) in the staging file, in
    dependency order; returns rows per mart."""
    from pipelines.warehouse.marts import build_mart, discover_marts

    con = duckdb.connect(str(staging))
    try:
        return {m.name: build_mart(con, m) for m in discover_marts() if names is None or m.name in names}
    finally:
        con.close()


def publish(staging: Path, path: Path) -> None:
    """Checkpoint the staging file and rename it over the published warehouse."""
    con = duckdb.connect(str(staging))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(staging, path)
    _fsync_dir(path.parent)


def summarize(tables: TidyTables, rejected_rows: pl.DataFrame, path: Path) -> LoadSummary:
    return LoadSummary(
        path=path,
        reports=tables.reports.height,
        facts=tables.facts.height,
        rejected=tables.rejected.height,
        rejected_rows=rejected_rows.height,
        repairs=tables.repairs.height,
        findings=tables.findings.height,
        rule_failures=tables.findings.filter(pl.col("severity") == Severity.ERROR).height,
    )


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
