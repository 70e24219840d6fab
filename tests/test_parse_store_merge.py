"""The parse store's merging (parse_store.merge_runs, ParseStore.tidy): runs of neighbouring
segments of about one size become one, every lookup answers as before, the newest reading of a
content still wins, and a merge killed at any point leaves a store that reads as before."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

import pipelines.tables.parse_store as parse_store
from pipelines.formats.document import Rejection
from pipelines.ingest.parse_pool import parse_files
from pipelines.tables.frames import rejected_frame, report_frames
from pipelines.tables.parse_store import ParseStore, merge_runs, store_beside
from tests.conftest import SEED_DIR, SEEDS

MiB = 1 << 20


def test_equal_segments_merge_in_runs_of_the_factor_and_the_rest_wait() -> None:
    assert merge_runs([MiB] * 17, factor=8, floor=MiB) == [range(0, 8), range(8, 16)]
    assert merge_runs([MiB] * 7, factor=8, floor=MiB) == []


def test_segments_under_the_floor_are_one_size_and_larger_ones_are_not_merged_with_them() -> None:
    # A night's tiny segments of different sizes merge together...
    assert merge_runs([1_000, 50_000, 300, 20_000], factor=4, floor=MiB) == [range(0, 4)]
    # ...but not with the merged segments before them: 3 of 8 MiB wait for a fourth of their size.
    assert merge_runs([8 * MiB] * 3 + [MiB] * 4, factor=4, floor=MiB) == [range(3, 7)]
    assert merge_runs([8 * MiB] * 3 + [MiB] * 3, factor=4, floor=MiB) == []
    # A segment far larger than the ones after it is left alone; the ones after form their own band.
    assert merge_runs([512 * MiB] + [8 * MiB] * 4, factor=4, floor=MiB) == [range(1, 5)]


def test_the_segment_count_stays_logarithmic_as_batches_are_added() -> None:
    """Adding 1,000 equal batches and merging as tidy does: a few segments of each size, never
    the 1,000 (the store at 2 million reports in batches of 2,000)."""
    sizes: list[int] = []
    most = 0
    for _ in range(1000):
        sizes.append(MiB)
        while runs := merge_runs(sizes, factor=8, floor=MiB):
            for run in reversed(runs):
                sizes[run.start : run.stop] = [sum(sizes[run.start : run.stop])]
        most = max(most, len(sizes))
    assert len(sizes) == 1 + 7 + 5  # 1000 = 1*512 + 7*64 + 5*8 (+ 0 left): octal 1750
    assert most <= 4 * 7 + 1  # 7 of each of four sizes (1, 8, 64, 512 MiB), and the one just added


def _seed_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ParseStore, pl.DataFrame]:
    """A store of one segment per seed report, with a content rejected in an older segment and
    read in a newer one, and a content two builds stored at once (two segments); unmerged."""
    monkeypatch.setattr(parse_store, "_MERGE_FACTOR", 1000)
    store = store_beside(tmp_path / "xxgk.duckdb")
    frames = [report_frames(parse_files([SEED_DIR / seed]).reports) for seed in SEEDS]
    first = frames[0].reports.row(0, named=True)
    # The first seed was rejected once (a limit since changed), then read: the reading is newer.
    store.add(report_frames([]), rejected_frame([Rejection(first["source_file"], first["source_sha256"], "too big")]))
    for part in frames:
        store.add(part, rejected_frame([]))
    store.add(frames[1], rejected_frame([]))  # a second build stored the same content at once
    gone = Rejection("minutes.txt", "f" * 64, "minutes.txt: not a report")
    store.add(report_frames([]), rejected_frame([gone]))
    current = pl.concat([f.reports.select("source_file", "source_sha256") for f in frames])
    return store, pl.concat([current, pl.DataFrame({"source_file": ["minutes.txt"], "source_sha256": ["f" * 64]})])


def _answers(store: ParseStore, current: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every lookup's answer, its rows sorted (a merge may change their order, never the rows)."""
    frames, rejected, invalid = store.load(current)
    answers = {f"load {name}": frame for name, frame in frames.frames().items()}
    answers |= {"load rejected": rejected, "load invalid": invalid}
    answers["known"] = pl.DataFrame({"sha": sorted(store.known())})
    answers["rejections"] = store.rejections()
    answers["reports"] = store.reports(current.head(3))
    answers["fact_batches"] = pl.concat(list(store.fact_batches(current, rows=50)))
    return {name: frame.sort(pl.all()) for name, frame in answers.items()}


