"""The tests keep off the user's data: the guard of tests/conftest.py, checked on itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import conftest
from tests.conftest import PROTECTED, ROOT


def test_listing_the_project_raw_folder_is_refused_and_recorded() -> None:
    with pytest.raises(PermissionError, match="data/raw"):
        os.listdir(ROOT / "data" / "raw")
    assert conftest.touched == [f"os.listdir {ROOT / 'data' / 'raw'}"]
    conftest.touched.clear()  # this test made the touch on purpose


def test_creating_a_warehouse_or_dagster_folder_in_the_project_is_refused() -> None:
    for path in (ROOT / "data" / "warehouse" / "new", ROOT / ".dagster" / "storage"):
        with pytest.raises(PermissionError):
            path.mkdir(parents=True)
    assert len(conftest.touched) == 2
    conftest.touched.clear()


def test_temporary_folders_are_free(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("一", encoding="utf-8")
    assert os.listdir(tmp_path / "raw") == ["a.txt"]
    assert conftest.touched == []


def test_settings_that_default_to_the_project_folders_point_elsewhere() -> None:
    for name in ("XXGK_RAW_DIR", "XXGK_WAREHOUSE", "XXGK_SOURCES", "DAGSTER_HOME"):
        value = Path(os.environ[name])
        assert not any(value == p or p in value.parents for p in PROTECTED), name
