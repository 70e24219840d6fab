from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(p.name for p in RAW.glob("*.txt"))


def golden_cells(seed_file: str) -> dict[tuple[str, str, str], tuple[float, str]]:
    """(table_key, row_key, column_key) → (value, value_status), as transcribed by hand."""
    with open(GOLDEN / f"{Path(seed_file).stem}.csv", encoding="utf-8", newline="") as fh:
        return {
            (r["table_key"], r["row_key"], r["column_key"]): (float(r["value"]), r["value_status"])
            for r in csv.DictReader(fh)
        }


def golden_metadata() -> dict[str, dict[str, str]]:
    with open(GOLDEN / "metadata.csv", encoding="utf-8", newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def warehouse_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every base table's rows, sorted (all columns but the times a build was run at)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        out = {}
        for name in sorted(names):
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
            ]
            if "detected_at" in cols:
                cols.remove("detected_at")
            out[name] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return [RAW / s for s in SEEDS]


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the five seeds (shared: tests only read it)."""
    from pipelines.ingest.stage import build_warehouse

    path = tmp_path_factory.mktemp("sample") / "xxgk.duckdb"
    build_warehouse(RAW, path)
    return path
