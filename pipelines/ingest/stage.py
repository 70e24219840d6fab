"""The build as one straight chain of plain functions; Dagster's assets and tests call these.

    scan_raw_folder → parse_new → assemble → derive → validate → load (staging file)
    → build_marts → publish

Each stage takes the previous stage's output once and hands on one value. `build_warehouse` runs
the whole chain in-process; the Dagster assets run the same functions one asset each.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.fingerprint import BuildState, save_state
from pipelines.ingest.incremental import (
    GIVEN_ROWS,
    Changes,
    changes_since_publish,
    copy_published,
    incremental_possible,
    reach,
)
from pipelines.ingest.lock import hold_warehouse
from pipelines.ingest.parse_pool import IngestStats, parse_new
from pipelines.ingest.raw_folder import MANIFEST_CSV, GivenManifest, build_inputs, read_given, scan_raw_folder
from pipelines.ingest.raw_survey import survey_raw_folder
from pipelines.tables.derive import (
    FactsOf,
    attachment_findings,
    cell_counts,
    choose_counted,
    combine_cell_counts,
    derive_groups,
    derive_in_groups,
    read_by_derive,
    report_tables,
    several_reports,
)
from pipelines.tables.frames import FACT_SCHEMA, REJECTED_SCHEMA, REPORT_SCHEMA, ReportFrames, report_frames
from pipelines.tables.parse_store import record_removals, store_beside
from pipelines.tables.validate import validate_batches, validate_derived
from pipelines.warehouse import connection, facts_store
from pipelines.warehouse.facts_paths import facts_dir
from pipelines.warehouse.facts_store import FactsFile
from pipelines.warehouse.load import (
    LoadSummary,
    Replacement,
    build_marts,
    publish,
    published_path,
    replace_rows,
    stage_warehouse,
    staging_path,
    staging_token,
    summarize,
)
from pipelines.warehouse.marts import BuiltMart, NightFacts
from pipelines.warehouse.spill import Spill

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
    """The frames with what the collector gave for their files joined to their reports (given_reports)."""
    reports, problems = given_reports(frames.reports, files, given)
    return replace(frames, reports=reports), problems


def given_reports(reports: pl.DataFrame, files: pl.DataFrame, given: GivenManifest) -> tuple[pl.DataFrame, list[str]]:
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
    joined = (
        # strict=False: a parse stored before a column was added does not have it
        reports.drop(*_GIVEN_COLUMNS, "counted", strict=False)
        .join(rows, on="source_file", how="left")
        .with_columns(pl.lit(False).alias("counted"))  # chosen over all reports: choose_counted
        .select(list(REPORT_SCHEMA))
        .cast(REPORT_SCHEMA)
    )
    return joined, problems


def read_current(
    files: pl.DataFrame,
    warehouse: Path,
    given: GivenManifest,
    everything: pl.DataFrame | None = None,
    facts: bool = True,
) -> tuple[ReportFrames, pl.DataFrame, pl.DataFrame, list[str]]:
    """The readings of `files` from the store (a content under a second name is read once; the
    second name is rejected), with what manifest.csv gives for them: (frames, rejected, rows that
    failed validation when stored, manifest.csv problems). `everything`: the whole raw folder,
    when `files` is a part of it (manifest rows are judged against the whole). `facts=False`:
    the frames without their facts (the store's fact_batches streams them)."""
    store = store_beside(warehouse)
    frames, rejected, stored_invalid = store.load(files, facts=facts)
    frames, manifest_problems = apply_given(frames, files if everything is None else everything, given)
    first = files.unique("source_sha256", keep="first", maintain_order=True).select(
        "source_sha256", pl.col("source_file").alias("first")
    )
    copies = (
        files.join(first, on="source_sha256")
        .filter(pl.col("source_file") != pl.col("first"))
        .select(
            "source_file", "source_sha256", pl.format("{}: same content as {}", "source_file", "first").alias("reason")
        )
    )
    rejected = pl.concat([rejected, copies.cast(REJECTED_SCHEMA)]).sort("source_file")
    return frames, rejected, stored_invalid, manifest_problems


def removals(manifest: pl.DataFrame, warehouse: Path) -> pl.DataFrame:
    """The files removed (or changed) since the last published build, logged."""
    own = store_beside(warehouse).bookkeeping(warehouse)
    previous_path = own / "manifest.parquet"
    previous = pl.read_parquet(previous_path) if previous_path.is_file() else manifest.clear()
    return record_removals(previous, manifest, own / "removals.parquet")


def count_chosen(frames: ReportFrames, given: GivenManifest) -> tuple[ReportFrames, list[str]]:
    """The frames with `counted` set on their reports (every report of an agency-year must be among
    them), and the report_choice.csv rows that name no report."""
    reports, problems = choose_counted(frames.reports, given.choices)
    return replace(frames, reports=reports), problems


def assemble(
    manifest: pl.DataFrame, warehouse: Path, given: GivenManifest | None = None, facts: bool = True
) -> Assembled:
    """The readings of the files now in the raw folder (a content under a second name is read
    once; the second name is rejected), with what the collector's manifest.csv gives for them, the
    entries of the folder that were not read (given.refused) among the rejected, and the files
    removed since the last published build. `facts=False`: without the facts (stream_facts)."""
    given = given or GivenManifest.empty()
    frames, rejected, stored_invalid, manifest_problems = read_current(manifest, warehouse, given, facts=facts)
    frames, choice_problems = count_chosen(frames, given)
    manifest_problems = [*manifest_problems, *choice_problems]
    for problem in manifest_problems:
        log.warning("%s", problem)
    # Links, FIFOs…: never read, rejected with their reason.
    rejected = pl.concat([rejected, given.refused.cast(REJECTED_SCHEMA)]).sort("source_file")
    removed = removals(manifest, warehouse)
    fetch_log = given.fetch_log
    return Assembled(frames, rejected, removed, stored_invalid, tuple(manifest_problems), fetch_log)


@dataclass
class StagedWarehouse:
    """A complete warehouse file waiting to be published, and what the checks and the build
    summary need to know about it: a handle (the file, counts, a few sample rows; what Dagster
    pickles between the steps: kilobytes), never the tables' rows. The rows the checks and the
    summary show are read back from the file (pipelines.warehouse.shown): at `path` until it is
    published, at `summary.path` after."""

    path: str
    summary: LoadSummary
    invalid: dict[str, pl.DataFrame]  # per table, a sample of the failing rows
    invalid_counts: dict[str, int]
    failure_cases: dict[str, int]
    manifest_problems: tuple[str, ...] = ()  # manifest.csv / report_choice.csv rows skipped (build warnings)
    agency_years_with_several_reports: int = 0  # see the duplicate_reports view and D1 findings
    inputs: BuildState | None = None  # what it was built from (saved when it is published)
    # An incremental build: the agencies whose mart rows are computed again (None: every mart
    # is built whole), the reports whose rows it replaced, and the folder of their facts (marts.NightFacts).
    agencies: list[str | None] | None = None
    replaced: int | None = None
    night_facts: str | None = None
    # The facts files the staging file names (its facts_files, as its stage wrote the list): the
    # publish need not open the file to read them (load.publish).
    facts_files: list[FactsFile] | None = None

    def build_marts(self, names: list[str] | None = None, preview_rows: int = 0) -> dict[str, BuiltMart]:
        """Its marts (all, or the named ones): whole, or for the changed agencies only; with
        their first `preview_rows` rows."""
        night = NightFacts(Path(self.night_facts)) if self.night_facts is not None else None
        return build_marts(Path(self.path), names, self.agencies, preview_rows, night)


def stage_current(
    manifest: pl.DataFrame,
    warehouse: Path,
    staging: Path,
    given: GivenManifest | None = None,
    full: bool = False,
) -> StagedWarehouse:
    """The warehouse with the raw folder's files now, in a new database file at `staging`:
    the published one updated where files changed (stage_changes) when it can be, else built
    whole (assemble → derive → validate → load; `full` asks for that). `given` is the raw
    folder's manifest.csv (read_given), if any."""
    inputs = build_inputs(manifest, given) if given is not None else None
    if not full and given is not None and inputs is not None and incremental_possible(warehouse, inputs):
        staged = stage_changes(manifest, warehouse, staging, given)
    else:
        staged = stage_whole(manifest, warehouse, staging, given)
    if given is not None:  # published with the warehouse: the next build compares manifest rows with it
        given.rows.write_parquet(_given_beside(staging))
    return replace(staged, inputs=inputs)


def _given_beside(staging: Path) -> Path:
    """The manifest rows a staging file was built with, beside it until it is published (named as
    a staging leftover, so a failed build's is removed with its staging file)."""
    return Path(staging).with_name(f"{Path(staging).name}.given.parquet")


def stage_changes(manifest: pl.DataFrame, warehouse: Path, staging: Path, given: GivenManifest) -> StagedWarehouse:
    """The published warehouse copied to `staging`, with the rows of the changed files' reports,
    and of every report a change reaches (pipelines.ingest.incremental), read from the store,
    derived, validated and put in place of their old rows."""
    changes = changes_since_publish(manifest, warehouse, given)
    copy_published(warehouse, staging)
    # One connection to the copy for the whole step (what it held, the published facts files, the
    # rows replaced, the summary): opening the file costs DuckDB about 15 ms, five times before.
    con = connection.connect(Path(staging))
    try:
        return _replace_changes(con, manifest, warehouse, staging, given, changes)
    finally:
        con.close()


def _replace_changes(
    con: duckdb.DuckDBPyConnection,
    manifest: pl.DataFrame,
    warehouse: Path,
    staging: Path,
    given: GivenManifest,
    changes: Changes,
) -> StagedWarehouse:
    """stage_changes in its open connection to the copy."""
    before = con.sql(
        "SELECT source_sha256, COALESCE(given_agency, agency) AS agency, announced_by, agency AS read_agency,"
        " given_agency FROM reports"
    ).pl()
    # The entries refused at the last publish (links, FIFOs…: the only rejections without a content).
    refused_before = con.sql("SELECT source_file FROM rejected WHERE source_sha256 IS NULL").pl()
    contents = sorted(changes.contents)
    files = manifest.filter(pl.col("source_sha256").is_in(contents))
    # What the change reaches is found from the changed reports alone (their agencies, pages and
    # attachments); then every table of the changed and the reached reports is read from the
    # store at once (each reading lists the store's segments and opens every table of each).
    changed_now = _marts_agency(given_reports(store_beside(warehouse).reports(files), manifest, given)[0])
    old = before.filter(pl.col("source_sha256").is_in(contents))
    now = pl.concat([before.filter(~pl.col("source_sha256").is_in(contents)).select(changed_now.columns), changed_now])
    reached, agencies = reach(now, set(contents), set(old.get_column("agency")) | set(changed_now.get_column("agency")))
    more = manifest.filter(pl.col("source_sha256").is_in(sorted(reached - changes.contents)))
    # Without their facts: those are streamed below, a batch at a time (a night of 1,000 new files
    # reaches about 12,000 reports at 100,000: their facts whole were 2.4 GiB).
    changed, rejected, stored_invalid, problems = read_current(
        pl.concat([files, more]), warehouse, given, manifest, facts=False
    )
    # `counted` and D1 look across an agency-year: all its reports are among those reached (whole agencies).
    # Choices of agencies not reached were judged when last built (report_choice.csv is unchanged).
    choices = given.choices.filter(pl.col("agency").is_in(sorted(a for a in agencies if a is not None)))
    changed, choice_problems = count_chosen(changed, replace(given, choices=choices))
    problems = [*problems, *choice_problems]
    rejected = pl.concat([rejected, given.refused.cast(REJECTED_SCHEMA)]).sort("source_file")
    tables = report_tables(changed, rejected, removals(manifest, warehouse), given.fetch_log)  # the log replaced whole
    checked = validate_derived(tables, stored_invalid)
    # Derived as a full build derives: the rows derive reads set aside per group of whole agencies,
    # a group at a time; D1 reads its parts' facts from the published files and the night's own.
    groups = derive_groups(changed.reports, facts_store.agency_hash)
    night = NightFacts(_night_facts_beside(staging))
    night.start()
    with Spill(_derive_scratch(staging), FACT_SCHEMA) as kept:
        sifted = _Sifted(changed.reports, groups, kept)
        own: list[pl.DataFrame] = []
        for batch in store_beside(warehouse).fact_batches(pl.concat([files, more])):
            batch = sifted.take(batch)
            own.append(_own_copy(batch.filter(pl.col("source_sha256").is_in(contents))))
            night.add(batch)  # the marts' cut of the facts (every reached report's rows)
        night.finish(sorted(reached))
        kept.close()
        new_facts = pl.concat(own) if own else report_frames([]).facts
        batches = validate_batches(
            derive_in_groups(
                changed,
                groups,
                attachment_findings(changed.reports, sifted.linked()),
                kept.read,
                sifted.cells(),
                _night_facts_of(night),
            ),
            checked,
        )
        derived = [(batch["findings"], batch["quality"]) for batch in batches]  # the night's reports': small
    # The failing rows of each batch are in checked.invalid, hence in its rejected_rows().
    checked.tables = replace(
        checked.tables,
        facts=new_facts,
        findings=pl.concat([f for f, _ in derived]) if derived else checked.tables.findings,
        quality=pl.concat([q for _, q in derived]) if derived else checked.tables.quality,
    )
    names = {
        *old.get_column("read_agency").drop_nulls(),
        *old.get_column("given_agency").drop_nulls(),
        *before.filter(pl.col("source_sha256").is_in(sorted(reached))).get_column("read_agency").drop_nulls(),
        *before.filter(pl.col("source_sha256").is_in(sorted(reached))).get_column("given_agency").drop_nulls(),
        *checked.tables.dim_agency.get_column("agency"),
    }
    facts_files = replace_rows(
        con,
        staging,
        Replacement(
            contents=sorted(reached),
            files=sorted(
                changes.files
                | set(files.get_column("source_file"))
                | set(more.get_column("source_file"))
                | set(refused_before.get_column("source_file"))
                | set(given.refused.get_column("source_file"))
            ),
            tables=checked.tables,
            rejected_rows=checked.rejected_rows(),
            names=sorted(names),
            facts_contents=sorted(changes.contents),
        ),
    )
    summary, counts = summarize(con, Path(warehouse))
    several = several_reports(con.sql("SELECT agency, given_agency, year, given_year FROM reports").pl())
    log.info("incremental build: %d files changed, %d reports replaced", len(changes.files), len(reached))
    return StagedWarehouse(
        path=str(staging),
        summary=summary,
        invalid={name: frame.head(10) for name, frame in checked.invalid.items()},
        invalid_counts=counts,
        failure_cases={name: frame.height for name, frame in checked.failure_cases.items()},
        manifest_problems=tuple(problems),
        agency_years_with_several_reports=several,
        agencies=sorted(agencies, key=lambda a: (a is None, a or "")),
        replaced=len(reached),
        night_facts=str(night.folder),
        facts_files=facts_files,
    )


def _marts_agency(reports: pl.DataFrame) -> pl.DataFrame:
    """source_sha256, agency as the marts count it, announced_by, and both names."""
    return reports.select(
        "source_sha256",
        pl.coalesce("given_agency", "agency").alias("agency"),
        "announced_by",
        pl.col("agency").alias("read_agency"),
        "given_agency",
    )


@dataclass
class StreamedFacts:
    """The facts of a full build, written to their files batch by batch, and what derive needs of
    them: the rows it reads (derive.read_by_derive), set aside per group of reports in `kept`
    (derive.derive_groups), every row of the pages and attachments (A1, across groups) and the
    cells counted per report."""

    files: list[FactsFile]
    kept: Spill
    linked: pl.DataFrame
    cells: pl.DataFrame

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


class _Sifted:
    """What derive needs of a stream of fact batches of `reports` (each batch's rows of other
    contents dropped): the rows it reads (derive.read_by_derive) appended to `kept` by their
    report's group (`groups`: source_sha256, group), every row of the pages and attachments (A1,
    across groups) and the cells counted per report."""

    def __init__(self, reports: pl.DataFrame, groups: pl.DataFrame, kept: Spill) -> None:
        self._wanted = read_by_derive(reports)
        self._shas = reports.get_column("source_sha256").implode()
        announced = reports.filter(pl.col("announced_by").is_not_null())
        self._links = pl.concat([announced.get_column("source_sha256"), announced.get_column("announced_by")]).implode()
        self._groups, self._kept = groups, kept
        self._linked: list[pl.DataFrame] = []
        self._counts: list[pl.DataFrame] = []

    def take(self, batch: pl.DataFrame) -> pl.DataFrame:
        """Set aside what derive needs of this batch; the batch's rows of `reports`."""
        batch = batch.filter(pl.col("source_sha256").is_in(self._shas))
        read = batch.filter(self._wanted).join(self._groups, on="source_sha256", how="left", maintain_order="left")
        for (group,), rows in read.partition_by("group", as_dict=True, include_key=False).items():
            self._kept.append(group, rows)
        # Copies (buffers of their own): a filtered or grouped frame may keep the whole batch's
        # Arrow buffers alive, every fact again when kept per batch.
        self._linked.append(_own_copy(batch.filter(pl.col("source_sha256").is_in(self._links))))
        self._counts.append(_own_copy(cell_counts(batch)))
        return batch

    def linked(self) -> pl.DataFrame:
        return pl.concat(self._linked) if self._linked else report_frames([]).facts

    def cells(self) -> pl.DataFrame:
        return combine_cell_counts(self._counts)


def stream_facts(
    manifest: pl.DataFrame, warehouse: Path, staging: Path, reports: pl.DataFrame, groups: pl.DataFrame, kept: Spill
) -> StreamedFacts:
    """The facts of `reports` (the files in `manifest`) from the parse store to new unpublished facts
    files for `staging`, a batch at a time, setting aside the rows derive reads in `kept` by their
    report's group (`groups`: source_sha256, group), with the pages' and attachments' rows and the
    cell counts."""
    sifted = _Sifted(reports, groups, kept)
    batches = (sifted.take(batch) for batch in store_beside(warehouse).fact_batches(manifest))
    root = facts_dir(published_path(staging))
    files = facts_store.write_streamed(root, staging_token(staging), batches)
    kept.close()
    return StreamedFacts(files, kept, sifted.linked(), sifted.cells())


def _night_facts_of(night: NightFacts) -> FactsOf:
    """D1's reader of some reports' facts in an incremental build: from the night's own files
    (marts.NightFacts), which hold every report the night derives (those it reached, the changed
    ones among them) as the parse store gives them; a content's facts are its parse, so these are
    the rows the facts files hold. Read there, not in the facts files of their partitions: the
    night's rows are a few files of its own reports, the partitions' files every report's."""

    def of(reports: pl.DataFrame) -> pl.DataFrame:
        parts = night.parts()
        if not parts:
            return report_frames([]).facts
        shas = reports.get_column("source_sha256").implode()
        return pl.scan_parquet(parts).filter(pl.col("source_sha256").is_in(shas)).collect()

    return of


def _own_copy(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with buffers of its own. A filtered or grouped frame may keep the whole batch's
    Arrow buffers alive (its strings are views into them): kept per batch, that was every fact
    again (5 GiB at 100,000 reports). A Parquet round trip in memory copies only its rows."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="uncompressed", statistics=False)
    buffer.seek(0)
    return pl.read_parquet(buffer)


def derive_to_files(batches: Iterator[dict[str, pl.DataFrame]], folder: Path) -> dict[str, list[Path]]:
    """Derive (and validate) a group of reports at a time, as `batches` yields them, each batch's
    rows of each table written as a Parquet file in `folder` (none for no rows): table → files."""
    written: dict[str, list[Path]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for k, batch in enumerate(batches):
        for table, frame in batch.items():
            if frame.height:
                path = folder / f"{table}-{k:05d}.parquet"
                frame.write_parquet(path)
                written.setdefault(table, []).append(path)
    return written


def _night_facts_beside(staging: Path) -> Path:
    """Where an incremental build keeps the facts of the reports it reached for its marts (named
    as a staging leftover, so a failed build's is removed with its staging file)."""
    return Path(staging).with_name(f"{Path(staging).name}.night-facts")


def _derive_scratch(staging: Path) -> Path:
    """Where a full build sets aside the rows derive reads (named as a staging leftover, so a
    failed build's is removed with its staging file)."""
    return Path(staging).with_name(f"{Path(staging).name}.derive")


def stage_whole(
    manifest: pl.DataFrame, warehouse: Path, staging: Path, given: GivenManifest | None = None
) -> StagedWarehouse:
    """assemble → derive → validate → load, into a new database file at `staging`. Neither the
    facts nor the findings are ever in memory whole: the facts go from the parse store to their
    files in batches (stream_facts), setting aside the rows derive reads per group of whole
    agencies; each group's findings and quality rows are derived, validated and written to Parquet
    in turn (derive.derive_in_groups, validate.validate_batches), which DuckDB loads under its
    memory limit; what the build reports of them is read back from the staging file."""
    assembled = assemble(manifest, warehouse, given, facts=False)
    parts = assembled.parts
    groups = derive_groups(parts.reports, facts_store.agency_hash)
    with Spill(_derive_scratch(staging), FACT_SCHEMA) as kept:
        facts = stream_facts(manifest, warehouse, staging, parts.reports, groups, kept)
        root = facts_dir(published_path(staging))
        links = attachment_findings(parts.reports, facts.linked)
        tables = report_tables(parts, assembled.rejected, assembled.removed, assembled.fetch_log)
        checked = validate_derived(tables, assembled.stored_invalid)
        batches = validate_batches(
            derive_in_groups(
                parts,
                groups,
                links,
                kept.read,
                facts.cells,
                functools.partial(facts_store.read_reports, root, facts.files),  # D1's, from the files written
            ),
            checked,
        )
        # Taken before the batches run: each batch's failing rows go to its own rejected_rows file
        # (appended), and are added to checked.invalid too (its samples and counts), not loaded twice.
        rejected_rows = checked.rejected_rows()
        appended = derive_to_files(batches, kept.folder)
        files = facts.files
        del groups, facts, links, batches  # derive's part: DuckDB reads what it wrote
        stage_warehouse(checked.tables, rejected_rows, staging, facts_files=files, appended=appended)
    con = connection.connect(staging, read_only=True)
    try:
        summary, counts = summarize(con, Path(warehouse))  # counts: those stored too
    finally:
        con.close()
    return StagedWarehouse(
        path=str(staging),
        summary=summary,
        invalid={name: frame.head(10) for name, frame in checked.invalid.items()},
        invalid_counts=counts,
        failure_cases={name: frame.height for name, frame in checked.failure_cases.items()},
        manifest_problems=assembled.manifest_problems,
        agency_years_with_several_reports=several_reports(checked.tables.reports),
        facts_files=files,
    )


def remember_manifest(manifest: pl.DataFrame, warehouse: Path) -> None:
    """After a published build: what the raw folder held, to tell removed files next time."""
    path = store_beside(warehouse).bookkeeping(warehouse) / "manifest.parquet"
    tmp = path.with_name(f".{path.name}.tmp")
    # lz4, not zstd: written every night and read twice the next (changes_since_publish, removals),
    # a row a raw file: at 100,000 files 0.045 → 0.021 CPU s to write, 0.011 → 0.007 to read, 8 MB.
    manifest.write_parquet(tmp, compression="lz4")
    os.replace(tmp, path)


def publish_staged(staged: StagedWarehouse, manifest: pl.DataFrame, warehouse: Path) -> LoadSummary:
    """Publish the staging file over the warehouse, then remember what the raw folder held and
    what the build was made from (state last: a crash before it means a full build next time)."""
    publish(Path(staged.path), warehouse, staged.facts_files)
    if staged.night_facts is not None:  # the marts' input, read
        NightFacts(Path(staged.night_facts)).remove()
    remember_manifest(manifest, warehouse)
    given_rows = store_beside(warehouse).bookkeeping(warehouse) / GIVEN_ROWS
    if _given_beside(Path(staged.path)).is_file():
        os.replace(_given_beside(Path(staged.path)), given_rows)
    else:  # built without the raw folder's manifest: the next build is full
        given_rows.unlink(missing_ok=True)
    if staged.inputs is not None:
        save_state(warehouse, staged.inputs)
    return staged.summary


@dataclass(frozen=True)
class BuildResult:
    stats: IngestStats
    staged: StagedWarehouse
    summary: LoadSummary


def build_warehouse(
    raw_dir: Path, warehouse: Path, workers: int | None = None, wait: float = 0.0, full: bool = False
) -> BuildResult:
    """The whole chain in this process: the same functions, in the same order, as the Dagster
    job (which `xxgk build` runs), holding the warehouse's lock throughout (waiting up to `wait`
    seconds for another build; WarehouseBusy if it does not finish). A failure leaves the
    published warehouse as it was."""
    warehouse = Path(warehouse)
    with hold_warehouse(warehouse, wait):
        survey = survey_raw_folder(raw_dir)  # once: the scan's files and read_given's refusals
        manifest = scan_raw_folder(raw_dir, warehouse, survey)
        stats = parse_new(manifest, warehouse, workers=workers)
        staging = staging_path(warehouse)
        try:
            staged = stage_current(manifest, warehouse, staging, read_given(raw_dir, survey.refused), full=full)
            staged.build_marts()
            summary = publish_staged(staged, manifest, warehouse)
        finally:
            for leftover in (staging, staging.with_name(staging.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
    return BuildResult(stats, staged, summary)
