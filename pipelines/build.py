"""The build's steps as plain functions: Dagster assets and tests call these.

scan the raw folder (content hashes) → parse the contents the store has not seen, in parallel
processes (a bad file becomes a rejection, never an exception that stops the others) → assemble
the tables of the files present from the store → validate (failing rows split off) → write the
warehouse.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from models.schemas import MODELS, ReportModel, Validated, validate
from pipelines.document import UnreadableDocument
from pipelines.parse import ParsedReport, parse_file
from pipelines.readers import sha256_of
from pipelines.store import ParseStore, hash_files, record_removals
from pipelines.warehouse import LoadSummary, stage_warehouse, summarize
from pipelines.tidy import (
    QUALITY_SCHEMA,
    REJECTED_SCHEMA,
    Rejection,
    ReportFrames,
    TidyTables,
    assemble,
    rejected_frame,
    report_frames,
    tidy,
)

log = logging.getLogger(__name__)
progress_log = logging.getLogger("xxgk.progress")
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_RAW_DIR = PROJECT_DIR / "data" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "data" / "warehouse" / "xxgk.duckdb"
_IGNORED = {".gitkeep", ".DS_Store", "README.md"}


@dataclass
class ParseBatch:
    reports: list[ParsedReport] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


REJECTED_ROWS_SCHEMA = {"table_name": pl.String, "source_sha256": pl.String, "row": pl.String, "failed_checks": pl.String}


def as_rejected_rows(invalid: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Failing rows of any tables, one row each, kept whole as JSON."""
    parts = [
        frame.select(
            pl.lit(table).alias("table_name"),
            (pl.col("source_sha256") if "source_sha256" in frame.columns else pl.lit(None, pl.String)).alias("source_sha256"),
            pl.struct(pl.exclude("failed_checks")).struct.json_encode().alias("row"),
            "failed_checks",
        )
        for table, frame in invalid.items()
        if frame.height
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=REJECTED_ROWS_SCHEMA)


@dataclass
class ValidatedTables:
    tables: TidyTables
    invalid: dict[str, pl.DataFrame]  # per table, the rows that failed its model ("failed_checks")
    failure_cases: dict[str, pl.DataFrame]
    stored_invalid: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REJECTED_ROWS_SCHEMA))

    def rejected_rows(self) -> pl.DataFrame:
        """All failing rows of all tables (those found when the reports were stored too)."""
        return pl.concat([self.stored_invalid, as_rejected_rows(self.invalid)])


