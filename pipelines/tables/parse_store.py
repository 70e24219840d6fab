"""The parse store: every report parsed once, kept by the sha256 of its file.

A nightly build hashes the raw folder (re-hashing only files whose size or mtime changed),
parses only contents it has not seen, and assembles the warehouse from the store. Parsed reports
are kept as Parquet segments, one per batch a build parsed, each written to a temporary folder
and renamed into place, so a build killed at any point leaves the store as it was or with one
more whole segment. Neighbouring segments of about one size are merged (merge_runs), so a
lookup, which opens every segment, opens a few of each size however large the store grows. The
store is keyed by the parser's own version (a hash of its code and catalog): a changed parser
re-parses everything, never mixes old readings with new.

Warehouses in one folder share its store, and their builds may run at once: two may parse the
same content into two segments, so a content's rows are always read from one segment only (the
newest that has it). Reading and adding take a shared lock on the store; merging segments and
removing the temporary folders of killed builds take it exclusively, and only when it is free.
Each warehouse keeps its own bookkeeping (last raw-folder manifest, removal log, stat cache) in
its own folder of the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import polars as pl

from models.schemas import RejectedRowModel, polars_schema
from pipelines.tables.durable import fsync_files, fsync_path
from pipelines.tables.frames import REJECTED_SCHEMA, REMOVED_SCHEMA, ReportFrames, report_frames

if TYPE_CHECKING:
    from pipelines.ingest.raw_survey import SurveyedFile

_PIPELINES = Path(__file__).resolve().parents[1]
# Everything that turns a file into stored rows: the packages that read formats, align them to the
# template, check a report on its own and shape its frames, plus the template catalog (models/).
# Whole packages, not a hand-kept list of files, so no change to reading can leave stale parses.
# A change elsewhere (loading, marts, Dagster, the command) does not re-parse.
PARSER_PACKAGES = (
    _PIPELINES / "formats",
    _PIPELINES / "template",
    _PIPELINES / "checks",
    _PIPELINES / "tables",
    _PIPELINES.parent / "models",
)
# Segments are merged as a log-structured store merges them (Lucene's log merge policy): a run of
# _MERGE_FACTOR neighbouring segments of about one size becomes one segment, so a store of n
# contents has about _MERGE_FACTOR - 1 segments of each size (log n sizes) and each content is
# rewritten about once a size, never the whole store at each merge. Neighbours only: the newest
# reading of a content wins, and a merged segment sits where its run was (see _merged_name).
_MERGE_FACTOR = 8
# Segments smaller than this (bytes on disk) count as one size: a night's few new reports are not
# kept apart from each other by their sizes (a full build's batch of 2,000 generated reports: 0.8 MiB).
_MERGE_FLOOR = 1 << 20
_SIZE_SPAN = 0.75  # a size class: segments within this many powers of _MERGE_FACTOR of the largest
# Rows that failed validation when their report was stored: loaded into rejected_rows as they are.
INVALID_SCHEMA = polars_schema(RejectedRowModel)
# The stat cache of the raw folder: the store's own bookkeeping, not a warehouse table.
MANIFEST_SCHEMA = pl.Schema(
    {"source_file": pl.String, "path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "source_sha256": pl.String}
)
# A warehouse's own files in the store (kept at the store's top before warehouses had folders).
BOOKKEEPING = ("manifest.parquet", "removals.parquet", "filestat.parquet")
_SEG = "_segment"  # which segment a stored row came from (its index in segments()), while reading


def parser_version() -> str:
    """A hash of the code and catalog that turn a file into cells. Hashed again only when a file
    of those packages was added, removed or written since the last hash in this process (their
    stat, 0.2 ms, against 1.5-2.3 ms for the hash; a build asks 9-15 times)."""
    key = (PARSER_PACKAGES, _PIPELINES, _stat_of(PARSER_PACKAGES))
    if _VERSION_SEEN.get("key") != key:
        _VERSION_SEEN.update(key=key, version=_hashed_version())
    return str(_VERSION_SEEN["version"])


_VERSION_SEEN: dict[str, object] = {}


def _stat_of(packages: Sequence[Path]) -> tuple[tuple[str, int, int, int, int], ...]:
    """Every file under the packages with its inode, size, mtime and ctime (ns)."""
    found = []
    for package in packages:
        for folder, subfolders, files in os.walk(package):
            subfolders[:] = [d for d in subfolders if d != "__pycache__"]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:  # a dangling link: not hashed, but its coming or going is seen
                    found.append((path, -1, -1, -1, -1))
                    continue
                found.append((path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(sorted(found))


def _hashed_version() -> str:
    digest = hashlib.sha256()
    for package in PARSER_PACKAGES:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                digest.update(path.relative_to(_PIPELINES.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _write_atomic(frame: pl.DataFrame, path: Path, compression: Literal["zstd", "lz4"] = "zstd") -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    frame.write_parquet(tmp, compression=compression)
    os.replace(tmp, path)


def _read(path: Path, schema: pl.Schema) -> pl.DataFrame:
    return pl.read_parquet(path) if path.is_file() else pl.DataFrame(schema=schema)


def _sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_files(
    files: Sequence[SurveyedFile], stat_cache: Path, unreadable: dict[str, str] | None = None
) -> pl.DataFrame:
    """(source_file, path, size, mtime_ns, source_sha256) for every file, with the size and mtime
    its survey saw; a file whose size and mtime match the cache is not read again. A file that
    cannot be read now (removed or made unreadable since the survey) is left out and, given
    `unreadable`, entered in it (source_file → the error): one such file never stops the night."""
    # Matched as frames, not file by file in Python: at 100,000 files the loop was 0.4 CPU s a build.
    # Each column taken by map over the survey's tuples, not a comprehension a column (100,000
    # files: 0.093 -> 0.077 CPU s; the rest is the survey's Python objects made into Arrow).
    seen = pl.DataFrame(
        {
            "source_file": list(map(attrgetter("name"), files)),
            "path": list(map(attrgetter("path"), files)),
            "size": list(map(attrgetter("size"), files)),
            "mtime_ns": list(map(attrgetter("mtime_ns"), files)),
        },
        schema={name: dtype for name, dtype in MANIFEST_SCHEMA.items() if name != "source_sha256"},
    )
    written = _read(stat_cache, MANIFEST_SCHEMA)
    # A path the cache lists twice (it never should) counts as its last row, as a dict would.
    cache = written.unique("path", keep="last", maintain_order=True)
    manifest = seen.join(
        cache.select("path", "size", "mtime_ns", "source_sha256"),
        on=["path", "size", "mtime_ns"],
        how="left",
        maintain_order="left",
    )
    unread = manifest.filter(pl.col("source_sha256").is_null()).get_column("path").to_list()
    if unread:
        read: dict[str, str] = {}
        failed: dict[str, str] = {}
        for path in unread:
            try:
                read[path] = _sha256_of(path)
            except OSError as error:
                failed[path] = error.strerror or type(error).__name__
        if failed:
            lost = pl.col("path").is_in(list(failed))
            if unreadable is not None:
                unreadable.update(
                    (name, failed[path])
                    for name, path in manifest.filter(lost).select("source_file", "path").iter_rows()
                )
            manifest = manifest.filter(~lost)
        manifest = manifest.with_columns(
            pl.col("source_sha256").fill_null(pl.col("path").replace_strict(read, default=None, return_dtype=pl.String))
        )
    # Written only when a row changed (a run with nothing new keeps the file: 0.001 CPU s to compare
    # at 100,000 files), in lz4 as the manifest is: written most nights, read every run (100,000
    # files: 0.045 -> 0.021 CPU s to write, 0.009 -> 0.005 to read, 4 -> 8 MB).
    if not (stat_cache.is_file() and manifest.equals(written)):
        stat_cache.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(manifest, stat_cache, compression="lz4")
    return manifest


def merge_runs(sizes: Sequence[int], factor: int = _MERGE_FACTOR, floor: int = _MERGE_FLOOR) -> list[range]:
    """The runs of neighbouring segments to merge, given the segments' sizes oldest first: from the
    oldest, the segments down to `_SIZE_SPAN` size classes below the largest left form a band
    (every one under `floor` is one class), and each `factor` neighbours of a band are merged."""
    levels = [math.log(max(size, floor), factor) for size in sizes]
    bottom_level = math.log(floor, factor)
    runs: list[range] = []
    start = 0
    while start < len(levels):
        top = max(levels[start:])
        bottom = -math.inf if top <= bottom_level else max(top - _SIZE_SPAN, bottom_level)
        end = max(i for i in range(start, len(levels)) if levels[i] >= bottom) + 1
        while start + factor <= end:
            runs.append(range(start, start + factor))
            start += factor
        start = end
    return runs


def _segment_bytes(segment: Path) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(segment) if entry.is_file())


def _merged_name(last: Path) -> Path:
    """Where a run's merged segment goes: just after the run's newest (`seg-…+001`, `+002` for a
    merged segment merged again), so before any segment that came after the run. A name taken (a
    merge killed before its run was removed: the same readings) is passed over."""
    base, _, generation = last.name.partition("+")
    number = int(generation or 0) + 1
    while (last.parent / f"{base}+{number:03d}").exists():
        number += 1
    return last.parent / f"{base}+{number:03d}"


def _table_schema(table: str, schema: pl.Schema | None) -> pl.Schema:
    """The columns of a store table none of whose segments has a file: `schema`, or the report frames'."""
    return schema if schema is not None else report_frames([]).frames()[table].schema


