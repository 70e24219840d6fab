"""What one analyst query may take: time, memory, threads, and how many rows are printed.

Apart from query.py (which needs DuckDB and sqlglot) so that `xxgk --help` can print the defaults
without loading either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY = "2GB"
DEFAULT_THREADS = 4
DEFAULT_MAX_ROWS = 100  # printed; the rest are counted, and --out writes them all

_SIZE = re.compile(r"\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[KMGT]i?B|B)?\s*", re.IGNORECASE)
_UNITS = {
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
}


def parse_size(text: str) -> int:
    """'2GB' → 2_000_000_000: units as DuckDB reads them (KB, MB, GB decimal; KiB, MiB, GiB binary)."""
    m = _SIZE.fullmatch(text)
    if not m:
        raise ValueError(f"'{text}' is not a size like 512MB or 2GB")
    return int(float(m["n"]) * _UNITS[(m["unit"] or "B").upper()])


@dataclass(frozen=True)
class Limits:
    """The time, memory and threads one query may take; ValueError names a bad one."""

    seconds: float = DEFAULT_SECONDS
    memory: str = DEFAULT_MEMORY
    threads: int = DEFAULT_THREADS
    memory_bytes: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError(f"the time limit must be positive, not {self.seconds:g}")
        if self.threads < 1:
            raise ValueError(f"threads must be at least 1, not {self.threads}")
        size = parse_size(self.memory)
        if size < 2**24:
            raise ValueError(f"the memory limit {self.memory} is too small (16MiB at least)")
        object.__setattr__(self, "memory_bytes", size)
