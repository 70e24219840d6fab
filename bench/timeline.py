"""Where a full build's time goes: a timeline of its steps, wall and CPU each, and inside the parse.

    .venv-test/bin/python -m bench.timeline --n 10000

Runs `build_warehouse` in this process (the functions the Dagster job runs, in its order, without
Dagster's own run and events) over the first N reports of bench.build's cached corpus into a fresh
warehouse, every stage wrapped to time it: wall time, and the CPU time of this process (all its
threads: polars', DuckDB's) while it ran. Each line names the Dagster step the stage belongs to.

Inside the parse (`parse_store`), the parse workers run a timed copy of the pool's parser
(`timed_parse`: the same calls) that notes per file the CPU of reading it (parse_file), of making
its rows (report_rows, with the C1–C7 checks) and of pickling them (pickled once more to measure
it: the worker pays that twice in this run), and the bytes sent; the parent's side is split into
receiving (`Connection.recv`: reading and unpickling), framing the rows (ReportRows.extend,
.frames, ReportFrames.concat), validating (validate_report_frames), writing a segment
(ParseStore.add), and waiting for the workers (the pool's `wait`): the parent's idle time.
"""

from __future__ import annotations

import argparse
import functools
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.build import _link, cached_corpus

_WORKER_LOG = "XXGK_TIMELINE_DIR"  # where timed_parse writes its per-file lines (one file per worker)


_rows_cpu = [0.0]  # in a worker: CPU of report_rows in the current file


def _timed_rows(reports: Any) -> Any:
    from pipelines.tables.frames import report_rows

    c = time.process_time()
    try:
        return report_rows(reports)
    finally:
        _rows_cpu[0] += time.process_time() - c


def timed_parse(job: Any, limits: Any) -> Any:
    """The pool's parse_job, timed per part (in a worker process); importable, so workers can run it."""
    from pipelines.ingest import parse_pool

    parse_pool.report_rows = _timed_rows  # parse_job looks it up when it runs
    start, c = time.time(), time.process_time()
    _rows_cpu[0] = 0.0
    outcome = parse_pool.parse_job(job, limits)
    total = time.process_time() - c
    c = time.process_time()
    size = len(pickle.dumps((outcome, False), protocol=pickle.HIGHEST_PROTOCOL))
    pickled = time.process_time() - c
    rows = _rows_cpu[0]
    line = f"{start:.6f}\t{time.time():.6f}\t{total - rows:.6f}\t{rows:.6f}\t{pickled:.6f}\t{size}\n"
    with open(Path(os.environ[_WORKER_LOG]) / f"{os.getpid()}.tsv", "a") as out:
        out.write(line)
    return outcome


@dataclass
class Span:
    label: str
    step: str  # the Dagster step it belongs to
    start: float = 0.0  # wall, from the build's start
    wall: float = 0.0
    cpu: float = 0.0  # this process's CPU
    calls: int = 0
    nested: bool = False  # inside another span (its time is part of that one's)


@dataclass
class Timeline:
    origin: float = field(default_factory=time.perf_counter)
    spans: dict[str, Span] = field(default_factory=dict)

    def wrap(self, label: str, step: str, fn: Callable[..., Any], nested: bool = False) -> Callable[..., Any]:
        span = self.spans.setdefault(label, Span(label, step, nested=nested))

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            if not span.calls:
                span.start = t - self.origin
            try:
                return fn(*args, **kwargs)
            finally:
                span.wall += time.perf_counter() - t
                span.cpu += time.process_time() - c
                span.calls += 1

        return timed


