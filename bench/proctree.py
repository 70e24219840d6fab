"""The memory of a process tree, sampled from /proc (Linux): what bench.build and bench.memory print.

Each sample reads every process's /proc/<pid>/smaps_rollup: RSS (resident pages, shared ones
counted in full by every process that maps them), PSS (each shared page divided among the
processes that map it: the tree's PSS add up to what it really holds) and USS (private pages:
what would be freed if that process alone exited). A process forked from a large one shares its
pages until either writes them, so the tree's RSS overstates it and its PSS does not.

`ru_maxrss` (getrusage) is no substitute: it is the high-water mark of one process, and a forked
process starts with its parent's (Linux copies the resident count at fork), so it names neither
the tree's total nor the step that reached it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

_FIELDS = {"Rss:": "rss", "Pss:": "pss", "Private_Clean:": "private", "Private_Dirty:": "private", "Anonymous:": "anon"}


@dataclass(frozen=True)
class ProcessMemory:
    """One process at one sample (MiB)."""

    pid: int
    ppid: int
    name: str
    rss: float
    pss: float
    uss: float
    anon: float


def read_memory(pid: int) -> ProcessMemory | None:
    """The process's memory, or None if it has gone."""
    sizes = dict.fromkeys(("rss", "pss", "private", "anon"), 0)
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                key, _, rest = line.partition(" ")
                if key in _FIELDS:
                    sizes[_FIELDS[key]] += int(rest.split()[0])
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            ppid = int(fh.read().rpartition(")")[2].split()[1])
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().decode("utf-8", "replace").split("\0")
    except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
        return None
    return ProcessMemory(
        pid, ppid, _name(argv), sizes["rss"] / 1024, sizes["pss"] / 1024, sizes["private"] / 1024, sizes["anon"] / 1024
    )


def _name(argv: list[str]) -> str:
    """A short name for a command line: `xxgk build`, `fork server`, `tail`…"""
    line = " ".join(argv)
    if "forkserver" in line:
        return "fork server"
    if "resource_tracker" in line:
        return "resource tracker"
    for k, arg in enumerate(argv):
        if arg.endswith("/xxgk") or arg == "xxgk":
            return " ".join(["xxgk", *argv[k + 1 : k + 2]])
    return os.path.basename(argv[0]) if argv and argv[0] else "?"


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children of all its threads, recursively)."""
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


@dataclass(frozen=True)
class Sample:
    at: float  # time.time()
    stage: str
    processes: tuple[ProcessMemory, ...]

    @property
    def pss(self) -> float:
        return sum(p.pss for p in self.processes)

    @property
    def rss(self) -> float:
        return sum(p.rss for p in self.processes)

    @property
    def largest(self) -> ProcessMemory | None:
        return max(self.processes, key=lambda p: p.rss, default=None)


@dataclass
class StagePeak:
    """A stage's wall time (when wrapped) and its samples' peaks (MiB)."""

    wall: float = 0.0
    root_rss: float = 0.0  # the sampled root process itself
    child_rss: float = 0.0  # its largest descendant
    tree_pss: float = 0.0
    tree_rss: float = 0.0
    largest: ProcessMemory | None = None  # the largest process (RSS) of the stage


@dataclass
class TreeSampler:
    """Samples a process tree (`root`, this process by default, and every descendant) every
    `interval` seconds in a thread, each sample labelled with the stage running then."""

    root: int = field(default_factory=os.getpid)
    interval: float = 0.1
    include_root: bool = True
    stage: str = "start"
    samples: list[Sample] = field(default_factory=list)
    walls: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> Sample:
        pids = [self.root, *descendants(self.root)] if self.include_root else descendants(self.root)
        procs = tuple(m for m in map(read_memory, pids) if m is not None)
        # Forked children of a fork server (its parse workers) keep its command line.
        servers = {p.pid for p in procs if p.name == "fork server"}
        procs = tuple(
            ProcessMemory(p.pid, p.ppid, "parse worker", p.rss, p.pss, p.uss, p.anon) if p.ppid in servers else p
            for p in procs
        )
        return Sample(time.time(), self.stage, procs)

    def _run(self) -> None:
        # Every 10 ms for the first half second: a run that ends that soon (a night with nothing
        # new) is sampled too, and its child is seen once it has been spawned.
        began = time.monotonic()
        while not self._stop.is_set():
            self.samples.append(self.sample())
            self._stop.wait(min(self.interval, 0.01) if time.monotonic() - began < 0.5 else self.interval)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        thread = threading.Thread(target=self._run, daemon=True)
        self._stop.clear()
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """`fn`, marking its calls as stage `name` (and adding up their wall time)."""

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer, self.stage = self.stage, name
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.walls[name] = self.walls.get(name, 0.0) + time.perf_counter() - start
                self.stage = outer

        return timed

    def label(
        self,
        spans: list[tuple[float, float, str]],
        before: str = "start",
        after: str = "end",
        between: str = "between",
    ) -> None:
        """Label the samples by time: `spans` are (start, end, stage) in time.time()."""
        first = min((s for s, _, _ in spans), default=float("inf"))
        last = max((e for _, e, _ in spans), default=float("-inf"))

        def stage(at: float) -> str:
            running = [name for start, end, name in spans if start <= at <= end]
            if running:
                return "+".join(running)
            return before if at < first else after if at > last else between

        self.samples = [Sample(s.at, stage(s.at), s.processes) for s in self.samples]

    def peaks(self) -> dict[str, StagePeak]:
        """Per stage, in the order the stages first ran."""
        out: dict[str, StagePeak] = {}
        for s in self.samples:
            peak = out.setdefault(s.stage, StagePeak())
            for p in s.processes:
                if p.pid == self.root:
                    peak.root_rss = max(peak.root_rss, p.rss)
                else:
                    peak.child_rss = max(peak.child_rss, p.rss)
            peak.tree_pss, peak.tree_rss = max(peak.tree_pss, s.pss), max(peak.tree_rss, s.rss)
            big = s.largest
            if big is not None and (peak.largest is None or big.rss > peak.largest.rss):
                peak.largest = big
        for name, wall in self.walls.items():
            out.setdefault(name, StagePeak()).wall = wall
        return out

    def peak(self) -> tuple[Sample | None, Sample | None]:
        """The sample with the tree's largest PSS and the one with the largest single process."""
        tree = max(self.samples, key=lambda s: s.pss, default=None)
        single = max(
            (s for s in self.samples if s.processes), key=lambda s: s.largest.rss if s.largest else 0.0, default=None
        )
        return tree, single
