"""The build as one straight chain of plain functions; Dagster's assets and tests call these.

    scan_raw_folder → parse_new → assemble → derive → validate → load (staging file)
    → build_marts → publish

Each stage takes the previous stage's output once and hands on one value. `build_warehouse` runs
the whole chain in-process; the Dagster assets run the same functions one asset each.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from pipelines.ingest.lock import hold_warehouse
from pipelines.ingest.parse_pool import IngestStats, parse_new
from pipelines.ingest.raw_folder import MANIFEST_CSV, GivenManifest, read_given, scan_raw_folder
from pipelines.tables.derive import choose_counted, derive, several_reports
from pipelines.tables.frames import REJECTED_SCHEMA, REPORT_SCHEMA, ReportFrames
from pipelines.tables.parse_store import record_removals, store_beside
from pipelines.tables.validate import validate_derived
from pipelines.warehouse.load import LoadSummary, build_marts, publish, stage_warehouse, staging_path, summarize

log = logging.getLogger(__name__)


@dataclass
class Assembled:
    """The reports' own frames for the files now in the raw folder, read from the store."""

    parts: ReportFrames
    rejected: pl.DataFrame
    removed: pl.DataFrame
    stored_invalid: pl.DataFrame  # rows that failed validation when their report was stored
    manifest_problems: tuple[str, ...] = ()  # manifest.csv / report_choice.csv rows skipped, each naming its row
    fetch_log: pl.DataFrame | None = None  # the collector's log beside the raw folder, if any


# The reports' columns that come from manifest.csv, joined at assembly (never stored with a parse).
_GIVEN_COLUMNS = ("given_agency", "given_year", "source_url", "fetched_at", "announced_by", "withdrawn_seen_at")


def apply_given(frames: ReportFrames, files: pl.DataFrame, given: GivenManifest) -> tuple[ReportFrames, list[str]]:
    """The reports with what the collector gave for their files (manifest.csv) in given_agency,
    given_year, source_url, fetched_at, withdrawn_seen_at and announced_by (the page's file made
    its content hash); and a message for each manifest row naming no file in the raw folder, or a
    page that is not there. Joined here, at assembly, so a parse never depends on the manifest."""
    present = files.get_column("source_file").implode()
    absent = given.rows.filter(~pl.col("source_file").is_in(present))
    no_page = given.rows.filter(
        pl.col("source_file").is_in(present) & pl.col("page").is_not_null() & ~pl.col("page").is_in(present)
    )
    problems = [
        *given.problems,
        *(
            f"{MANIFEST_CSV} row {row} ({name}): no such file in the raw folder; row skipped"
            for name, row in absent.select("source_file", "row").iter_rows()
        ),
        *(
            f"{MANIFEST_CSV} row {row} ({name}): its page {page} is not in the raw folder; announced_by left empty"
            for name, page, row in no_page.select("source_file", "page", "row").iter_rows()
        ),
    ]
    pages = files.select(pl.col("source_file").alias("page"), pl.col("source_sha256").alias("announced_by"))
    rows = given.rows.join(pages, on="page", how="left").drop("row", "page")
    reports = (
        # strict=False: a parse stored before a column was added does not have it
        frames.reports.drop(*_GIVEN_COLUMNS, "counted", strict=False)
        .join(rows, on="source_file", how="left")
        .with_columns(pl.lit(False).alias("counted"))  # chosen over all reports: choose_counted
        .select(list(REPORT_SCHEMA))
        .cast(REPORT_SCHEMA)
    )
    return replace(frames, reports=reports), problems


def assemble(manifest: pl.DataFrame, warehouse: Path, given: GivenManifest | None = None) -> Assembled:
    """The readings of the files now in the raw folder (a content under a second name is read
    once; the second name is rejected), with what the collector's manifest.csv gives for them, and
    the files removed since the last published build."""
    store = store_beside(warehouse)
    frames, rejected, stored_invalid = store.load(manifest)
    given = given or GivenManifest.empty()
    frames, manifest_problems = apply_given(frames, manifest, given)
    reports, choice_problems = choose_counted(frames.reports, given.choices)
    frames = replace(frames, reports=reports)
    manifest_problems = [*manifest_problems, *choice_problems]
    for problem in manifest_problems:
        log.warning("%s", problem)
    first = manifest.unique("source_sha256", keep="first", maintain_order=True).select(
        "source_sha256", pl.col("source_file").alias("first")
    )
    copies = (
        manifest.join(first, on="source_sha256")
        .filter(pl.col("source_file") != pl.col("first"))
        .select(
            "source_file", "source_sha256", pl.format("{}: same content as {}", "source_file", "first").alias("reason")
        )
    )
    rejected = pl.concat([rejected, copies.cast(REJECTED_SCHEMA)]).sort("source_file")
    own = store.bookkeeping(warehouse)
    previous_path = own / "manifest.parquet"
    previous = pl.read_parquet(previous_path) if previous_path.is_file() else manifest.clear()
    removed = record_removals(previous, manifest, own / "removals.parquet")
    fetch_log = given.fetch_log
    return Assembled(frames, rejected, removed, stored_invalid, tuple(manifest_problems), fetch_log)


