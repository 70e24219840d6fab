"""Loading the tidy tables into DuckDB (and the facts into Parquet files beside it).

A build writes a complete new database file beside the old one, checkpoints it and renames it
over the old one (an atomic rename on POSIX). A reader therefore sees the previous warehouse or
the new one, never a half-written one, and a build that dies leaves the old warehouse untouched.
The facts are Parquet files in a folder beside the file (pipelines.warehouse.facts_store): a
build writes new files under new names, the database file it publishes names them, and the
files it superseded are removed after the publish.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from models.catalog import CATALOG_DIR
from models.schemas import CatalogColumnModel, CatalogRowModel, polars_schema
from pipelines.tables.frames import TidyTables
from pipelines.warehouse import connection, facts_store
from pipelines.warehouse.facts_paths import facts_dir
from pipelines.warehouse.sqlfiles import sql_file, statements

if TYPE_CHECKING:
    from pipelines.warehouse.marts import BuiltMart, NightFacts

# Build order: tables first (schema.sql), then views that read them (views.sql), marts last.
_SCHEMA, _VIEWS = "warehouse/schema.sql", "warehouse/views.sql"
_SUMMARY = "warehouse/summary.sql"


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
    removed: int = 0  # files removed since an earlier build (the removed table)


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


def published_path(staging: Path) -> Path:
    """The warehouse a staging file will be published as (staging_path's inverse)."""
    name, _, _ = staging.name.removeprefix(".").rpartition(".staging-")
    return staging.with_name(name)


def staging_token(staging: Path) -> str:
    """The staging file's token: it also names the facts files the build writes."""
    return staging.name.rpartition(".staging-")[2]


def remove_staging_leftovers(path: Path) -> list[Path]:
    """Remove every staging file (and DuckDB WAL and spill folder) of the warehouse at `path`, and
    every facts file it does not name. Only for a caller holding the warehouse's lock
    (pipelines.ingest.lock): then no live build owns one, and those there were left by a build
    that failed or was killed."""
    removed = []
    # A staging file's spill folder (connection.spill_dir) matches too, and the published file's.
    for leftover in [*path.parent.glob(f".{path.name}.staging-*"), connection.spill_dir(path)]:
        with contextlib.suppress(FileNotFoundError):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
            removed.append(leftover)
    return [*removed, *facts_store.sweep(path)]


# The tables whose rows may come from Parquet files after the others (stage_warehouse's `appended`).
_APPENDED = ("findings", "quality", "rejected_rows")


def stage_warehouse(
    tables: TidyTables,
    rejected_rows: pl.DataFrame,
    staging: Path,
    facts_files: list[facts_store.FactsFile] | None = None,
    appended: Mapping[str, list[Path]] | None = None,
) -> None:
    """Write every table into a new database file at `staging` (replacing any there), the facts
    into new Parquet files of the facts folder (hidden until published); or, given `facts_files`
    (already written for this staging file: stage.stream_facts), name those for the facts. `appended`:
    Parquet files of rows to add to some tables (table name → files: a full build's findings and
    quality, written a group of reports at a time), read by DuckDB itself, under the build's memory
    limit (connection.py), so those tables are never in this process's memory whole."""
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    staging.parent.mkdir(parents=True, exist_ok=True)
    con = connection.connect(staging)
    try:
        for stmt in statements(sql_file(_SCHEMA)):
            con.execute(stmt)
        # Read with the catalog models' dtypes: a CSV whose columns drift from them fails here.
        _insert(con, "catalog_rows", pl.read_csv(CATALOG_DIR / "rows.csv", schema=polars_schema(CatalogRowModel)))
        _insert(
            con, "catalog_columns", pl.read_csv(CATALOG_DIR / "columns.csv", schema=polars_schema(CatalogColumnModel))
        )
        for table, frame in tables.frames().items():  # reports first: the others refer to it
            if table != "facts":
                _insert(con, table, frame)
        _insert(con, "rejected_rows", rejected_rows)
        for table, files in (appended or {}).items():
            if table not in _APPENDED:
                raise ValueError(f"stage_warehouse: cannot append rows to {table!r}")
            if files:
                # `table` is one of _APPENDED, never user input; the files are a parameter.
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [[str(f) for f in files]])
        root, token = facts_dir(published_path(staging)), staging_token(staging)
        if facts_files is None:
            facts_files = facts_store.write_partitions(root, token, [], tables.facts)
        facts_store.save_files(con, root, facts_files, token)
        for stmt in statements(sql_file(_VIEWS)):
            con.execute(stmt)
    finally:
        con.close()


