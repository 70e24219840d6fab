"""The facts as Hive-partitioned Parquet beside the warehouse file, and the view that reads them.

`facts` is by far the largest table (about 200 rows a report), so it does not live inside the
DuckDB file: its rows are Parquet files in a folder beside it, named after it
(`xxgk.duckdb` → `xxgk.facts/`), per partition a base file and at most one delta file:

    xxgk.facts/year=2023/bucket=7/facts-<build>.parquet         the base
    xxgk.facts/year=2023/bucket=7/facts-<build>-delta.parquet   the reports added since

`year` is the statistics year the text reads (`__HIVE_DEFAULT_PARTITION__` when none was
read, Hive's name for NULL), `bucket` a stable hash of the agency the text names (BUCKETS
buckets; NULL counts as ''), so one agency's reports of one year are in one file and a nightly
change of a few agencies rewrites a few files. The partition columns are in the folder names,
not in the files (the Hive convention: Spark, DuckDB, polars and pyarrow read them from there).
A full build writes each partition's base; a night appends its new reports' rows to the
partition's delta, so what it writes grows with the night, not the warehouse (write_partitions).

The DuckDB file holds the list of current files (`facts_files`) and the view `facts` over exactly
those files, so a reader of the DuckDB file sees the files its build published, never another
build's. A build never writes a file a reader may hold: each file it writes has a new name (its
build's token), and is written into the hidden folder beside it (`.xxgk.facts/`, the same
year=…/bucket=… paths: `facts_paths.pinned_dir`), where the view reads every file from;
`publish_files` links this build's files into the visible folder just before the DuckDB file is
published, and `sweep` then removes from the visible folder every file the published warehouse
does not name (the files it superseded, and what a failed or killed build left). So the folder,
read whole by any engine (DuckDB's globs included, which do not skip hidden files), holds the
published facts whenever no publish is under way. In the hidden folder a superseded file stays
RETAIN_SECONDS longer, marked `.retired-…` (the marker's mtime is when), for a query still
reading the warehouse it opened before the publish; what no warehouse named goes at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import sqlglot
from sqlglot import exp

from pipelines.tables.durable import fsync_path
from pipelines.tables.frames import FACT_SCHEMA
from pipelines.warehouse import connection
from pipelines.warehouse.facts_paths import facts_dir, listed_files, pinned_dir
from pipelines.warehouse.spill import Spill
from pipelines.warehouse.sqlfiles import sql_file

BUCKETS = 32  # per year: 100,000 reports over 8 years is ~400 reports (~80,000 rows) a file
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
PARTITION_COLUMNS = ("year", "bucket")
_VIEW = "warehouse/facts_view.sql"
_DDL = "warehouse/facts.sql"
# The files' columns: the table's, without the partition column `year` (it is in the folder name).
FILE_SCHEMA = pl.Schema({name: dtype for name, dtype in FACT_SCHEMA.items() if name != "year"})
_SORT = ("agency", "source_sha256", "section", "table_key", "row_key", "column_key")
# How long a superseded file stays readable where the view reads it: longer than any query an
# analyst leaves running on the warehouse it opened, short enough that the next night's build
# frees the night before's files.
RETAIN_SECONDS = 3600
_RETIRED = ".retired-"

Partition = tuple[int | None, int]  # (year, bucket)
# A partition is a base file and at most one delta: a night appends its new reports' rows to the
# delta (rewriting the small delta, not the base); once the delta holds this share of the base's
# rows it is folded into a new base, so a night writes about its own rows plus at most 1/8 of a
# base per partition, and readers open at most two files per partition.
FOLD_FRACTION = 1 / 8
# Each base folds at its own share, FOLD_FRACTION times 1 ± FOLD_SPREAD (fold_share: a hash of
# the base's file, so every new base draws again). With one share, the partitions a full build
# wrote grow alike and fold on the same nights (at 100,000 reports, nights 11-14 wrote 20-29% of
# the facts each); spread over 1/16-3/16, a few fold each night (docs/build-benchmark.md, "Facts a night writes").
FOLD_SPREAD = 0.5
_DELTA = "-delta"
# A full build's facts up to this many rows (12,500 reports) are held and written at once, without
# the scratch streams' LZ4 write and read back (2 M facts: 1.8 CPU s against 3.0, and about
# 0.5 GiB more at the build's peak: docs/build-benchmark.md, "Facts a night writes"); more are streamed, so a
# 100,000-report build holds one batch, then one partition.
IN_MEMORY_FACTS = 2_500_000


def stable_hash(text: str) -> int:
    """The first 4 bytes of the SHA-256 of the text, big-endian: the same in every process and
    version, unlike Python's or polars' hash."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big")