def _read_workers(folder: Path) -> list[tuple[float, ...]]:
    rows = []
    for path in folder.glob("*.tsv"):
        for line in path.read_text().splitlines():
            rows.append(tuple(float(x) for x in line.split("\t")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="reports of the cached corpus to build")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xxgk-bench-corpus")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="xxgk-timeline-"))
    logs = work / "workers"
    logs.mkdir()
    os.environ[_WORKER_LOG] = str(logs)  # before the fork server starts: its workers inherit it
    raw, warehouse = work / "raw", work / "wh" / "xxgk.duckdb"
    raw.mkdir()
    _link(cached_corpus(args.cache, "base", args.n, 0), raw)

    import bench.timeline as this  # timed_parse by its importable name, not __main__'s
    from pipelines.ingest import parse_pool, stage
    from pipelines.ingest.parse_server import start_parse_server
    from pipelines.tables import derive, frames, parse_store, validate
    from pipelines.warehouse import facts_store

    start_parse_server()  # as `xxgk build` does, before anything starts threads here
    tl = Timeline()
    for name, step in (
        ("scan_raw_folder", "raw_files"),
        ("parse_new", "parse_store"),
        ("assemble", "warehouse_staging"),
        ("stream_facts", "warehouse_staging"),
        ("derive_to_files", "warehouse_staging"),
        ("stage_warehouse", "warehouse_staging"),
        ("publish_staged", "warehouse"),
    ):
        setattr(stage, name, tl.wrap(name, step, getattr(stage, name)))
    real_marts = stage.StagedWarehouse.build_marts
    stage.StagedWarehouse.build_marts = tl.wrap("build_marts", "marts", real_marts)  # type: ignore[method-assign]
    # Inside the parse, in the parent.
    parse_pool.run_pool = functools.partial(parse_pool.run_pool, parse=this.timed_parse)
    parse_pool.wait = tl.wrap("  waiting for workers", "parse_store", parse_pool.wait, nested=True)
    real_recv = Connection.recv
    Connection.recv = tl.wrap("  receiving (unpickle)", "parse_store", real_recv, nested=True)  # type: ignore[method-assign]
    frames.ReportRows.extend = tl.wrap(  # type: ignore[method-assign]
        "  gathering rows", "parse_store", frames.ReportRows.extend, nested=True
    )
    frames.ReportRows.frames = tl.wrap(  # type: ignore[method-assign]
        "  building frames", "parse_store", frames.ReportRows.frames, nested=True
    )
    frames.ReportFrames.concat = classmethod(  # type: ignore[method-assign, assignment]
        tl.wrap("  concatenating frames", "parse_store", frames.ReportFrames.concat.__func__, nested=True)  # type: ignore[attr-defined]
    )
    parse_pool.validate_report_frames = tl.wrap(
        "  validating", "parse_store", parse_pool.validate_report_frames, nested=True
    )
    parse_store.ParseStore.add = tl.wrap("  writing segments", "parse_store", parse_store.ParseStore.add, nested=True)  # type: ignore[method-assign]
    # Inside the steps after it (each called at the place named, so wrapped there).
    derive.findings_and_quality = tl.wrap(
        "  deriving (per group)", "warehouse_staging", derive.findings_and_quality, nested=True
    )
    validate.validate = tl.wrap("  pandera (every step)", "", validate.validate, nested=True)
    facts_store._write = tl.wrap("  writing facts Parquet", "warehouse_staging", facts_store._write, nested=True)
    facts_store.fsync_path = tl.wrap("  fsync (every step)", "", facts_store.fsync_path, nested=True)

    load0 = os.getloadavg()
    tl.origin = time.perf_counter()
    cpu0 = time.process_time()
    result = stage.build_warehouse(raw, warehouse, workers=args.workers)
    wall, cpu = time.perf_counter() - tl.origin, time.process_time() - cpu0
    Connection.recv = real_recv  # type: ignore[method-assign]
    load1 = os.getloadavg()

    jobs = _read_workers(logs)
    w_parse = sum(j[2] for j in jobs)
    w_rows = sum(j[3] for j in jobs)
    w_pickle = sum(j[4] for j in jobs)
    w_bytes = sum(j[5] for j in jobs)
    w_busy = sum(j[1] - j[0] for j in jobs)
    print(
        f"full build of {args.n} reports in this process: {wall:.1f} s wall, this process {cpu:.1f} CPU s, "
        f"workers {w_parse + w_rows + w_pickle:.1f} CPU s; {result.summary.reports:,} reports, "
        f"{result.summary.facts:,} facts; load {load0[0]:.1f} → {load1[0]:.1f}"
    )
    print(f"{'step':<19}{'stage':<26}{'from s':>8}{'wall s':>8}{'CPU s':>8}{'calls':>7}")
    steps = sorted((s for s in tl.spans.values() if not s.nested and s.calls), key=lambda s: s.start)
    for span in steps + [s for s in tl.spans.values() if s.nested and s.calls]:
        begin = f"{span.start:8.1f}" if not span.nested else " " * 8
        print(f"{span.step:<19}{span.label:<26}{begin}{span.wall:8.1f}{span.cpu:8.1f}{span.calls:7d}")
    parse = tl.spans["parse_new"]
    inner = sum(s.cpu for s in tl.spans.values() if s.nested and s.step == "parse_store" and "waiting" not in s.label)
    print(f"{'parse_store':<19}{'  the rest (scheduling)':<26}{'':8}{'':8}{parse.cpu - inner:8.1f}")
    print(f"parse workers ({len(jobs):,} files, {len(list(logs.glob('*.tsv')))} processes):")
    print(f"  reading the files (parse_file)   {w_parse:8.1f} CPU s")
    print(f"  their rows and checks            {w_rows:8.1f} CPU s")
    print(f"  pickling the rows (measured)     {w_pickle:8.1f} CPU s, {w_bytes / 2**20:,.1f} MiB sent")
    print(f"  busy (wall, summed)              {w_busy:8.1f} s")
    idle = parse.wall - parse.cpu
    print(
        f"parent during the parse: {parse.wall:.1f} s wall, {parse.cpu:.1f} CPU s, idle {idle:.1f} s "
        f"({100 * idle / parse.wall:.0f}%); waiting for workers {tl.spans['  waiting for workers'].wall:.1f} s"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
