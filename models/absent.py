"""Imports made as where some optional libraries are not installed.

Some libraries import another one only if they can, and work without it: pandera imports pandas
(and its pandas engine) whenever pandas is importable, and takes its branch for polars-only
installs only when that import fails; structlog (which Dagster's storage imports) imports rich,
and mako (alembic's templates) pygments, each only for prettier error output. `xxgk build`'s
process needs none of them, and paid 0.2 CPU s a night importing them (models.schemas,
pipelines.cli). While `absent(...)` is open, those names cannot be imported ("No module named …",
as when not installed); they are importable again when it closes. A library imported already
stays as it is: this only decides what an import made inside it finds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from types import ModuleType


class _Absent:
    """A finder, first on sys.meta_path, that finds the named packages (and their modules) missing."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@contextmanager
def absent(*names: str) -> Iterator[None]:
    """Imports made inside find the packages `names` not installed (see the module's docstring)."""
    finder = _Absent(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
