"""The parse pool's fork server: the process its workers are forked from (pipelines.ingest.parse_pool).

It is a clean process that imports the parser once (parse_warmup), never this one (its threads:
Dagster, polars, DuckDB), so forking it is safe, and a new or recycled worker starts warm in
milliseconds. Standard library only: `xxgk build` starts it before it loads anything heavy.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver

# Imported once by the fork server, so a new or recycled worker starts in milliseconds.
PRELOAD = ["pipelines.ingest.parse_warmup"]


def parse_context() -> multiprocessing.context.ForkServerContext:
    """The multiprocessing context the parse workers start in (forkserver, the parser preloaded)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_parse_server() -> None:
    """Start the fork server now rather than at the first file to parse: loading the parser costs
    it about 1.7 CPU s, which then runs on another core while the build does what comes before
    the parse (Dagster's imports and run, the scan). The pool uses the running server."""
    parse_context()
    forkserver.ensure_running()
