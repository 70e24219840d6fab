"""The garbage collector as a parse worker (pipelines.ingest.parse_pool) runs it; standard library
only, so that bench.throughput runs it so too without importing the build."""

from __future__ import annotations

import gc

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
