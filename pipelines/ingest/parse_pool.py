"""Parse the raw files the parse store has not seen, in parallel processes.

A bad file becomes a rejection with its reason, never an exception that stops the others.
Newly parsed reports are validated once and kept in the store.
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

from pipelines.formats import sha256_of
from pipelines.formats.document import UnreadableDocument
from pipelines.tables.frames import Rejection, ReportFrames, rejected_frame, report_frames
from pipelines.tables.parse_store import store_beside
from pipelines.tables.validate import validate_report_frames
from pipelines.template.report import ParsedReport, parse_file

log = logging.getLogger(__name__)
progress_log = logging.getLogger("xxgk.progress")


@dataclass
class ParseBatch:
    reports: list[ParsedReport] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class IngestStats:
    files: int
    parsed: int  # contents parsed by this build
    reused: int  # contents read from the store
    seconds: float


def parse_files(paths: list[Path]) -> ParseBatch:
    """Parse each file; a file that cannot be read (or crashes the parser) is a rejection."""
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
            batch.rejected.append(
                Rejection(path.name, digest, f"{path.name}: parser error: {type(exc).__name__}: {exc}")
            )
    return batch


def _parse_chunk(paths: list[str]) -> tuple[ReportFrames, list[Rejection]]:
    batch = parse_files([Path(p) for p in paths])
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
    store = store_beside(warehouse)
    known = store.known()
    todo = manifest.filter(~pl.col("source_sha256").is_in(list(known))).unique(
        "source_sha256", keep="first", maintain_order=True
    )
    paths = todo.get_column("path").to_list()
    workers = workers or min(os.cpu_count() or 1, 8)
    size = max(1, min(50, len(paths) // (workers * 4) or 1))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    parts: list[ReportFrames] = []
    rejected: list[Rejection] = []
    done = 0
    if len(paths) <= size or workers == 1:
        results = (_parse_chunk(chunk) for chunk in chunks)
        for chunk, (frames, rejections) in zip(chunks, results, strict=True):
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