def agency_hash(agency: str | None) -> int:
    """stable_hash of the agency's name (NULL counts as '')."""
    return stable_hash(agency or "")


def bucket_of(agency: str | None) -> int:
    """The agency's bucket: agency_hash modulo BUCKETS (a power of two, so the groups a full build
    derives at a time, agency_hash modulo another power of two, are whole buckets or parts of one)."""
    return agency_hash(agency) % BUCKETS


def partition_dir(year: int | None, bucket: int) -> str:
    return f"year={HIVE_NULL if year is None else year}/bucket={bucket}"


def file_name(token: str, delta: bool = False) -> str:
    """A build's base file of a partition, or its delta file (the reports added since the base)."""
    return f"facts-{token}{_DELTA if delta else ''}.parquet"


def written_by(file: str, token: str) -> bool:
    """Whether the build of `token` wrote this file (its base or delta)."""
    name = file.rsplit("/", 1)[-1]
    return name in (file_name(token), file_name(token, delta=True))


@dataclass(frozen=True)
class FactsFile:
    """One published Parquet file of the facts: its partition, its path under the facts folder, its rows."""

    year: int | None
    bucket: int
    file: str
    rows: int

    @property
    def delta(self) -> bool:
        """A partition's delta file (the rows of the reports added since its base was written)."""
        return self.file.endswith(f"{_DELTA}.parquet")


FILES_SCHEMA = pl.Schema({"year": pl.Int32, "bucket": pl.Int32, "file": pl.String, "rows": pl.Int64})