def build_marts(
    staging: Path,
    names: list[str] | None = None,
    agencies: list[str | None] | None = None,
    preview_rows: int = 0,
    night: NightFacts | None = None,
) -> dict[str, BuiltMart]:
    """Build the marts of sql/marts/ (all, or the named ones) in the staging file, in
    dependency order; returns each mart's rows and, with `preview_rows`, its preview (read
    through the same connection: opening the file costs DuckDB about 15 ms). With `agencies` (an
    incremental build), only those agencies' rows are computed again (None: the rows without an
    agency), their facts taken from `night` where it has them (marts.NightFacts)."""
    from pipelines.warehouse.marts import (
        BuiltMart,
        build_mart,
        cut_once,
        discover_marts,
        preview,
        refresh_mart,
        touched_reports,
    )

    con = connection.connect(staging)
    try:
        cut: dict[str, str] = {}
        if agencies is not None:
            con.register(
                "_touched_agencies", pl.DataFrame({"agency": agencies}, schema={"agency": pl.String}).to_arrow()
            )
            touched_reports(con, "_touched_agencies", "_touched_reports")
            cut = cut_once(con, "_touched_reports", night)  # the facts read once, not once per mart
        built = {}
        for mart in (m for m in discover_marts() if names is None or m.name in names):
            if agencies is None:
                rows = build_mart(con, mart)
            else:
                rows = refresh_mart(con, mart, "_touched_agencies", "_touched_reports", cut)
            built[mart.name] = BuiltMart(rows, None)
        # Once every mart is built (a mart may read another), as a reader of the file would see them.
        if preview_rows:
            built = {name: BuiltMart(b.rows, preview(con, name, preview_rows)) for name, b in built.items()}
        return built
    finally:
        con.close()


# Tables holding rows of one report each, children (REFERENCES reports) before reports; the
# facts (Parquet files) are replaced apart.
_PER_REPORT = ("repairs", "findings", "narrative_figures", "quality", "reports")


@dataclass(frozen=True)
class Replacement:
    """What an incremental build writes into its copy of the published warehouse: the rows of
    `contents` (content hashes) and the rejections of `files` replaced by `tables`' rows, the
    removal log and the fetch log replaced whole, and the dim_agency rows of `names` computed again.
    Of the facts, only those of `facts_contents` (the contents that changed, among `contents`) are
    replaced: a content's facts are its parse under its file's name, so those of a report that a
    change only reached (another report of its agency) come back the same, and the partitions that
    hold nothing else are left as they are."""

    contents: list[str]
    files: list[str]
    tables: TidyTables
    rejected_rows: pl.DataFrame
    names: list[str]
    facts_contents: list[str]


