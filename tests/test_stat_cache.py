"""The raw folder's stat cache (parse_store.hash_files): a file is read and hashed again only when
its size or mtime changed, and the scan lists the files in the survey's order."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import polars as pl

from pipelines.ingest.raw_survey import survey_raw_folder
from pipelines.tables.parse_store import hash_files


def _scan(raw: Path, cache: Path) -> dict[str, str]:
    manifest = hash_files(survey_raw_folder(raw).entries, cache)
    assert manifest.get_column("source_file").to_list() == [f.name for f in survey_raw_folder(raw).entries]
    return dict(zip(manifest.get_column("source_file"), manifest.get_column("source_sha256"), strict=True))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_file_is_hashed_again_only_when_its_size_or_mtime_changed(tmp_path: Path) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "store" / "filestat.parquet"
    (raw / "2023").mkdir(parents=True)
    files = {"b.txt": b"bbbb", "a.txt": b"aaaa", "2023/c.txt": b"cccc"}
    for name, data in files.items():
        (raw / name).write_bytes(data)
    assert _scan(raw, cache) == {name: _sha(data) for name, data in files.items()}

    # Same size and mtime: the cache's hash stands, the file is not read (its new bytes unseen).
    stat = (raw / "a.txt").stat()
    (raw / "a.txt").write_bytes(b"AAAA")
    os.utime(raw / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # Another mtime, and another size: read again; a new file: read.
    (raw / "b.txt").write_bytes(b"BBBB")
    os.utime(raw / "b.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    (raw / "2023" / "c.txt").write_bytes(b"ccccc")
    (raw / "d.txt").write_bytes(b"dddd")
    assert _scan(raw, cache) == {
        "a.txt": _sha(b"aaaa"),
        "b.txt": _sha(b"BBBB"),
        "2023/c.txt": _sha(b"ccccc"),
        "d.txt": _sha(b"dddd"),
    }


def test_an_empty_raw_folder_scans_to_no_rows_with_the_caches_columns(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    manifest = hash_files(survey_raw_folder(raw).entries, tmp_path / "filestat.parquet")
    assert manifest.height == 0
    assert manifest.columns == ["source_file", "path", "size", "mtime_ns", "source_sha256"]


def test_a_file_gone_after_the_survey_is_refused_with_its_reason_and_the_others_are_hashed(tmp_path: Path) -> None:
    from pipelines.ingest.raw_folder import RawFiles

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (raw / name).write_bytes(name.encode() * 3)
    survey = survey_raw_folder(raw)
    (raw / "b.txt").unlink()  # between the night's listing and its hashing
    scanned = RawFiles.scan(raw, tmp_path / "wh" / "xxgk.duckdb", survey)
    assert scanned.files == 2
    assert [r.source_file for r in scanned.refused] == ["b.txt"]
    assert scanned.refused[0].reason.startswith("b.txt: could not be read after the raw folder was listed")
    # a second step scanning with the same survey does not refuse it twice
    again = RawFiles.scan(raw, tmp_path / "wh" / "xxgk.duckdb", survey)
    assert [r.source_file for r in again.refused] == ["b.txt"]


def test_a_scan_that_changes_no_row_leaves_the_cache_unwritten_and_one_that_does_rewrites_it(tmp_path: Path) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "store" / "filestat.parquet"
    raw.mkdir()
    for name in ("a.txt", "b.txt"):
        (raw / name).write_bytes(name.encode())
    first = _scan(raw, cache)
    written = cache.stat()
    os.utime(cache, ns=(written.st_atime_ns, written.st_mtime_ns - 1_000_000_000))  # an older write, to tell
    before = cache.stat()
    assert _scan(raw, cache) == first
    assert (cache.stat().st_ino, cache.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    (raw / "c.txt").write_bytes(b"c")
    assert _scan(raw, cache) == {**first, "c.txt": _sha(b"c")}
    assert cache.stat().st_mtime_ns != before.st_mtime_ns
    (raw / "c.txt").unlink()  # a file gone is a changed row too
    assert _scan(raw, cache) == first
    assert pl.read_parquet(cache).get_column("source_file").to_list() == ["a.txt", "b.txt"]
