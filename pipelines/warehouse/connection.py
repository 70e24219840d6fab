"""How the build opens DuckDB: every connection with a memory limit, a thread count and a spill folder.

DuckDB's own defaults are a buffer pool of 80% of the machine's memory and a thread per core, per
connection: on a large machine a build's marts and loads could take most of its memory before
spilling anything. Every connection `xxgk build` (and the Dagster assets) opens on a warehouse or
its staging file comes from `connect` here instead, with

- `memory_limit` from XXGK_BUILD_MEMORY (default DEFAULT_MEMORY): past it DuckDB spills to disk;
- `threads` from XXGK_BUILD_THREADS (default: the cores, at most DEFAULT_MAX_THREADS): each
  thread of an aggregation or join holds its own part of the state;
- `temp_directory` beside the database file (`<file>.spill`): for a staging file that is a
  staging leftover like the file itself, removed with it if the build dies.

The analysts' connections (pipelines.warehouse.query) have their own, stricter, limits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.warehouse.limits import parse_size

if TYPE_CHECKING:  # imported when a connection is made: `xxgk build` checks the settings first
    import duckdb

DEFAULT_MEMORY = "1GiB"
DEFAULT_MAX_THREADS = 4
MEMORY_ENV = "XXGK_BUILD_MEMORY"
THREADS_ENV = "XXGK_BUILD_THREADS"
_SPILL = ".spill"


@dataclass(frozen=True)
class BuildLimits:
    """What one DuckDB connection of the build may take."""

    memory_bytes: int
    threads: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BuildLimits:
        """The defaults, with XXGK_BUILD_MEMORY (a size: 512MB, 2GiB) and XXGK_BUILD_THREADS
        overriding them; a bad value is a ValueError naming the variable."""
        environ = os.environ if environ is None else environ
        memory = environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY
        try:
            size = parse_size(memory)
        except ValueError as exc:
            raise ValueError(f"{MEMORY_ENV}={memory!r}: {exc}") from None
        if size < 2**26:
            raise ValueError(f"{MEMORY_ENV}={memory!r}: too small for a build (64MiB at least)")
        threads_text = environ.get(THREADS_ENV, "").strip()
        threads = min(os.cpu_count() or 1, DEFAULT_MAX_THREADS)
        if threads_text:
            threads = int(threads_text) if threads_text.isdigit() else 0
            if threads < 1:
                raise ValueError(f"{THREADS_ENV}={threads_text!r}: not a positive integer")
        return cls(size, threads)


def file_identity(path: Path) -> tuple[int, int, int, int]:
    """A database file's identity (device, inode, size, modification time in ns): a build
    publishes a warehouse by renaming a new file over it, never by writing it, so a file with the
    same identity holds the same warehouse."""
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def spill_dir(database: Path) -> Path:
    """Where DuckDB spills what does not fit in its memory limit, for the database file at `database`."""
    return Path(database).with_name(Path(database).name + _SPILL)


def connect(database: Path, read_only: bool = False, limits: BuildLimits | None = None) -> duckdb.DuckDBPyConnection:
    """A connection of the build to the database file at `database`, limited (BuildLimits.from_env)."""
    import duckdb

    limits = limits or BuildLimits.from_env()
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": f"{limits.memory_bytes}B",
        "threads": limits.threads,
        "temp_directory": str(spill_dir(database)),
    }
    return duckdb.connect(str(database), read_only=read_only, config=config)
