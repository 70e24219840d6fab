"""The project's catalog is the spec's, and it enumerates every cell of both templates."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from models.catalog import CATALOG_DIR, CellKey, cell_key, cells_for, columns_for, rows_for

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"


@pytest.mark.parametrize("name", ["rows.csv", "columns.csv"])
def test_catalog_is_in_step_with_the_shared_spec(name: str) -> None:
    if not (SPEC / name).is_file():
        pytest.skip("shared/spec is not beside this checkout")
    assert (CATALOG_DIR / name).read_bytes() == (SPEC / name).read_bytes()


def test_the_2021_template_has_200_cells() -> None:
    cells = cells_for("2021")
    assert len(cells) == 200
    assert len(set(cells)) == 200
    assert sum(1 for c in cells if c.section == 3) == 25 * 7
    assert sum(1 for c in cells if c.section == 4) == 15


def test_the_2019_template_has_its_own_section_2_and_one_other_handling_row() -> None:
    rows = {r.row_key for r in rows_for("2019", 3)}
    assert "other_handling" in rows
    assert not rows & {"other_overdue_correction", "other_unpaid_fee", "other_other"}
    assert [c.column_key for c in columns_for("2019", "art20_5")] == ["prior_year_items", "change", "decisions"]
    assert len(cells_for("2019")) == 6 + 6 + 6 + 2 + 2 + 23 * 7 + 15


def test_unknown_template_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown template"):
        cells_for("2030")


def test_a_cell_key_made_twice_is_one_object() -> None:
    key = cell_key(3, "requests", "granted", "total")
    assert cell_key(3, "requests", "granted", "total") is key
    fresh = CellKey(3, "requests", "granted", "total")
    assert fresh is key
    assert {key: 1}[fresh] == 1
    assert fresh != CellKey(3, "requests", "granted", "natural_person")
    assert replace(key, column_key="natural_person") is CellKey(3, "requests", "granted", "natural_person")


def test_a_cell_key_pickled_in_a_process_with_another_hash_seed_is_found_in_this_one() -> None:
    # A parse worker sends a report's cells to the build: the key's cached hash must be this
    # process's, not the worker's (string hashes differ between processes).
    code = (
        "import pickle, sys; from models.catalog import CellKey; "
        "sys.stdout.buffer.write(pickle.dumps({CellKey(3, 'requests', 'granted', 'total'): 7}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"}
    data = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, env=env, cwd=Path(__file__).parents[1]
    ).stdout
    cells = pickle.loads(data)
    assert cells[CellKey(3, "requests", "granted", "total")] == 7
    (key,) = cells
    assert copy.deepcopy(key) is key
    assert copy.copy(key) is key
