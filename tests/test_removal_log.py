"""The removal log (parse_store.record_removals): what a night records of the files gone from the
raw folder since the previous build, and which entries it hands on."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.tables.parse_store import record_removals


def _manifest(*files: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"source_file": [f for f, _ in files], "source_sha256": [s for _, s in files]},
        schema={"source_file": pl.String, "source_sha256": pl.String},
    )


def test_removed_and_changed_files_are_logged_with_their_reason_and_a_renamed_one_is_not(tmp_path: Path) -> None:
    previous = _manifest(("a.txt", "a" * 64), ("b.txt", "b" * 64), ("c.txt", "c" * 64), ("d.txt", "d" * 64))
    # a kept, b changed in place, c removed, d renamed (same content under another name)
    current = _manifest(("a.txt", "a" * 64), ("b.txt", "e" * 64), ("d2.txt", "d" * 64))
    log = record_removals(previous, current, tmp_path / "removals.parquet")
    reasons = dict(zip(log["source_file"], log["reason"], strict=True))
    assert reasons == {
        "b.txt": "b.txt: file changed, its new content is eeeeeeeeeeee",
        "c.txt": "c.txt: file removed from the raw folder",
    }
    assert pl.read_parquet(tmp_path / "removals.parquet").height == 2


def test_the_log_keeps_each_entry_once_and_hands_on_only_contents_still_gone(tmp_path: Path) -> None:
    path = tmp_path / "removals.parquet"
    previous = _manifest(("a.txt", "a" * 64), ("c.txt", "c" * 64))
    record_removals(previous, _manifest(("a.txt", "a" * 64)), path)
    # the same removal seen again is not logged twice
    record_removals(previous, _manifest(("a.txt", "a" * 64)), path)
    assert pl.read_parquet(path).height == 1
    # c's content back under another name: still in the log, no longer handed on
    back = record_removals(_manifest(("a.txt", "a" * 64)), _manifest(("a.txt", "a" * 64), ("c3.txt", "c" * 64)), path)
    assert back.height == 0
    assert pl.read_parquet(path).height == 1


def test_a_night_with_nothing_gone_writes_no_log(tmp_path: Path) -> None:
    same = _manifest(("a.txt", "a" * 64))
    assert record_removals(same, same, tmp_path / "removals.parquet").height == 0
    assert not (tmp_path / "removals.parquet").exists()
