"""A parse store's segment is on disk before it is one: its files are flushed before the rename
that names it a segment (add, and a merge of a run), and the folder after it, so a power loss
leaves the store as it was or with one more whole segment, never a truncated one."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipelines.tables.parse_store as parse_store
from pipelines.ingest.parse_pool import parse_files
from pipelines.tables.frames import rejected_frame, report_frames
from pipelines.tables.parse_store import store_beside
from tests.conftest import SEED_DIR, SEEDS


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(what, the path's name) of each flush and rename the store makes, in order."""
    events: list[tuple[str, str]] = []
    rename, flush_files, flush = parse_store.os.rename, parse_store.fsync_files, parse_store.fsync_path

    def renamed(src: Path, dst: Path) -> None:
        events.append(("rename", Path(src).name))
        rename(src, dst)

    def files_flushed(folder: Path) -> None:
        events.append(("files", Path(folder).name))
        flush_files(folder)

    def flushed(path: Path) -> None:
        events.append(("folder", Path(path).name))
        flush(path)

    monkeypatch.setattr(parse_store.os, "rename", renamed)
    monkeypatch.setattr(parse_store, "fsync_files", files_flushed)
    monkeypatch.setattr(parse_store, "fsync_path", flushed)
    return events


def test_a_new_segment_is_flushed_before_its_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_beside(tmp_path / "xxgk.duckdb")
    events = _recording(monkeypatch)
    store.add(report_frames(parse_files([SEED_DIR / SEEDS[0]]).reports), rejected_frame([]))
    tmp = events[0][1]
    assert tmp.startswith(".tmp-")
    assert events[:3] == [("files", tmp), ("rename", tmp), ("folder", store.version_dir.name)]


def test_a_merged_segment_is_flushed_before_it_replaces_its_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_store, "_MERGE_FACTOR", 2)
    store = store_beside(tmp_path / "xxgk.duckdb")
    store.add(report_frames(parse_files([SEED_DIR / SEEDS[0]]).reports), rejected_frame([]))
    events = _recording(monkeypatch)
    store.add(report_frames(parse_files([SEED_DIR / SEEDS[1]]).reports), rejected_frame([]))  # a run of two: merged
    assert len(store.segments()) == 1
    merged_tmp = events[3][1]  # after the new segment's flush, rename and folder flush
    assert events[3:6] == [("files", merged_tmp), ("rename", merged_tmp), ("folder", store.version_dir.name)]
    # The run's two segments leave only after the merged one is on disk.
    left = [name for what, name in events[6:] if what == "rename"]
    assert len(left) == 2
    assert all(name.startswith("seg-") for name in left)
