"""Frames set aside by key on disk (pipelines.warehouse.spill) read back as appended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl

from pipelines.warehouse.spill import Spill

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = pl.Schema({"key": pl.Int32, "name": pl.String, "value": pl.Float64})


def _rows(n: int, start: int) -> pl.DataFrame:
    return pl.DataFrame(
        {"key": [k % 3 for k in range(start, start + n)], "name": [f"行{k}" for k in range(start, start + n)]},
        schema={"key": pl.Int32, "name": pl.String},
    ).with_columns(pl.col("key").cast(pl.Float64).alias("value"))


def test_each_keys_rows_read_back_in_the_order_appended_across_batches(tmp_path: Path) -> None:
    batches = [_rows(10, 0), _rows(7, 10), _rows(5, 17)]
    with Spill(tmp_path / "spill", SCHEMA) as spill:
        for batch in batches:
            for (key,), rows in batch.partition_by("key", as_dict=True).items():
                spill.append(key, rows)
        whole = pl.concat(batches)
        for key in (0, 1, 2):
            assert spill.read(key).equals(whole.filter(pl.col("key") == key))
        assert spill.read(7).height == 0  # a key never appended to: no rows, the columns
        assert spill.read(7).schema == SCHEMA


def test_the_scratch_folder_is_gone_after_the_spill_even_when_it_fails(tmp_path: Path) -> None:
    folder = tmp_path / "spill"
    try:
        with Spill(folder, SCHEMA) as spill:
            spill.append(1, _rows(4, 0), "a/b/rows.arrows")
            assert (folder / "a" / "b" / "rows.arrows").is_file()
            raise RuntimeError("a build failing midway")
    except RuntimeError:
        pass
    assert not folder.exists()


def test_appending_and_reading_back_needs_no_pyarrow_compute(tmp_path: Path) -> None:
    # A night's build process imports pyarrow.compute (25 ms) nowhere but here, if Arrow's cast runs.
    script = (
        "import sys, polars as pl\n"
        "from pathlib import Path\n"
        "from pipelines.warehouse.spill import Spill\n"
        "schema = pl.Schema({'key': pl.Int32, 'name': pl.String, 'value': pl.Float64})\n"
        "rows = pl.DataFrame({'key': [1, 2], 'name': ['行1', None], 'value': [1.5, None]}, schema=schema)\n"
        f"with Spill(Path({str(tmp_path / 'spill')!r}), schema) as spill:\n"
        "    spill.append(1, rows)\n"
        "    assert spill.read(1).equals(rows)\n"
        "print('pyarrow.compute' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