def _same(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), name


def test_a_store_past_the_threshold_merges_and_every_lookup_answers_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, current = _seed_store(tmp_path, monkeypatch)
    before = _answers(store, current)
    assert len(store.segments()) == len(SEEDS) + 3
    assert "too big" not in before["load rejected"].get_column("reason").to_list()  # the newer reading
    monkeypatch.setattr(parse_store, "_MERGE_FACTOR", 3)
    assert store.tidy() == 3  # 8 segments: two runs of 3, then the two merged and the two left
    assert len(store.segments()) == 2
    _same(before, _answers(store, current))
    # An add that makes a run merges it by itself: never three segments of one size.
    again = report_frames(parse_files([SEED_DIR / SEEDS[2]]).reports)
    for _ in range(4):
        store.add(again, rejected_frame([]))
        assert len(store.segments()) < 3
    _same(before, _answers(store, current))


def test_a_merged_run_keeps_its_place_so_a_newer_reading_still_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, current = _seed_store(tmp_path, monkeypatch)
    before = _answers(store, current)
    names = [seg.name for seg in store.segments()]
    # The old rejection's segment merged alone: it stays before the reading that replaced it.
    store._merge(store.segments()[:1])
    assert [seg.name for seg in store.segments()][:2] == [f"{names[0]}+001", names[1]]
    assert store.rejections().get_column("reason").to_list() == ["minutes.txt: not a report"]
    _same(before, _answers(store, current))
    # Merged again (with its neighbour): `+002` after `+001`, and the same answers.
    store._merge(store.segments()[:2])
    assert store.segments()[0].name == f"{names[1]}+001"
    store._merge(store.segments()[:1])
    assert store.segments()[0].name == f"{names[1]}+002"
    _same(before, _answers(store, current))


class _Killed(Exception):
    """The build killed at this point."""


def test_a_merge_killed_after_writing_its_segment_leaves_a_store_that_reads_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, current = _seed_store(tmp_path, monkeypatch)
    before = _answers(store, current)
    real_rename = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        if Path(src).name.startswith("seg-") and Path(dst).name.startswith(".tmp-"):
            raise _Killed  # the merged segment is in place, its run not yet removed
        real_rename(src, dst)

    monkeypatch.setattr(parse_store.os, "rename", rename)
    with pytest.raises(_Killed):
        store.compact()
    assert len(store.segments()) == len(SEEDS) + 4
    _same(before, _answers(store, current))
    monkeypatch.setattr(parse_store.os, "rename", real_rename)
    assert store.compact()  # the next merge takes the leftovers in
    assert len(store.segments()) == 1
    _same(before, _answers(store, current))


def test_a_merge_killed_while_writing_leaves_the_store_as_it_was_and_its_folder_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, current = _seed_store(tmp_path, monkeypatch)
    before = _answers(store, current)
    segments = store.segments()
    written: list[Path] = []
    real_sink = pl.LazyFrame.sink_parquet

    def sink(frame: pl.LazyFrame, path: Path, *args: object, **kwargs: object) -> None:
        if len(written) == 3:
            raise _Killed  # three tables of the merged segment written, the others not
        written.append(path)
        real_sink(frame, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pl.LazyFrame, "sink_parquet", sink)
    with pytest.raises(_Killed):
        store.compact()
    assert store.segments() == segments
    _same(before, _answers(store, current))
    assert store.remove_leftovers(tmp_path / "xxgk.duckdb") == [written[0].parent]
    assert not list(store.version_dir.glob(".tmp-*"))
