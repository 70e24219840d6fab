"""Where a full build's memory goes: peak RSS per stage, main process against parse workers.

    .venv-test/bin/python -m bench.memory --n 10000

Runs `build_warehouse` in this process over the first N reports of bench.build's cached corpus
(a full build, into a fresh warehouse) while a thread samples the resident memory of this process
(VmRSS) and of its child processes (the parse pool's fork server and workers) every 20 ms. Each
stage of the chain (pipelines.ingest.stage) is wrapped to mark when it runs; the table gives its
wall time and the peak of the main process and of the largest child while it ran.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.build import _link, cached_corpus

# The stage functions as pipelines.ingest.stage calls them (wrapped where the module names them).
_STAGES = (
    "parse_new",
    "assemble",
    "read_current",
    "stream_facts",
    "derive",
    "validate_derived",
    "stage_warehouse",
    "build_marts",
    "publish",
)


def _rss_mib(pid: int | str) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(FileNotFoundError):
            for task in os.listdir(f"/proc/{p}/task"):
                with contextlib.suppress(FileNotFoundError), open(f"/proc/{p}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
                    out += kids
                    todo += kids
    return out


class Sampler:
    """Peak RSS of this process and of its largest descendant, per labelled stage."""

    def __init__(self) -> None:
        self.stage = "start"
        self.peaks: dict[str, list[float]] = {}  # stage → [wall s, main MiB, child MiB]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            main = _rss_mib(me)
            child = max((_rss_mib(p) for p in _descendants(me)), default=0.0)
            peak = self.peaks.setdefault(self.stage, [0.0, 0.0, 0.0])
            peak[1], peak[2] = max(peak[1], main), max(peak[2], child)
            time.sleep(0.02)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        self._thread.start()
        try:
            yield
        finally:
            self._stop.set()
            self._thread.join()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer, self.stage = self.stage, name
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.peaks.setdefault(name, [0.0, 0.0, 0.0])[0] += time.perf_counter() - start
                self.stage = outer

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="reports of the cached corpus to build")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xxgk-bench-corpus")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    from pipelines.ingest import stage

    work = Path(tempfile.mkdtemp(prefix="xxgk-mem-"))
    raw, warehouse = work / "raw", work / "wh" / "xxgk.duckdb"
    raw.mkdir()
    _link(cached_corpus(args.cache, "base", args.n, 0), raw)
    sampler = Sampler()
    for name in _STAGES:
        if hasattr(stage, name):
            setattr(stage, name, sampler.wrap(name, getattr(stage, name)))
    # StagedWarehouse.build_marts calls load.build_marts through stage's module-level import.
    start = time.perf_counter()
    with sampler.running():
        result = stage.build_warehouse(raw, warehouse, workers=args.workers)
    wall = time.perf_counter() - start
    print(f"full build of {args.n} reports: {wall:.1f} s, {result.summary.facts:,} facts")
    print(f"{'stage':<18}{'wall s':>8}{'main MiB':>10}{'worker MiB':>12}")
    for name, (seconds, main_mib, child_mib) in sampler.peaks.items():
        print(f"{name:<18}{seconds:8.1f}{main_mib:10,.0f}{child_mib:12,.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
