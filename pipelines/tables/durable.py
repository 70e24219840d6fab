"""Files that must survive a power loss: flushed to disk before a rename makes them visible, and the
folder's entries flushed after it. Used by the parse store (its segments) and the warehouse's facts
files; the tables layer holds it so that both can (imports go one way: tables before warehouse)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (a rename), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_files(folder: Path) -> None:
    """Flush every file directly in `folder` (a segment written in a temporary folder, before the
    rename that makes it part of the store)."""
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            fsync_path(Path(entry.path))