def discover(raw_dir: Path) -> list[Path]:
    """Report files under raw_dir (recursively), in a stable order."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw report folder not found: {raw_dir}")
    return sorted(
        p for p in raw_dir.rglob("*") if p.is_file() and p.name not in _IGNORED and not p.name.startswith(".")
    )


def parse_all(paths: list[Path]) -> ParseBatch:
    batch = ParseBatch()
    seen: dict[str, str] = {}
    for path in paths:
        digest: str | None = None
        try:
            data = path.read_bytes()
            digest = sha256_of(data)
            if digest in seen:
                raise UnreadableDocument(f"{path.name}: same content as {seen[digest]}")
            seen[digest] = path.name
            batch.reports.append(parse_file(path, data))
        except UnreadableDocument as exc:
            batch.rejected.append(Rejection(path.name, digest, str(exc)))
        except Exception as exc:  # a parser bug must not stop the other reports
            log.exception("parser failed on %s", path)
            batch.rejected.append(Rejection(path.name, digest, f"{path.name}: parser error: {type(exc).__name__}: {exc}"))
    return batch


# Tables each report brings on its own: validated once, when the report enters the parse store.
PER_REPORT_TABLES = ("reports", "facts", "repairs", "narrative_figures")


def _unchecked(frame: pl.DataFrame) -> Validated:
    return Validated(frame, frame.clear().with_columns(pl.lit("").alias("failed_checks")), pl.DataFrame())


def validate_report_frames(frames: ReportFrames) -> tuple[ReportFrames, pl.DataFrame, pl.DataFrame]:
    """pandera on newly parsed reports before they are stored: (the valid frames, rejections of
    reports whose own row fails, the failing rows as rejected_rows)."""
    tables = TidyTables(reports=frames.reports, facts=frames.facts, repairs=frames.repairs, findings=frames.findings,
                        rejected=pl.DataFrame(schema=REJECTED_SCHEMA), narrative_figures=frames.narrative_figures,
                        quality=pl.DataFrame(schema=QUALITY_SCHEMA))
    checked = validate_tables(tables, only=(*PER_REPORT_TABLES, "findings", "rejected"))
    keep = checked.tables.reports.get_column("source_sha256").implode()
    valid = ReportFrames(
        reports=checked.tables.reports, facts=checked.tables.facts, repairs=checked.tables.repairs,
        narrative_figures=checked.tables.narrative_figures, findings=checked.tables.findings,
        rule_checks=frames.rule_checks.filter(pl.col("source_sha256").is_in(keep)),
    )
    return valid, checked.tables.rejected, checked.rejected_rows()


def validate_tables(tables: TidyTables, only: tuple[str, ...] | None = None) -> ValidatedTables:
    """pandera on every table (or those named in `only`; the others pass as they are). A report
    whose own row fails is rejected whole, with the reason; failing rows of the other tables are
    kept aside (rejected_rows), never loaded silently."""
    reports = validate(ReportModel, tables.reports) if only is None or "reports" in only else _unchecked(tables.reports)
    rejected = tables.rejected
    if reports.invalid.height:
        extra = reports.invalid.select(
            "source_file", "source_sha256",
            pl.concat_str([pl.col("source_file"), pl.lit(": invalid report row: "), pl.col("failed_checks")]).alias("reason"),
        )
        rejected = pl.concat([rejected, extra])
    keep = reports.valid.get_column("source_sha256").implode()
    frames = {
        name: frame.filter(pl.col("source_sha256").is_in(keep)) if name not in ("reports", "rejected", "removed") else frame
        for name, frame in tables.frames().items()
    }
    frames["rejected"] = rejected
    results = {
        name: reports if name == "reports" else validate(MODELS[name], frame) if only is None or name in only else _unchecked(frame)
        for name, frame in frames.items()
    }
    valid = {name: r.valid for name, r in results.items()}
    return ValidatedTables(
        TidyTables(**valid),
        {name: r.invalid for name, r in results.items()},
        {name: r.failure_cases for name, r in results.items()},
    )


def tidy_batch(batch: ParseBatch) -> TidyTables:
    return tidy(batch.reports, batch.rejected)


# --- incremental ingestion ------------------------------------------------------------------

@dataclass(frozen=True)
class IngestStats:
    files: int
    parsed: int  # contents parsed by this build
    reused: int  # contents read from the store
    seconds: float


def store_for(warehouse: Path) -> ParseStore:
    return ParseStore(Path(warehouse).parent / "store")


def scan_raw(raw_dir: Path, warehouse: Path) -> pl.DataFrame:
    """The raw folder's files with their content hashes (source_file, path, size, mtime_ns, source_sha256)."""
    store = store_for(warehouse)
    return hash_files(discover(raw_dir), Path(raw_dir), store.root / "filestat.parquet")


def _parse_chunk(paths: list[str]) -> tuple[ReportFrames, list[Rejection]]:
    batch = parse_all([Path(p) for p in paths])
    return report_frames(batch.reports), batch.rejected


