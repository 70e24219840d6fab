"""The garbage collector as the build runs it: the build's long-lived imports kept out of its walk
(kept_for_good, `xxgk build`), and a parse worker's settings (collector_for_parsing,
pipelines.ingest.parse_pool). Standard library only, so that the benchmarks run it as the build
does without importing the build."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young collections in a parse worker come every this many new objects (Python's default: 700).
# A text report makes a few thousand, nearly all freed by their reference counts as soon as the
# report is sent; a collection every 700 scans them half-made, a dozen times a report.
GEN0_THRESHOLD = 10_000


def collector_for_parsing(warm: bool = False) -> None:
    """The garbage collector as a parse worker runs it (bench.throughput runs it so too). At the
    start, what the forkserver imported (the parser and its libraries: some 140,000 objects), which
    lives as long as the worker, is moved out of the collector's reach, so a full collection (which
    the parser's growing caches set off) scans what parsing made, not every module (85 ms each here
    before; 400 text reports read once: 3.1 -> 2.6-2.8 ms CPU per report); and young collections
    come every GEN0_THRESHOLD objects. After the first report (`warm`), what it made that lives on
    (the template's catalog, rules and cell keys, the readers' first cached rows and labels) is
    moved out too: 700 text reports read once after 60, CPU spent collecting per report:
    text-tabs 0.117 -> 0.023 ms, text-spaces 0.261 -> 0.074 ms, text-pdftotext 0.234 -> 0.028 ms."""
    gc.freeze()
    if not warm:
        gc.set_threshold(GEN0_THRESHOLD)


@contextmanager
def kept_for_good() -> Iterator[None]:
    """Imports whose objects live as long as the process (a build's parser, Dagster, its
    definitions: some 370,000 objects): the garbage collector is off while they run, and what
    they made is then frozen (gc.freeze), out of every later collection's walk. Python's collector
    otherwise walked them again and again as they grew and through the run (1.05 CPU s of a 1%-new
    night's 7.5 in the build's process, 0.8 s of it full collections; the imports alone 1.7 -> 1.2
    CPU s). Frozen before the parse server's fork, the server and its workers share those pages
    instead of copying them as a collection touches them (gc.freeze's documented use)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
