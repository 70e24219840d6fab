"""Readers and builds do not get in each other's way: a reader querying in a loop while builds
publish new warehouses never fails and never sees a half-built one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.stage import build_warehouse
from pipelines.warehouse.query import open_whole
from tests.conftest import ROOT, SEED_DIR

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
    build_warehouse(SEED_DIR, warehouse)
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop), str(out)], cwd=ROOT)
    try:
        time.sleep(1.0)  # let the reader start querying
        for _ in range(5):
            build_warehouse(SEED_DIR, warehouse)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    result = json.loads(out.read_text())
    assert result["errors"] == []
    assert len(result["seen"]) > 10
    assert all(row == [5, 986, 5] for row in result["seen"])  # always a whole warehouse


def test_a_warehouse_replaced_while_a_reader_connects_is_opened_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB opens the file three times as it connects; a publish between two of them would mix
    # two warehouses. Here a build publishes (os.replace) during the reader's first connection.
    warehouse, newer = tmp_path / "xxgk.duckdb", tmp_path / ".xxgk.duckdb.staging-1"
    for path, value in ((warehouse, "published"), (newer, "newer")):
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE t AS SELECT ? AS v", [value])
        con.close()
    real_connect = duckdb.connect
    calls = []

    def connect_while_publishing(database: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        calls.append(database)
        con = real_connect(database, *args, **kwargs)
        if len(calls) == 1:
            os.replace(newer, warehouse)  # the publish, while this connection was being made
        return con

    monkeypatch.setattr(duckdb, "connect", connect_while_publishing)
    con = open_whole(warehouse)
    assert con.execute("SELECT v FROM t").fetchone() == ("newer",)
    assert len(calls) == 2  # the first connection was closed and made again
    con.close()