def parse_new(
    manifest: pl.DataFrame,
    warehouse: Path,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestStats:
    """Parse the contents of the raw folder that the store has not seen, in parallel processes,
    and keep them in the store."""
    start = time.perf_counter()
    store = store_for(warehouse)
    known = store.known()
    todo = manifest.filter(~pl.col("source_sha256").is_in(list(known))).unique("source_sha256", keep="first", maintain_order=True)
    paths = todo.get_column("path").to_list()
    workers = workers or min(os.cpu_count() or 1, 8)
    size = max(1, min(50, len(paths) // (workers * 4) or 1))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    parts: list[ReportFrames] = []
    rejected: list[Rejection] = []
    done = 0
    if len(paths) <= size or workers == 1:
        results = (_parse_chunk(chunk) for chunk in chunks)
        for chunk, (frames, rejections) in zip(chunks, results):
            parts.append(frames)
            rejected.extend(rejections)
            done += len(chunk)
            if progress:
                progress(done, len(paths))
    else:
        with ProcessPoolExecutor(workers) as pool:
            futures = {pool.submit(_parse_chunk, chunk): len(chunk) for chunk in chunks}
            for future in as_completed(futures):
                frames, rejections = future.result()
                parts.append(frames)
                rejected.extend(rejections)
                done += futures[future]
                if progress:
                    progress(done, len(paths))
    valid, failed_reports, invalid_rows = validate_report_frames(ReportFrames.concat(parts))
    store.add(valid, pl.concat([rejected_frame(rejected), failed_reports]), invalid_rows)
    return IngestStats(manifest.height, len(paths), manifest.height - len(paths), time.perf_counter() - start)


def assemble_current(manifest: pl.DataFrame, warehouse: Path) -> tuple[TidyTables, pl.DataFrame]:
    """The tables of the files now in the raw folder, from the store (removed files in
    `tables.removed`), and the rows that failed validation when they were stored."""
    store = store_for(warehouse)
    frames, rejected, stored_invalid = store.load(manifest)
    # The same content under a second name is read once; the second name is rejected.
    first = manifest.unique("source_sha256", keep="first", maintain_order=True).select("source_sha256", pl.col("source_file").alias("first"))
    copies = manifest.join(first, on="source_sha256").filter(pl.col("source_file") != pl.col("first")).select(
        "source_file", "source_sha256", pl.format("{}: same content as {}", "source_file", "first").alias("reason")
    )
    rejected = pl.concat([rejected, copies.cast(REJECTED_SCHEMA)])
    previous_path = store.root / "manifest.parquet"
    previous = pl.read_parquet(previous_path) if previous_path.is_file() else manifest.clear()
    removed = record_removals(previous, manifest, store.root / "removals.parquet")
    tables = assemble(frames, rejected.sort("source_file"))
    tables.removed = removed
    return tables, stored_invalid


def validate_assembled(tables: TidyTables, stored_invalid: pl.DataFrame) -> ValidatedTables:
    """Validate what the assembly added (the per-report tables were validated when stored)."""
    checked = validate_tables(tables, only=("findings", "quality", "rejected", "removed"))
    checked.stored_invalid = stored_invalid
    return checked


def remember_manifest(manifest: pl.DataFrame, warehouse: Path) -> None:
    """After a published build: what the raw folder held, to tell removed files next time."""
    path = store_for(warehouse).root / "manifest.parquet"
    tmp = path.with_name(f".{path.name}.tmp")
    manifest.write_parquet(tmp)
    os.replace(tmp, path)


def raw_signature(raw_dir: Path) -> str:
    """A cheap fingerprint of the raw folder (names, sizes, mtimes): it changes when a file is
    added, removed or rewritten. The sensor compares it with its cursor."""
    import hashlib

    digest = hashlib.sha256()
    for path in discover(raw_dir):
        st = path.stat()
        digest.update(f"{path.relative_to(raw_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


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


def stage_current(manifest: pl.DataFrame, warehouse: Path, staging: Path) -> StagedWarehouse:
    """Assemble the tables of the files now in the raw folder, validate what the assembly added,
    and write them all into a new database file at `staging`."""
    tables, stored_invalid = assemble_current(manifest, warehouse)
    checked = validate_assembled(tables, stored_invalid)
    rejected_rows = checked.rejected_rows()
    stage_warehouse(checked.tables, rejected_rows, staging)
    counts = {name: frame.height for name, frame in checked.invalid.items()}
    for table, n in stored_invalid.group_by("table_name").len().iter_rows():
        counts[table] = counts.get(table, 0) + n
    return StagedWarehouse(
        path=str(staging),
        summary=summarize(checked.tables, rejected_rows, Path(warehouse)),
        quality=checked.tables.quality,
        findings=checked.tables.findings.join(checked.tables.reports.select("source_sha256", "source_file"), on="source_sha256", how="left"),
        rejected=checked.tables.rejected,
        removed=checked.tables.removed,
        invalid={name: frame.head(10) for name, frame in checked.invalid.items()},
        invalid_counts=counts,
        failure_cases={name: frame.height for name, frame in checked.failure_cases.items()},
    )