def replace_rows(con: duckdb.DuckDBPyConnection, staging: Path, change: Replacement) -> list[facts_store.FactsFile]:
    """Delete then insert the changed reports' rows in the staging copy (`con`, open on it). The
    copy is this build's own (readers see the published file until it is renamed over it), so
    the deletes need not share the inserts' transaction, and cannot: DuckDB refuses to delete a
    referenced key and insert it again in one transaction. The facts files of the partitions
    where the changed reports' rows were or go are written again, under new names. Returns the
    facts files the copy names now (its facts_files)."""
    con.register("_contents", pl.DataFrame({"sha": change.contents}, schema={"sha": pl.String}).to_arrow())
    con.register("_files", pl.DataFrame({"name": change.files}, schema={"name": pl.String}).to_arrow())
    con.register("_names", pl.DataFrame({"name": change.names}, schema={"name": pl.String}).to_arrow())
    con.register(
        "_facts_contents",
        pl.DataFrame({"sha": change.facts_contents}, schema={"sha": pl.String}).to_arrow(),
    )
    # Where the old rows are: a report's facts carry its own (text's) agency and year.
    old = con.sql("SELECT agency, year FROM reports WHERE source_sha256 IN (SELECT sha FROM _facts_contents)").pl()
    root, token = facts_dir(published_path(staging)), staging_token(staging)
    facts = change.tables.facts
    files = facts_store.write_partitions(
        root,
        token,
        facts_store.read_files(con),
        facts.filter(pl.col("source_sha256").is_in(change.facts_contents)),
        drop=change.facts_contents,
        touched=facts_store.partitions_of(old),
    )
    # `table` is one of this module's own table names, never user input.
    for table in _PER_REPORT:
        con.execute(f"DELETE FROM {table} WHERE source_sha256 IN (SELECT sha FROM _contents)")
    con.execute(
        "DELETE FROM rejected WHERE source_sha256 IN (SELECT sha FROM _contents)"
        " OR source_file IN (SELECT name FROM _files)"
    )
    con.execute(
        "DELETE FROM rejected_rows WHERE source_sha256 IN (SELECT sha FROM _contents)"
        " OR table_name IN ('removed', 'fetch_log')"
    )
    con.execute("DELETE FROM removed")
    con.execute("DELETE FROM fetch_log")
    con.execute("DELETE FROM dim_agency WHERE agency IN (SELECT name FROM _names)")
    con.execute("BEGIN")
    frames = change.tables.frames()
    for table in ("removed", "fetch_log", *reversed(_PER_REPORT), "rejected"):
        _insert(con, table, frames[table])
    _insert(con, "rejected_rows", change.rejected_rows)
    # A name of a changed report may still be another report's: its row comes back.
    present = con.execute(
        "SELECT name FROM _names WHERE name IN (SELECT agency FROM reports)"
        " OR name IN (SELECT given_agency FROM reports) ORDER BY name"
    ).fetchall()
    _insert(con, "dim_agency", _agency_rows([r[0] for r in present], change.tables.dim_agency))
    facts_store.save_files(con, root, files, token)
    con.execute("COMMIT")
    return files


def _agency_rows(names: list[str], derived: pl.DataFrame) -> pl.DataFrame:
    """dim_agency's rows of `names`: those derive resolved already (`derived`, the changed reports'
    names: resolve_agencies gives a name the same row whenever asked), the others resolved now
    (about 12 ms a night saved: most names are the changed reports' own)."""
    from pipelines.template.divisions import resolve_agencies

    known = derived.filter(pl.col("agency").is_in(names))
    have = set(known.get_column("agency"))
    rest = resolve_agencies([n for n in names if n not in have])
    return pl.concat([known, rest]).sort("agency")


def summarize(con: duckdb.DuckDBPyConnection, published: Path) -> tuple[LoadSummary, dict[str, int]]:
    """The summary of a whole warehouse file (`con`, open on it), and its failing rows per table
    (the rows the build shows are read back when shown: pipelines.warehouse.shown)."""
    relation = con.sql(sql_file(_SUMMARY))
    counts = dict(zip(relation.columns, relation.fetchall()[0], strict=True))
    summary = LoadSummary(path=published, **{name: int(value) for name, value in counts.items()})
    invalid = dict(con.execute("SELECT table_name, count(*) FROM rejected_rows GROUP BY ALL").fetchall())
    return summary, {str(k): int(v) for k, v in invalid.items()}


def publish(staging: Path, path: Path, files: list[facts_store.FactsFile] | None = None) -> None:
    """Rename the build's facts files to their visible names, checkpoint the staging file and
    rename it over the published warehouse, then remove the facts files it no longer names.
    `files`: the facts files the staging file names, where its build knows them (it wrote the
    list): a staging file with no WAL beside it holds every change committed to it, checkpointed
    (DuckDB checkpoints a changed file when its last connection closes, flushes it, then removes
    the WAL), so it is published without opening it again (an opening and closing costs DuckDB
    about 15 ms). Else it is opened, its list read and a checkpoint made, as a WAL left needs."""
    if not staging.is_file():  # DuckDB would create it empty, and the rename publish that
        raise FileNotFoundError(f"{staging}: no staging file to publish")
    if files is None or staging.with_name(staging.name + ".wal").exists():
        con = connection.connect(staging)
        try:
            listed = [
                f.file for f in facts_store.publish_files(facts_store.read_files(con), path, staging_token(staging))
            ]
            con.execute("CHECKPOINT")
        finally:
            con.close()
    else:
        listed = [f.file for f in facts_store.publish_files(files, path, staging_token(staging))]
    os.replace(staging, path)
    facts_store.fsync_path(path.parent)
    facts_store.sweep(path, listed=listed)  # the files it names, read above: not opened again
