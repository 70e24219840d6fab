"""One writer per warehouse: a build holds a lock file beside the warehouse for its whole run.

The lock is an fcntl `flock` on `.<warehouse name>.lock` (the kernel drops it when the holder
dies, even by kill -9, so a lock is never left stale); the holder writes its pid, host, start
time and command into the file so that a build that finds it taken can say who holds it. While
we hold the lock no other build of this warehouse is alive, so the staging files found beside it
belong to a build that failed or was killed: they are removed when the lock is taken (and again
when it is released), which is what lets a full disk recover once space is freed; so are the
temporary files a killed build left in the parse store.

Taking the lock again in the same thread (the CLI takes it, then the Dagster run it starts asks
for it too) nests instead of waiting for itself.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipelines.tables.parse_store import store_beside
from pipelines.warehouse.load import remove_staging_leftovers

log = logging.getLogger(__name__)
_POLL_S = 0.2
_COMMAND_CHARS = 160  # of the holder's command line, in the lock file and the busy message
# (warehouse, thread) → how deep this thread holds it: a nested take by the same thread is free.
_held: dict[tuple[Path, int], int] = {}
_held_guard = threading.Lock()


@dataclass(frozen=True)
class Holder:
    """Who holds a warehouse's lock, as written into the lock file."""

    pid: int
    host: str
    started_at: str  # ISO 8601, UTC
    command: str
    warehouse: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.started_at} ({self.command})"


@dataclass(frozen=True)
class HeldLock:
    """The lock this process holds, and the leftovers of failed builds removed when it was taken."""

    holder: Holder
    removed: list[Path] = field(default_factory=list)
    waited: bool = False  # another build held it when asked: what was seen before may have changed


class WarehouseBusy(RuntimeError):
    """Another build holds the warehouse's lock (and kept it for longer than we would wait)."""

    def __init__(self, warehouse: Path, holder: Holder | None, waited: float) -> None:
        self.warehouse = warehouse
        self.holder = holder
        who = holder.describe() if holder else "another build (it has not said who yet)"
        waited_text = f" after waiting {waited:g} s" if waited > 0 else ""
        super().__init__(f"{warehouse}: another build is writing this warehouse{waited_text}: {who}")


def lock_path(warehouse: Path) -> Path:
    """The lock file of a warehouse: beside it, hidden, named after it."""
    warehouse = Path(warehouse)
    return warehouse.with_name(f".{warehouse.name}.lock")


def read_holder(warehouse: Path) -> Holder | None:
    """Who the lock file says holds the lock (None when it says nothing readable, e.g. released)."""
    try:
        data = json.loads(lock_path(warehouse).read_text(encoding="utf-8"))
        return Holder(**data)
    except (OSError, ValueError, TypeError):
        return None


def _this_holder(warehouse: Path) -> Holder:
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else "python"
    if len(command) > _COMMAND_CHARS:  # a Dagster run worker's arguments hold the whole run as JSON
        command = command[: _COMMAND_CHARS - 1] + "…"
    return Holder(
        pid=os.getpid(),
        host=socket.gethostname(),
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        command=command,
        warehouse=str(warehouse),
    )


def _flock(fd: int, wait: float) -> bool:
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_S)


@contextlib.contextmanager
def hold_warehouse(warehouse: Path, wait: float = 0.0) -> Iterator[HeldLock]:
    """Hold the warehouse's lock for the body: wait up to `wait` seconds for another build to
    finish, else raise WarehouseBusy naming it. Staging leftovers of failed builds are removed
    on taking and on releasing the lock."""
    warehouse = Path(warehouse).resolve()
    key = (warehouse, threading.get_ident())
    with _held_guard:
        nested = key in _held
        if nested:
            _held[key] += 1
    if nested:
        try:
            yield HeldLock(read_holder(warehouse) or _this_holder(warehouse))
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(warehouse), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waited = not _flock(fd, 0.0)
        if waited and not _flock(fd, wait):
            raise WarehouseBusy(warehouse, read_holder(warehouse), wait)
        # First make room (a full disk is why the last build may have failed), then say who we are.
        removed = [*remove_staging_leftovers(warehouse), *store_beside(warehouse).remove_leftovers(warehouse)]
        for path in removed:
            log.info("removed %s, left by a build that failed or was killed", path)
        holder = _this_holder(warehouse)
        with contextlib.suppress(OSError):  # no room to say who holds it must not stop the build
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(asdict(holder), ensure_ascii=False).encode(), 0)
        with _held_guard:
            _held[key] = 1
        try:
            yield HeldLock(holder, removed, waited)
        finally:
            with _held_guard:
                del _held[key]
            remove_staging_leftovers(warehouse)  # a failed run's staging file: not worth keeping
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the file releases the lock
