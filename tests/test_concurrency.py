"""Readers and builds do not get in each other's way: a reader querying in a loop while builds
publish new warehouses never fails and never sees a half-built one."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.ingest.stage import build_warehouse
from tests.conftest import RAW, ROOT

READER = """
import json, sys, time
from pathlib import Path
from pipelines.warehouse.query import run_query
warehouse, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
seen, errors = [], []
while not stop.exists():
    try:
        result = run_query(
            "SELECT count(*) AS n, (SELECT count(*) FROM facts) AS cells,"
            " (SELECT count(*) FROM mart_agency_year) AS marts FROM reports",
            warehouse,
        )
        seen.append(list(result.rows[0]))
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
out.write_text(json.dumps({"seen": seen, "errors": errors}))
"""


@pytest.mark.slow
def test_a_reader_in_a_loop_never_fails_while_builds_run(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    build_warehouse(RAW, warehouse)
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop), str(out)], cwd=ROOT)
    try:
        time.sleep(1.0)  # let the reader start querying
        for _ in range(5):
            build_warehouse(RAW, warehouse)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    result = json.loads(out.read_text())
    assert result["errors"] == []
    assert len(result["seen"]) > 10
    assert all(row == [5, 986, 5] for row in result["seen"])  # always a whole warehouse
