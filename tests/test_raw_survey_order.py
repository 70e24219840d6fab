"""The raw folder's survey lists the files to read in the order of their names' parts (a folder's
files together), whatever the listing's order, with subfolders and without."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest.raw_survey import survey_raw_folder


@pytest.mark.parametrize(
    "names",
    [
        ["b.txt", "a-c.txt", "a.txt", "报告.txt", "A.txt", "a b.txt"],
        # '-' sorts before '/' as a character, after it as a part: a-c.txt after a/z.txt
        ["a-c.txt", "a/z.txt", "a/b/c.txt", "a.txt", "b/a.txt", "ab.txt", "a/b-c.txt"],
    ],
    ids=["flat", "nested"],
)
def test_files_are_listed_in_the_order_of_their_names_parts(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    listed = [f.name for f in survey_raw_folder(tmp_path).entries]
    assert listed == sorted(names, key=lambda n: n.split("/"))
    assert len(listed) == len(names)
