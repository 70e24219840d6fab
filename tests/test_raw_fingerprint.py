"""The fingerprint a build saves (build_inputs, from its scan) is the one the next night's cheap
check takes from a survey of the same folder (current_inputs): else every night would rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.ingest.fingerprint import current_inputs, files_signature, lines_signature
from pipelines.ingest.raw_folder import RawFiles, build_inputs, read_given
from pipelines.ingest.raw_survey import survey_raw_folder


def _folder(raw: Path, kind: str) -> None:
    raw.mkdir()
    if kind == "empty":
        return
    (raw / "r1.txt").write_text("报告一")
    (raw / "北京市财政局2023年报告.txt").write_text("报告二")
    (raw / "2024").mkdir()
    (raw / "2024" / "r3.html").write_text("<p>报告三</p>")
    if kind == "with refusals":
        (raw / "link.txt").symlink_to(raw / "r1.txt")
        os.mkfifo(raw / "pipe")


@pytest.mark.parametrize("kind", ["empty", "files", "with refusals"])
def test_a_builds_fingerprint_is_the_cheap_checks_of_the_same_folder(tmp_path: Path, kind: str) -> None:
    raw = tmp_path / "raw"
    _folder(raw, kind)
    survey = survey_raw_folder(raw.resolve())
    scanned = RawFiles.scan(raw.resolve(), tmp_path / "xxgk.duckdb", survey)
    built = build_inputs(scanned.read(), read_given(raw, scanned.refused))
    assert built.files == current_inputs(raw, survey).files
    assert len(survey.refused) == (2 if kind == "with refusals" else 0)


def test_the_joined_lines_hash_as_the_rows_do() -> None:
    rows = [("a/报告.txt", 0, -1), ("b.pdf", 10**12, 1_733_000_000_123_456_789)]
    lines = "".join(f"{n}\0{s}\0{m}\n" for n, s, m in rows)
    assert lines_signature(lines, ["z", "a"]) == files_signature(rows, ["a", "z"])
    assert lines_signature("") == files_signature([])
