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

from models.schemas import MODELS, ReportModel, validate
from pipelines.document import UnreadableDocument
from pipelines.parse import ParsedReport, parse_file
from pipelines.readers import sha256_of
from pipelines.store import ParseStore, hash_files, record_removals
from pipelines.tidy import REJECTED_SCHEMA, Rejection, ReportFrames, TidyTables, assemble, rejected_frame, report_frames, tidy

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


@dataclass
class ValidatedTables:
    tables: TidyTables
    invalid: dict[str, pl.DataFrame]  # per table, the rows that failed its model ("failed_checks")
    failure_cases: dict[str, pl.DataFrame]

    def rejected_rows(self) -> pl.DataFrame:
        """All failing rows of all tables, one row each, kept whole as JSON."""
        parts = [
            frame.select(
                pl.lit(table).alias("table_name"),
                (pl.col("source_sha256") if "source_sha256" in frame.columns else pl.lit(None, pl.String)).alias("source_sha256"),
                pl.struct(pl.exclude("failed_checks")).struct.json_encode().alias("row"),
                "failed_checks",
            )
            for table, frame in self.invalid.items()
            if frame.height
        ]
        schema = {"table_name": pl.String, "source_sha256": pl.String, "row": pl.String, "failed_checks": pl.String}
        return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


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
            digest = sha256_of(path.read_bytes())
            if digest in seen:
                raise UnreadableDocument(f"{path.name}: same content as {seen[digest]}")
            seen[digest] = path.name
            batch.reports.append(parse_file(path))
        except UnreadableDocument as exc:
            batch.rejected.append(Rejection(path.name, digest, str(exc)))
        except Exception as exc:  # a parser bug must not stop the other reports
            log.exception("parser failed on %s", path)
            batch.rejected.append(Rejection(path.name, digest, f"{path.name}: parser error: {type(exc).__name__}: {exc}"))
    return batch


def validate_tables(tables: TidyTables) -> ValidatedTables:
    """pandera on every table. A report whose own row fails is rejected whole, with the reason;
    failing rows of the other tables are kept aside (rejected_rows), never loaded silently."""
    reports = validate(ReportModel, tables.reports)
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
    results = {name: reports if name == "reports" else validate(MODELS[name], frame) for name, frame in frames.items()}
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
    store.add(ReportFrames.concat(parts), rejected_frame(rejected))
    return IngestStats(manifest.height, len(paths), manifest.height - len(paths), time.perf_counter() - start)


def assemble_current(manifest: pl.DataFrame, warehouse: Path) -> tuple[TidyTables, pl.DataFrame]:
    """The tables of the files now in the raw folder, from the store; and the removed files."""
    store = store_for(warehouse)
    frames, rejected = store.load(manifest)
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
    return tables, removed


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
