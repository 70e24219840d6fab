"""The parse split into shards by hash prefix (pipelines.ingest.shards): the plain functions the
distributed build's shard assets call, on the seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.ingest.parse_pool import parse_new
from pipelines.ingest.raw_folder import scan_raw_folder
from pipelines.ingest.shards import SHARD_PREFIXES, parse_shard, shard_files
from pipelines.tables.parse_store import store_beside
from tests.conftest import SEED_DIR


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(SEED_DIR, folder)
    shutil.copy(SEED_DIR / "003_288315dbaf6cd637.txt", folder / "copy_of_003.txt")
    return folder


def test_every_file_falls_in_exactly_one_shard_and_copies_of_a_content_in_the_same_one(
    raw: Path, tmp_path: Path
) -> None:
    manifest = scan_raw_folder(raw, tmp_path / "wh" / "xxgk.duckdb")
    shards = {p: shard_files(manifest, p).get_column("source_file").to_list() for p in SHARD_PREFIXES}
    assert sorted(f for files in shards.values() for f in files) == sorted(manifest.get_column("source_file"))
    (holding,) = [p for p, files in shards.items() if "copy_of_003.txt" in files]
    assert "003_288315dbaf6cd637.txt" in shards[holding]


def test_an_unknown_shard_is_refused(raw: Path, tmp_path: Path) -> None:
    manifest = scan_raw_folder(raw, tmp_path / "wh" / "xxgk.duckdb")
    with pytest.raises(ValueError, match="not a parse shard: 'g'"):
        shard_files(manifest, "g")


def test_the_shards_parsed_one_by_one_fill_the_store_as_one_parse_does(raw: Path, tmp_path: Path) -> None:
    sharded, whole = tmp_path / "sharded" / "xxgk.duckdb", tmp_path / "whole" / "xxgk.duckdb"
    manifest = scan_raw_folder(raw, sharded)
    parsed = sum(parse_shard(manifest, sharded, p).parsed for p in SHARD_PREFIXES)
    assert parsed == manifest.get_column("source_sha256").n_unique()
    parse_new(scan_raw_folder(raw, whole), whole, workers=1)
    frames_a, rejected_a, _ = store_beside(sharded).load(manifest)
    frames_b, rejected_b, _ = store_beside(whole).load(manifest)
    for name, frame in frames_b.frames().items():
        other = frames_a.frames()[name]
        assert other.sort(other.columns).equals(frame.sort(frame.columns)), name
    assert rejected_a.equals(rejected_b)
    # Parsed once: the whole folder over the sharded store finds nothing new.
    assert parse_new(manifest, sharded, workers=1).parsed == 0
