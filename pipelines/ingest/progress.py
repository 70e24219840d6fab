"""Progress of a long build, for whoever shows it; the build itself prints nothing.

A step reports (step, done, total) with `report`; a listener subscribed with `listening` receives
each report. `xxgk build` materializes the Dagster assets in its own process, so the listener the
command subscribes (a progress bar on a terminal) sees the parse step's progress as it happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, int, int], None]
PARSE = "parse"  # the step that parses new files: done and total are files

_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send every report to `listener` while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def report(step: str, done: int, total: int) -> None:
    """Tell the listeners how far `step` is (`done` of `total`)."""
    for listener in list(_listeners):
        listener(step, done, total)