def with_partition(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts with their `bucket` column."""
    agencies = facts.get_column("agency").unique().to_list()
    buckets = {a or "": bucket_of(a) for a in agencies}
    return facts.with_columns(
        pl.col("agency").fill_null("").replace_strict(buckets, return_dtype=pl.Int32).alias("bucket")
    )


def _write(frame: pl.DataFrame, path: Path) -> None:
    """One Parquet file (flushed to disk at publish_files, when the kernel has written most of it
    back already: an fsync per file here doubled the time of writing a build's files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Sorted in one thread: a partition is 10,000-80,000 rows, where handing the sort to polars'
    # pool costs more CPU than it saves.
    _file_columns(frame).sort(_SORT, nulls_last=True, multithreaded=False).write_parquet(
        path, compression="zstd", statistics=True
    )


def _file_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with the files' columns and types (FILE_SCHEMA). Cast only when they differ: a
    cast costs polars about 0.25 ms of Python even when every type already matches, and a night
    writes some 80 small files (docs/build-benchmark.md, "A nightly run's fixed cost, round 13")."""
    if frame.schema == FILE_SCHEMA:
        return frame
    return frame.select(list(FILE_SCHEMA)).cast(FILE_SCHEMA)


def write_partitions(
    root: Path,
    token: str,
    current: list[FactsFile],
    new_rows: pl.DataFrame,
    drop: Iterable[str] = (),
    touched: Iterable[Partition] = (),
    fold_fraction: float | None = None,
    fold_spread: float | None = None,
) -> list[FactsFile]:
    """The facts files after putting `new_rows` in place of the rows of the reports `drop` (their
    content hashes), new files written unpublished, the others left as they are. Only the
    partitions that `new_rows` has rows for, or that are in `touched` (where the dropped reports'
    rows are, and the only partitions where they are looked for), are written (_night_of_partition:
    the new rows go to the partition's delta; its base is written again only when a dropped
    report's rows are in it or the delta reaches its fold_share of `fold_fraction` of it; 0:
    always, one file per partition; None: FOLD_FRACTION; `fold_spread` None: FOLD_SPREAD). A partition left with no rows has no file. Returns the new
    list of files."""
    fold = FOLD_FRACTION if fold_fraction is None else fold_fraction
    spread = FOLD_SPREAD if fold_spread is None else fold_spread
    new_rows = with_partition(new_rows)
    # The files' columns once for all partitions (each partition's rows are taken from these).
    new_file_rows = _file_columns(new_rows)
    dropped = pl.Series(sorted(set(drop)), dtype=pl.String).implode()
    where_dropped = set(touched)
    by_partition: dict[Partition, list[FactsFile]] = {}
    for f in current:
        by_partition.setdefault((f.year, f.bucket), []).append(f)
    # Each partition's row numbers, not its rows: one partition is copied out at a time (a
    # whole build's facts are millions of rows; partition_by would copy them all at once).
    grouped = (
        new_rows.select(*PARTITION_COLUMNS)
        .with_row_index("_row")
        .group_by(*PARTITION_COLUMNS, maintain_order=True)
        .agg("_row")
    )
    groups = {
        (year, bucket): grouped.get_column("_row")[i]
        for i, (year, bucket) in enumerate(grouped.select(*PARTITION_COLUMNS).iter_rows())
    }
    written = set(groups) | where_dropped
    result = [f for f in current if (f.year, f.bucket) not in written]
    for partition in written:
        base = next((f for f in by_partition.get(partition, []) if not f.delta), None)
        delta = next((f for f in by_partition.get(partition, []) if f.delta), None)
        new = new_file_rows[groups[partition]] if partition in groups else pl.DataFrame(schema=FILE_SCHEMA)
        # Only where the dropped reports' rows are (`touched`): elsewhere there is none to drop
        # (a new content has none anywhere).
        gone = dropped if partition in where_dropped else None
        result.extend(_night_of_partition(root, token, partition, base, delta, new, gone, fold, spread))
    return sorted(result, key=_file_order)


def _night_of_partition(
    root: Path,
    token: str,
    partition: Partition,
    base: FactsFile | None,
    delta: FactsFile | None,
    new: pl.DataFrame,
    dropped: pl.Series | None,
    fold_fraction: float,
    fold_spread: float,
) -> list[FactsFile]:
    """One partition's files after the night: `new` appended to its delta (the delta written
    again: it is small), the `dropped` reports' rows taken out of the file(s) holding them. The
    base is written again only if it holds a dropped report's rows or the delta has reached
    fold_share(base, fold_fraction, fold_spread) of its rows, and then with the delta's rows in it (no delta left): the rows
    written are the same as writing the base and the delta apart, in one file."""
    gone = pl.col("source_sha256").is_in(dropped) if dropped is not None else pl.lit(False)
    base_hit = base is not None and dropped is not None and _holds(root, base, dropped)
    delta_hit = delta is not None and dropped is not None and _holds(root, delta, dropped)
    if not (base_hit or delta_hit or new.height):
        return [f for f in (base, delta) if f is not None]
    delta_rows = new
    if delta is not None:
        old_delta = _read(root, delta)
        delta_rows = pl.concat([old_delta.filter(~gone) if delta_hit else old_delta, new])
    fold = (
        base is None
        or base_hit
        or (delta_rows.height > 0 and delta_rows.height >= fold_share(base, fold_fraction, fold_spread) * base.rows)
    )
    if not fold:
        assert base is not None
        return [base, *_write_file(root, token, partition, delta_rows, delta=True)]
    if base is not None:
        old_base = _read(root, base)
        delta_rows = pl.concat([old_base.filter(~gone) if base_hit else old_base, delta_rows])
    return _write_file(root, token, partition, delta_rows, delta=False)


def fold_share(base: FactsFile, fold_fraction: float, fold_spread: float = FOLD_SPREAD) -> float:
    """The share of the base's rows at which its delta is folded into it: `fold_fraction` times a
    factor in [1 - fold_spread, 1 + fold_spread), the same for the same file in every process,
    uniform over files (stable_hash of its path)."""
    u = stable_hash(base.file) / 2**32
    return fold_fraction * (1 + fold_spread * (2 * u - 1))


def _holds(root: Path, file: FactsFile, shas: pl.Series) -> bool:
    """Whether the file holds a row of these contents (its one column read)."""
    found = (
        pl.scan_parquet(pinned_dir(root) / file.file, hive_partitioning=False)
        .select("source_sha256")
        .filter(pl.col("source_sha256").is_in(shas))
        .head(1)
        .collect()
    )
    return found.height > 0


def _read(root: Path, file: FactsFile) -> pl.DataFrame:
    return pl.read_parquet(pinned_dir(root) / file.file, hive_partitioning=False).select(list(FILE_SCHEMA))


def _write_file(root: Path, token: str, partition: Partition, rows: pl.DataFrame, delta: bool) -> list[FactsFile]:
    """The partition's rows as its base or delta file of this build (none when there is no row)."""
    if rows.height == 0:
        return []
    relative = f"{partition_dir(*partition)}/{file_name(token, delta=delta)}"
    _write(rows, pinned_dir(root) / relative)
    return [FactsFile(partition[0], partition[1], relative, rows.height)]


def _partition_order(p: Partition) -> tuple[bool, int, int]:
    """Years in order, the NULL year last, then buckets."""
    return (p[0] is None, p[0] or 0, p[1])


def _file_order(f: FactsFile) -> tuple[bool, int, int, bool]:
    return (*_partition_order((f.year, f.bucket)), f.delta)


def write_streamed(
    root: Path, token: str, batches: Iterable[pl.DataFrame], in_memory_rows: int = IN_MEMORY_FACTS
) -> list[FactsFile]:
    """Every row of `batches` written as new files (unpublished), each partition's base in one
    pass, with the same rows and order as write_partitions of them all at once. Up to
    `in_memory_rows` rows are held and written at once; past that every batch goes through an
    Arrow stream per partition in a scratch folder (spill.Spill), each then read back and written
    as its file, so memory holds one batch and then one partition, never every row."""
    held: list[pl.DataFrame] = []
    rows = 0
    rest = iter(batches)
    for batch in rest:
        held.append(batch)
        rows += batch.height
        if rows > in_memory_rows:
            return _write_spilled(root, token, _drain(held, rest))
    return write_partitions(root, token, [], pl.concat(held) if held else pl.DataFrame(schema=FACT_SCHEMA))


def _drain(held: list[pl.DataFrame], rest: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """The held batches (let go of one by one), then the rest."""
    held.reverse()
    while held:
        yield held.pop()
    yield from rest


def _write_spilled(root: Path, token: str, batches: Iterable[pl.DataFrame]) -> list[FactsFile]:
    with Spill(pinned_dir(root) / f".spill-{token}", FILE_SCHEMA) as spill:
        for batch in batches:
            batch = with_partition(batch)
            for key, rows in batch.partition_by(*PARTITION_COLUMNS, as_dict=True).items():
                year, bucket = key
                partition = (None if year is None else int(year), int(bucket))
                spill.append(partition, rows, f"{partition_dir(*partition)}/rows.arrows")
        spill.close()
        files = []
        partitions: list[Partition] = spill.keys()  # type: ignore[assignment]
        for partition in sorted(partitions, key=_partition_order):
            rows = spill.read(partition)
            files.extend(_write_file(root, token, partition, rows, delta=False))
            del rows
        return files


def partitions_of(reports: pl.DataFrame) -> set[Partition]:
    """The partitions holding the facts of these reports (their columns agency and year, as the
    text reads them: the facts' own)."""
    return {(year, bucket_of(agency)) for agency, year in reports.select("agency", "year").iter_rows()}


def read_reports(root: Path, files: list[FactsFile], reports: pl.DataFrame) -> pl.DataFrame:
    """The rows of these reports (their source_sha256, agency and year) in `files`, a build's files
    under `root` (written, perhaps not yet published), with the files' columns (FILE_SCHEMA):
    only the files of their partitions are read."""
    where = partitions_of(reports)
    paths = [pinned_dir(root) / f.file for f in files if (f.year, f.bucket) in where]
    if not paths:
        return pl.DataFrame(schema=FILE_SCHEMA)
    shas = reports.get_column("source_sha256").implode()
    return pl.scan_parquet(paths, hive_partitioning=False).filter(pl.col("source_sha256").is_in(shas)).collect()


def write_all(con: duckdb.DuckDBPyConnection, source: str, root: Path, token: str) -> list[FactsFile]:
    """Every row of the facts-shaped table `source` (a name of this module's callers, never user
    input) in an open DuckDB connection, written as new files (unpublished), one per partition, read in
    batches (write_streamed: for warehouses made inside DuckDB, as the benchmarks make theirs).
    DuckDB's own partitioned COPY did this before, and held every row of 100,000 reports in its
    partition buffers (12 GiB). Returns the list of files."""
    # con.sql, not con.execute: DuckDB's DB-API result would copy every row before the reader.
    reader = con.sql(f"SELECT * FROM {source}").to_arrow_reader(_BATCH_ROWS)
    assert reader is not None
    return write_streamed(root, token, (_frame(batch) for batch in reader))


_BATCH_ROWS = 100_000


def _frame(batch: pa.RecordBatch) -> pl.DataFrame:
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    return frame


# --- the list in the DuckDB file, and the view -----------------------------------------------------


def read_files(con: duckdb.DuckDBPyConnection) -> list[FactsFile]:
    """The facts files a warehouse names (none for a warehouse without the table)."""
    return [FactsFile(*row) for row in listed_files(con)]


def save_files(con: duckdb.DuckDBPyConnection, root: Path, files: list[FactsFile], token: str) -> None:
    """Put the list in `facts_files` and point the view `facts` at those files, where it reads
    them (the hidden folder)."""
    con.execute("DELETE FROM facts_files")
    frame = pl.DataFrame([f.__dict__ for f in files], schema=FILES_SCHEMA)
    con.register("_facts_files", frame.to_arrow())
    try:
        con.execute("INSERT INTO facts_files BY NAME SELECT * FROM _facts_files")
    finally:
        con.unregister("_facts_files")
    for f in files:
        _pin(root, f.file)
    con.execute(view_sql([pinned_dir(root) / f.file for f in files]))


def _pin(root: Path, file: str) -> None:
    """Give a published file its second name in the hidden folder if it has none (a warehouse
    published before the view read from there)."""
    pinned, visible = pinned_dir(root) / file, root / file
    if not pinned.exists() and visible.exists():
        pinned.parent.mkdir(parents=True, exist_ok=True)
        os.link(visible, pinned)


def view_sql(paths: list[Path]) -> str:
    """CREATE VIEW facts over these files (sql/warehouse/facts_view.sql, the list put in for its
    `?`), or, with no file, over no rows with the same columns and types (sql/warehouse/facts.sql)."""
    if not paths:
        ddl = sqlglot.parse_one(sql_file(_DDL), read="duckdb")
        assert isinstance(ddl.this, exp.Schema)
        columns = [
            exp.Cast(this=exp.Null(), to=col.args["kind"]).as_(col.name)
            for col in ddl.this.expressions
            if isinstance(col, exp.ColumnDef)
        ]
        empty = exp.select(*columns).where(exp.false())
        return exp.Create(this=exp.to_table("facts"), kind="VIEW", replace=True, expression=empty).sql("duckdb")
    view = sqlglot.parse_one(sql_file(_VIEW), read="duckdb")
    listed = exp.Array(expressions=[exp.Literal.string(str(p)) for p in paths])
    placeholders = list(view.find_all(exp.Placeholder))
    assert len(placeholders) == 1, f"{_VIEW}: expected one ? for the list of files"
    placeholders[0].replace(listed)
    return view.sql("duckdb")


# --- publishing and sweeping ----------------------------------------------------------------------


def publish_files(files: list[FactsFile], warehouse: Path, token: str) -> list[FactsFile]:
    """Of the files the staging file about to be published at `warehouse` names (`files`: its
    facts_files, read_files), this build's linked into the visible folder (the view reads them
    from the hidden one, where they were written). Returns `files` (for the sweep after the publish)."""
    root = facts_dir(warehouse)
    pins = pinned_dir(root)
    folders = set()
    for f in files:
        if written_by(f.file, token) and not (root / f.file).exists():
            fsync_path(pins / f.file)  # on disk before a published warehouse names it
            (root / f.file).parent.mkdir(parents=True, exist_ok=True)
            os.link(pins / f.file, root / f.file)
            folders.update({(pins / f.file).parent, (root / f.file).parent})
    for folder in folders:
        fsync_path(folder)
    return files


# The files the published warehouse names, as the last sweep in this process read them, with the
# file's identity then (device, inode, size, mtime_ns): a build sweeps three times, twice over the
# same published file (its publish, the lock's release), and opening it costs DuckDB 20 ms.
_LISTED: dict[str, tuple[tuple[int, int, int, int], frozenset[str]]] = {}


def _listed(warehouse: Path) -> frozenset[str] | None:
    """The files the warehouse names (None: not a warehouse we can read)."""
    key = str(Path(warehouse).resolve())
    identity = connection.file_identity(warehouse)
    known = _LISTED.get(key)
    if known is not None and known[0] == identity:
        return known[1]
    try:
        con = connection.connect(Path(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        listed = frozenset(f.file for f in read_files(con))
    finally:
        con.close()
    _LISTED[key] = (identity, listed)
    return listed


def sweep(warehouse: Path, retain_seconds: float = RETAIN_SECONDS, listed: Iterable[str] | None = None) -> list[Path]:
    """Tidy the facts folders to what the published warehouse names (nothing when none is
    published). In the visible folder every file it does not name goes at once; in the hidden
    folder a file that was published and is now superseded is marked retired, and goes once
    retired `retain_seconds`, and anything else it does not name (a failed or killed build's
    files, scratch folders) goes at once. Folders left empty go too. Only under the warehouse's
    lock. `listed`: the files the published file names, when the caller has just read them from
    it (publish). Returns the paths removed."""
    root = facts_dir(warehouse)
    pins = pinned_dir(root)
    names: frozenset[str] | None = frozenset()
    if Path(warehouse).is_file():
        if listed is not None:
            names = frozenset(listed)
            _LISTED[str(Path(warehouse).resolve())] = (connection.file_identity(warehouse), names)
        else:
            names = _listed(warehouse)
    if names is None:
        return []  # not a warehouse we can read: nothing can be known to be superseded
    return _sweep(root, pins, names, retain_seconds)


def _sweep(root: Path, pins: Path, listed: frozenset[str], retain_seconds: float) -> list[Path]:
    removed: list[Path] = []
    # One walk of each folder, bottom up (its files before the folder), names as strings: a build
    # sweeps three times (the lock taken, the publish, the lock released), over ~1,000 entries a
    # folder at 10,000 reports (pathlib's rglob and an rmdir tried on every folder: 0.3 CPU s a build).
    for folder, names in _walk_up(root):
        relative = os.path.relpath(folder, root)
        for name in sorted(names, reverse=True):
            if _relative(relative, name) not in listed:
                pinned = os.path.join(pins, relative, name)
                if os.path.isfile(pinned):  # it was published: retire its second name, marked first
                    marker = os.path.join(pins, relative, _RETIRED + name)
                    if not os.path.exists(marker):
                        Path(marker).touch()
                removed.append(_unlink(folder, name, names))
    now = time.time()
    for folder, names in _walk_up(pins):
        relative = os.path.relpath(folder, pins)
        for name in sorted(names, reverse=True):  # a file before its marker (".retired-" sorts first)
            if _relative(relative, name) in listed or name not in names:
                continue
            if name.startswith(_RETIRED):
                if name.removeprefix(_RETIRED) in names:
                    continue  # goes with its file
            elif _RETIRED + name in names:
                marker = os.path.join(folder, _RETIRED + name)
                if now - os.stat(marker).st_mtime < retain_seconds:
                    continue  # retired lately: a query on an older warehouse may still read it
                _unlink(folder, _RETIRED + name, names)
            removed.append(_unlink(folder, name, names))
    return sorted(removed, reverse=True)


def _relative(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def _unlink(folder: str, name: str, names: set[str]) -> Path:
    path = os.path.join(folder, name)
    os.unlink(path)
    names.discard(name)
    return Path(path)


def _walk_up(top: Path) -> Iterator[tuple[str, set[str]]]:
    """Each folder under `top` (itself included) with its files' names, a folder's subfolders
    before it; once the caller has handled a folder's files, the folder is removed if nothing is
    left in it (the caller removes names from the set as it unlinks them)."""
    emptied: set[str] = set()
    for folder, subfolders, files in os.walk(top, topdown=False):
        names = set(files)
        yield folder, names
        if folder != str(top) and not names and all(os.path.join(folder, d) in emptied for d in subfolders):
            with contextlib.suppress(OSError):  # something arrived meanwhile: it stays
                os.rmdir(folder)
                emptied.add(folder)
