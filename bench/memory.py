"""Where a full build's memory goes: peak RSS per stage, main process against parse workers.

    .venv-test/bin/python -m bench.memory --n 10000

Runs `build_warehouse` in this process over the first N reports of bench.build's cached corpus
(a full build, into a fresh warehouse) while a thread samples the memory of this process and of
its child processes (the parse pool's fork server and workers) every 50 ms (bench.proctree: RSS
of this process and of its largest child, PSS of them all). Each
stage of the chain (pipelines.ingest.stage) is wrapped to mark when it runs; the table gives its
wall time and the peak of the main process and of the largest child while it ran.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from bench.build import _link, cached_corpus
from bench.proctree import TreeSampler

# The stage functions as pipelines.ingest.stage calls them (wrapped where the module names them).
_STAGES = (
    "parse_new",
    "assemble",
    "read_current",
    "stream_facts",
    "derive",
    "validate_derived",
    "derive_to_files",
    "stage_warehouse",
    "build_marts",
    "publish",
)


def replicate_store(warehouse: Path, reports: int) -> pl.DataFrame:
    """The parse store of a built warehouse grown to `reports` reports: its segments' rows copied
    under new names and contents (sha256 ending in the copy's number), agencies (·k) and years
    (+k % 4), as bench.build replicates its query warehouse, one new segment per copy. Returns the
    raw-folder manifest that names them all (the originals and the copies): what a build of that
    many parsed reports reads, without parsing them again."""
    from pipelines.tables.parse_store import store_beside

    store = store_beside(warehouse)
    manifest = pl.read_parquet(store.bookkeeping(warehouse) / "manifest.parquet")
    segments = store.segments()
    base = manifest.height
    copies = [manifest]
    for k in range(1, -(-reports // base)):
        take = min(base, reports - base * k)
        picked = manifest.head(take).get_column("source_sha256").implode()

        def renamed(frame: pl.DataFrame, k: int = k) -> pl.DataFrame:
            frame = frame.with_columns(
                (pl.col("source_sha256").str.slice(0, 56) + pl.lit(f"{k:08x}")).alias("source_sha256"),
            )
            if "source_file" in frame.columns:
                frame = frame.with_columns((pl.lit(f"c{k}/") + pl.col("source_file")).alias("source_file"))
            if "agency" in frame.columns and "year" in frame.columns:
                frame = frame.with_columns(
                    (pl.col("agency") + pl.lit(f"·{k // 4}")).alias("agency"), (pl.col("year") + k % 4).cast(pl.Int32)
                )
            return frame

        folder = store.version_dir / f"seg-99999999T{k:06d}-copy"
        folder.mkdir()
        for seg in segments:
            for path in seg.glob("*.parquet"):
                rows = pl.read_parquet(path)
                if "source_sha256" in rows.columns:
                    rows = rows.filter(pl.col("source_sha256").is_in(picked))
                out = folder / path.name
                # Several original segments: one file per table in the copy, appended per segment.
                rows = renamed(rows)
                if out.is_file():
                    rows = pl.concat([pl.read_parquet(out), rows], how="diagonal_relaxed")
                rows.write_parquet(out)
        copies.append(renamed(manifest.head(take), k))
    return pl.concat(copies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="reports of the cached corpus to build")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xxgk-bench-corpus")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--replicate",
        type=int,
        default=None,
        help="then, in a new process, grow the parse store to this many reports (replicate_store) and time a "
        "full build of them from the store (no parse)",
    )
    parser.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)  # the second process's folder
    args = parser.parse_args()

    from pipelines.ingest import stage

    sampler = TreeSampler(interval=0.05)
    for name in _STAGES:
        if hasattr(stage, name):
            setattr(stage, name, sampler.wrap(name, getattr(stage, name)))
    if args.work is not None:
        warehouse = args.work / "wh" / "xxgk.duckdb"
        manifest = pl.read_parquet(args.work / "replicated.parquet")
        start = time.perf_counter()
        with sampler.running():
            staged = stage.stage_current(manifest, warehouse, stage.staging_path(warehouse), full=True)
            staged.build_marts()
            summary = stage.publish_staged(staged, manifest, warehouse)
        title = f"full build from the parse store of {summary.reports:,} reports (none parsed)"
        _print(title, time.perf_counter() - start, summary.facts, sampler)
        return

    work = Path(tempfile.mkdtemp(prefix="xxgk-mem-"))
    raw, warehouse = work / "raw", work / "wh" / "xxgk.duckdb"
    raw.mkdir()
    _link(cached_corpus(args.cache, "base", args.n, 0), raw)
    start = time.perf_counter()
    with sampler.running():
        result = stage.build_warehouse(raw, warehouse, workers=args.workers)
    _print(f"full build of {args.n} reports", time.perf_counter() - start, result.summary.facts, sampler)
    if args.replicate:
        # Grown here, built in a new process: its peak is the build's alone.
        replicate_store(warehouse, args.replicate).write_parquet(work / "replicated.parquet")
        subprocess.run(
            [sys.executable, "-m", "bench.memory", "--work", str(work), "--replicate", str(args.replicate)], check=True
        )
    shutil.rmtree(work, ignore_errors=True)


def _print(title: str, wall: float, facts: int, sampler: TreeSampler) -> None:
    print(f"{title}: {wall:.1f} s, {facts:,} facts")
    print(f"{'stage':<18}{'wall s':>8}{'main MiB':>10}{'worker MiB':>12}{'tree PSS':>10}")
    peaks = sampler.peaks()
    for name, p in peaks.items():
        print(f"{name:<18}{p.wall:8.1f}{p.root_rss:10,.0f}{p.child_rss:12,.0f}{p.tree_pss:10,.0f}")
    # Sampled, not ru_maxrss: a process started by a larger one inherits its high-water mark (Linux).
    peak = max((p.root_rss for p in peaks.values()), default=0.0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"main process: peak {peak:,.0f} MiB, CPU {usage.ru_utime + usage.ru_stime:.1f} s", flush=True)


if __name__ == "__main__":
    main()