@dataclass
class ParseStore:
    root: Path  # <warehouse dir>/store

    @property
    def version_dir(self) -> Path:
        return self.root / parser_version()

    def segments(self) -> list[Path]:
        """The whole segments, oldest first (their names start with the time they were written)."""
        if not self.version_dir.is_dir():
            return []
        return sorted(p for p in self.version_dir.iterdir() if p.is_dir() and p.name.startswith("seg-"))

    @contextlib.contextmanager
    def _locked(self, exclusive: bool = False, block: bool = True) -> Iterator[bool]:
        """Hold the store's lock (shared, or exclusive); with block=False yield False at once
        when it is not free."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if block else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def _scan(self, table: str, schema: pl.Schema | None = None, segments: list[Path] | None = None) -> pl.LazyFrame:
        """A table over every segment, with the segment's index in `_segment`."""
        segments = self.segments() if segments is None else segments
        parts = [
            pl.scan_parquet(seg / f"{table}.parquet").with_columns(pl.lit(i, pl.Int32).alias(_SEG))
            for i, seg in enumerate(segments)
            if (seg / f"{table}.parquet").is_file()
        ]
        if not parts:
            return pl.LazyFrame(schema=_table_schema(table, schema)).with_columns(pl.lit(None, pl.Int32).alias(_SEG))
        return pl.concat(parts, how="diagonal_relaxed")

    def _owners(self, segments: list[Path], wanted: pl.Series | None = None) -> pl.LazyFrame:
        """(source_sha256, _segment): the one segment each content's rows are read from, the
        newest that read it (two builds may have parsed it at once, each into its own segment);
        of the `wanted` contents only, when given (filtered as each segment is read, before the
        grouping: a night's few among 100,000)."""
        keep = pl.col("source_sha256").is_not_null()
        if wanted is not None:
            keep = pl.col("source_sha256").is_in(wanted.implode())
        return (
            pl.concat(
                [
                    self._scan(table, schema, segments).select("source_sha256", _SEG)
                    for table, schema in (("reports", None), ("rejected", REJECTED_SCHEMA))
                ]
            )
            .filter(keep)
            .group_by("source_sha256")
            .agg(pl.col(_SEG).max())
        )

    def _owned(self, table: str, schema: pl.Schema | None, segments: list[Path], owners: pl.LazyFrame) -> pl.LazyFrame:
        return self._scan(table, schema, segments).join(owners, on=["source_sha256", _SEG], how="semi").drop(_SEG)

    def _read_owned(
        self, table: str, schema: pl.Schema | None, segments: list[Path], owners: pl.DataFrame
    ) -> pl.DataFrame:
        """_owned, collected a segment at a time: only the rows wanted are held, never the table
        whole (an incremental build reads a few reports' facts among every stored fact: 3.6 GiB
        at 100,000 reports with polars' streaming engine over every segment at once)."""
        # Only the segments that own a wanted content are opened (a night's few reports are in a
        # few of them); the table's columns come from its schema, as when no segment has rows.
        parts = [pl.DataFrame(schema=_table_schema(table, schema))]
        for i in owners.get_column(_SEG).unique().sort().to_list():
            path = segments[i] / f"{table}.parquet"
            if not path.is_file():
                continue
            mine = owners.filter(pl.col(_SEG) == i).select("source_sha256")
            parts.append(pl.scan_parquet(path).join(mine.lazy(), on="source_sha256", how="semi").collect())
        return pl.concat(parts, how="diagonal_relaxed")

    def known(self) -> set[str]:
        """Every content hash the store has a reading of (a report or a rejection)."""
        with self._locked():
            segments = self.segments()
            # The hashes alone, each once: which segment owns a content is not asked here.
            hashes = pl.concat(
                [
                    self._scan(table, schema, segments).select("source_sha256")
                    for table, schema in (("reports", None), ("rejected", REJECTED_SCHEMA))
                ]
            )
            found = hashes.filter(pl.col("source_sha256").is_not_null()).unique().collect()
        return set(found.get_column("source_sha256").to_list())

    def rejections(self) -> pl.DataFrame:
        """(source_sha256, reason) of every content's stored rejection (from its owning segment)."""
        with self._locked():
            segments = self.segments()
            # The owners of the rejected contents only (a few among every stored content).
            rejected = self._scan("rejected", REJECTED_SCHEMA, segments).select("source_sha256").collect()
            owners = self._owners(segments, rejected.get_column("source_sha256"))
            owned = self._owned("rejected", REJECTED_SCHEMA, segments, owners)
            return owned.select("source_sha256", "reason").collect()

    def add(self, frames: ReportFrames, rejected: pl.DataFrame, invalid: pl.DataFrame | None = None) -> Path | None:
        """Keep newly parsed reports, rejections and rows that failed validation as one segment
        (atomically)."""
        if frames.reports.height == 0 and rejected.height == 0:
            return None
        with self._locked():
            self.version_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            tmp = self.version_dir / f".tmp-{uuid.uuid4().hex[:8]}"
            tmp.mkdir()
            extra = {
                "rejected": rejected,
                "invalid": invalid if invalid is not None else pl.DataFrame(schema=INVALID_SCHEMA),
            }
            for name, frame in {**frames.frames(), **extra}.items():
                frame.write_parquet(tmp / f"{name}.parquet")
            # On disk before the rename names it a segment, and the rename itself after: a power
            # loss leaves the store as it was or with one more whole segment, never a truncated one
            # that every later build fails to read.
            fsync_files(tmp)
            final = self.version_dir / f"seg-{stamp}-{uuid.uuid4().hex[:6]}"
            os.rename(tmp, final)
            fsync_path(self.version_dir)
        self.tidy()
        return final

    def _owners_of(self, segments: list[Path], names: pl.DataFrame) -> pl.LazyFrame:
        """_owners of the contents in `names` only."""
        return self._owners(segments, names.get_column("source_sha256"))

    def _stored(self, table: str, segments: list[Path], owners: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
        """A table of the report frames for the owned contents, named as `names` names them now
        (a report once: two builds may have stored it in one segment)."""
        frame = self._read_owned(table, None, segments, owners)
        if table == "reports":
            frame = frame.unique("source_sha256", keep="last", maintain_order=True)
        if "source_file" in frame.columns:
            frame = frame.drop("source_file").join(names, on="source_sha256", how="left").select(frame.columns)
        return frame

    def reports(self, current: pl.DataFrame) -> pl.DataFrame:
        """The stored reports of the files in `current`, as `load` gives them, without reading the
        other tables (an incremental build finds what a change reaches from these alone)."""
        names = _names(current)
        with self._locked():
            segments = self.segments()
            return self._stored("reports", segments, self._owners_of(segments, names).collect(), names)

    def load(self, current: pl.DataFrame, facts: bool = True) -> tuple[ReportFrames, pl.DataFrame, pl.DataFrame]:
        """The readings of the files in `current` (source_file, source_sha256), named as they are
        named now; a content seen twice is read once, from one segment. `facts=False`: every
        table but the facts (left empty: a full build streams them, fact_batches)."""
        names = _names(current)
        with self._locked():
            segments = self.segments()
            owners = self._owners_of(segments, names).collect()
            parts = {}
            for table in report_frames([]).frames():
                if table == "facts" and not facts:
                    parts[table] = report_frames([]).facts
                    continue
                parts[table] = self._stored(table, segments, owners, names)
            rejected = (
                self._read_owned("rejected", REJECTED_SCHEMA, segments, owners)
                .unique("source_sha256", keep="last", maintain_order=True)
                .join(names.rename({"source_file": "current_name"}), on="source_sha256", how="left")
                .with_columns(
                    # The reason names the file as it was called when it was read (a name may hold
                    # ':' or '$': the old name is cut off as a literal prefix, never as a pattern).
                    pl.when(pl.col("reason").str.starts_with(pl.col("source_file") + ":"))
                    .then(pl.col("current_name") + pl.col("reason").str.slice(pl.col("source_file").str.len_chars()))
                    .otherwise(pl.col("reason"))
                    .alias("reason"),
                    pl.col("current_name").alias("source_file"),
                )
                .select(list(REJECTED_SCHEMA))
            )
            invalid = self._read_owned("invalid", INVALID_SCHEMA, segments, owners)
        reports = parts["reports"].get_column("source_sha256").implode()
        parts["facts"] = (
            parts["facts"]
            .filter(pl.col("source_sha256").is_in(reports))
            .unique(["source_sha256", "table_key", "row_key", "column_key"], keep="last", maintain_order=True)
        )
        return ReportFrames(**parts), rejected, invalid

    def fact_batches(self, current: pl.DataFrame, rows: int = 100_000) -> Iterator[pl.DataFrame]:
        """The facts `load` would return for the files in `current`, in batches of at most about
        `rows` rows (a report's rows may be split between two batches), streamed: a full build
        never holds every fact. Only the wanted reports' rows are decoded: the filter is pushed
        into the Parquet reader, which reads the hash column first and the others only where it
        matches (a night's few hundred reports among a 10,000-report store: 0.30 → 0.02 CPU s).
        Holds the store's shared lock until exhausted. The segments' rows are gathered into the
        same batches (a night's few hundred reports are in every segment: one batch, not one a
        segment, each costing its reader a fixed few ms)."""
        names = _names(current)
        empty = report_frames([]).facts

        def batch(frames: list[pl.DataFrame]) -> pl.DataFrame:
            return (
                pl.concat([empty, *frames], how="diagonal_relaxed")
                .drop("source_file")
                .join(names, on="source_sha256", how="left")
                .select(empty.columns)
                .cast(empty.schema)
            )

        pending: list[pl.DataFrame] = []
        held = 0
        with self._locked():
            segments = self.segments()
            wanted = names.get_column("source_sha256")
            owners = (
                self._owners(segments, wanted)
                # The facts of contents with a report (load: facts of the reports it returns).
                .join(
                    self._scan("reports", None, segments)
                    .select("source_sha256", _SEG)
                    .filter(pl.col("source_sha256").is_in(wanted.implode())),
                    on=["source_sha256", _SEG],
                    how="semi",
                )
                .collect()
            )
            for i, seg in enumerate(segments):
                mine = owners.filter(pl.col(_SEG) == i).select("source_sha256")
                path = seg / "facts.parquet"
                if mine.height == 0 or not path.is_file():
                    continue
                theirs = pl.col("source_sha256").is_in(mine.get_column("source_sha256").implode())
                for frame in pl.scan_parquet(path).filter(theirs).collect_batches(chunk_size=rows):
                    if frame.height == 0:
                        continue
                    if pending and held + frame.height > rows:
                        yield batch(pending)
                        pending, held = [], 0
                    pending.append(frame)
                    held += frame.height
            if pending:
                yield batch(pending)

    def tidy(self) -> int:
        """Merge the runs of segments merge_runs finds, again until it finds none (a merged segment
        may complete a run of the next size). Only when no other build is reading or adding (it
        is left for a later build): returns how many runs it merged."""
        merged = 0
        with self._locked(exclusive=True, block=False) as free:
            while free:
                segments = self.segments()
                runs = merge_runs([_segment_bytes(seg) for seg in segments], _MERGE_FACTOR, _MERGE_FLOOR)
                if not runs:
                    break
                for run in runs:
                    self._merge([segments[i] for i in run])
                merged += len(runs)
        return merged

    def compact(self) -> bool:
        """Merge all segments into one. Only when no other build is reading or adding: returns
        whether it merged."""
        with self._locked(exclusive=True, block=False) as free:
            if not free:
                return False
            segments = self.segments()
            if len(segments) > 1:
                self._merge(segments)
        return True

    def _merge(self, run: list[Path]) -> Path:
        """One segment of a run of neighbouring segments, each content's rows from its newest
        reading in the run (call holding the store's lock exclusively). Written to a temporary
        folder and renamed into place after the run's newest; the run's segments are then renamed
        out of the store one by one before they are removed. Killed at any point, the store reads
        as before: a merged segment and what is left of its run hold the same readings, the merged
        one winning as the newer; a temporary folder is removed by remove_leftovers."""
        owners = self._owners(run).collect().lazy()
        merged_tmp = self.version_dir / f".tmp-{uuid.uuid4().hex[:8]}"
        merged_tmp.mkdir()
        for table in [*report_frames([]).frames(), "rejected", "invalid"]:
            schema = {"rejected": REJECTED_SCHEMA, "invalid": INVALID_SCHEMA}.get(table)
            # Streamed (polars' streaming engine): the facts of 100,000 reports are 20 million rows.
            self._owned(table, schema, run, owners).sink_parquet(merged_tmp / f"{table}.parquet")
        fsync_files(merged_tmp)  # as add's: whole on disk before it replaces its run
        merged = _merged_name(run[-1])
        os.rename(merged_tmp, merged)
        fsync_path(self.version_dir)
        for seg in run:
            # Out of the segments' names at once (a rename), then removed: a removal killed midway
            # leaves a .tmp- folder, never a segment missing some of its tables.
            gone = seg.with_name(f".tmp-{uuid.uuid4().hex[:8]}")
            os.rename(seg, gone)
            shutil.rmtree(gone, ignore_errors=True)
        return merged

    def remove_leftovers(self, warehouse: Path) -> list[Path]:
        """Temporary files a killed build of `warehouse` left in its bookkeeping (call only
        holding that warehouse's lock), and the temporary folders of any killed build in the
        segments (only when no build is reading or adding: else left for a later build)."""
        removed = [p for p in self.bookkeeping(warehouse).glob(".*") if p.is_file()]
        for path in removed:
            path.unlink(missing_ok=True)
        with self._locked(exclusive=True, block=False) as free:
            if free:
                for tmp in self.root.glob("*/.tmp-*"):
                    shutil.rmtree(tmp, ignore_errors=True)
                    removed.append(tmp)
        return removed

    def bookkeeping(self, warehouse: Path) -> Path:
        """The folder of one warehouse's own files in the store (BOOKKEEPING), made on first use;
        the files an earlier version kept at the store's top move into it if that warehouse
        exists (they were its files)."""
        own = self.root / "warehouses" / Path(warehouse).name
        if not own.is_dir():
            own.mkdir(parents=True, exist_ok=True)
            if Path(warehouse).is_file():
                for name in BOOKKEEPING:
                    with contextlib.suppress(FileNotFoundError):
                        os.replace(self.root / name, own / name)
        return own


def _names(current: pl.DataFrame) -> pl.DataFrame:
    """(source_file, source_sha256): each content once, under its first name now."""
    return current.select("source_file", "source_sha256").unique("source_sha256", keep="first", maintain_order=True)


def store_beside(warehouse: Path) -> ParseStore:
    """The parse store of a warehouse: a `store` folder beside its file."""
    return ParseStore(Path(warehouse).parent / "store")


def record_removals(previous: pl.DataFrame, current: pl.DataFrame, log_path: Path) -> pl.DataFrame:
    """Files of the previous build gone from the raw folder (or changed), appended to the removal
    log; returns the log's entries whose content is not in the raw folder now."""
    log = _read(log_path, REMOVED_SCHEMA)
    now_shas = current.get_column("source_sha256")
    # Found by polars over the whole manifest (100,000 rows at 100k: a Python loop over both cost
    # 0.12 CPU s a night); only the few files gone or changed are looked at one by one.
    gone = previous.filter(~pl.col("source_sha256").is_in(now_shas))
    if gone.height:
        now_names = dict(
            current.filter(pl.col("source_file").is_in(gone.get_column("source_file")))
            .select("source_file", "source_sha256")
            .iter_rows()
        )
        detected = datetime.now(UTC).isoformat(timespec="seconds")
        new = [
            {
                "source_file": name,
                "source_sha256": sha,
                "reason": (
                    f"{name}: file changed, its new content is {now_names[name][:12]}"
                    if name in now_names
                    else f"{name}: file removed from the raw folder"
                ),
                "detected_at": detected,
            }
            for name, sha in gone.select("source_file", "source_sha256").iter_rows()
        ]
        log = pl.concat([log, pl.DataFrame(new, schema=REMOVED_SCHEMA)]).unique(
            ["source_file", "source_sha256"], keep="first", maintain_order=True
        )
        log_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(log, log_path)
    return log.filter(~pl.col("source_sha256").is_in(now_shas))