@dataclass
class StagedWarehouse:
    """A complete warehouse file waiting to be published, and what the checks and the build
    summary need to know about it (small: no fact rows)."""

    path: str
    summary: LoadSummary
    quality: pl.DataFrame
    findings: pl.DataFrame
    rejected: pl.DataFrame
    removed: pl.DataFrame
    invalid: dict[str, pl.DataFrame]  # per table, a sample of the failing rows
    invalid_counts: dict[str, int]
    failure_cases: dict[str, int]
    manifest_problems: tuple[str, ...] = ()  # manifest.csv / report_choice.csv rows skipped (build warnings)
    agency_years_with_several_reports: int = 0  # see the duplicate_reports view and D1 findings


def stage_current(
    manifest: pl.DataFrame, warehouse: Path, staging: Path, given: GivenManifest | None = None
) -> StagedWarehouse:
    """assemble → derive → validate → load, into a new database file at `staging`; `given` is
    the raw folder's manifest.csv (read_given), if any."""
    assembled = assemble(manifest, warehouse, given)
    tables = derive(assembled.parts, assembled.rejected, assembled.removed, assembled.fetch_log)
    checked = validate_derived(tables, assembled.stored_invalid)
    rejected_rows = checked.rejected_rows()
    stage_warehouse(checked.tables, rejected_rows, staging)
    counts = {name: frame.height for name, frame in checked.invalid.items()}
    for table, n in assembled.stored_invalid.group_by("table_name").len().iter_rows():
        counts[table] = counts.get(table, 0) + n
    return StagedWarehouse(
        path=str(staging),
        summary=summarize(checked.tables, rejected_rows, Path(warehouse)),
        quality=checked.tables.quality,
        findings=checked.tables.findings.join(
            checked.tables.reports.select("source_sha256", "source_file"), on="source_sha256", how="left"
        ),
        rejected=checked.tables.rejected,
        removed=checked.tables.removed,
        invalid={name: frame.head(10) for name, frame in checked.invalid.items()},
        invalid_counts=counts,
        failure_cases={name: frame.height for name, frame in checked.failure_cases.items()},
        manifest_problems=assembled.manifest_problems,
        agency_years_with_several_reports=several_reports(checked.tables.reports),
    )


def remember_manifest(manifest: pl.DataFrame, warehouse: Path) -> None:
    """After a published build: what the raw folder held, to tell removed files next time."""
    path = store_beside(warehouse).bookkeeping(warehouse) / "manifest.parquet"
    tmp = path.with_name(f".{path.name}.tmp")
    manifest.write_parquet(tmp)
    os.replace(tmp, path)


def publish_staged(staged: StagedWarehouse, manifest: pl.DataFrame, warehouse: Path) -> LoadSummary:
    """Publish the staging file over the warehouse, then remember what the raw folder held."""
    publish(Path(staged.path), warehouse)
    remember_manifest(manifest, warehouse)
    return staged.summary


@dataclass(frozen=True)
class BuildResult:
    stats: IngestStats
    staged: StagedWarehouse
    summary: LoadSummary


def build_warehouse(raw_dir: Path, warehouse: Path, workers: int | None = None, wait: float = 0.0) -> BuildResult:
    """The whole chain in this process: the same functions, in the same order, as the Dagster
    job (which `xxgk build` runs), holding the warehouse's lock throughout (waiting up to `wait`
    seconds for another build; WarehouseBusy if it does not finish). A failure leaves the
    published warehouse as it was."""
    warehouse = Path(warehouse)
    with hold_warehouse(warehouse, wait):
        manifest = scan_raw_folder(raw_dir, warehouse)
        stats = parse_new(manifest, warehouse, workers=workers)
        staging = staging_path(warehouse)
        try:
            staged = stage_current(manifest, warehouse, staging, read_given(raw_dir))
            build_marts(staging)
            summary = publish_staged(staged, manifest, warehouse)
        finally:
            for leftover in (staging, staging.with_name(staging.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
    return BuildResult(stats, staged, summary)
