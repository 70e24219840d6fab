"""What an analyst sees in the Dagster UI: where the warehouse is, what each mart holds, which
checks belong to which asset, one lineage; and `xxgk ui`, which starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs, ingest_assets, ingest_checks
from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources
from pipelines.warehouse.marts import discover_marts
from tests.conftest import ROOT, SEED_DIR

MARTS = [m.name for m in discover_marts()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dg.AssetMaterialization]]:
    """The seeds materialised by the Dagster assets into a temporary warehouse; the last
    materialisation of each asset."""
    warehouse = tmp_path_factory.mktemp("ui") / "xxgk.duckdb"
    result = dg.materialize(
        [*ingest_assets, *ingest_checks],
        resources=ingest_resources(XxgkPaths(raw_dir=str(SEED_DIR), warehouse_path=str(warehouse))),
    )
    assert result.success
    events = result.get_asset_materialization_events()
    return warehouse, {e.asset_key.to_user_string(): e.materialization for e in events if e.asset_key is not None}


@pytest.mark.slow
def test_the_warehouse_asset_path_is_the_duckdb_file(built: tuple[Path, dict[str, dg.AssetMaterialization]]) -> None:
    warehouse, materialised = built
    assert materialised["warehouse"].metadata["path"] == dg.MetadataValue.path(str(warehouse))


@pytest.mark.slow
def test_each_mart_carries_its_column_schema_row_count_and_a_preview(
    built: tuple[Path, dict[str, dg.AssetMaterialization]],
) -> None:
    warehouse, materialised = built
    con = duckdb.connect(str(warehouse), read_only=True)
    for mart in MARTS:
        metadata = materialised[mart].metadata
        described = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [mart],
        ).fetchall()
        schema = metadata["dagster/column_schema"].value
        assert [(c.name, c.type) for c in schema.columns] == described, mart
        ((count,),) = con.table(mart).aggregate("count(*)").fetchall()
        assert metadata["dagster/row_count"].value == count, mart
        preview = metadata["preview"].value.splitlines()
        assert preview[0] == "| " + " | ".join(name for name, _ in described) + " |", mart
        assert len(preview) == 2 + min(5, count), mart


def test_every_check_but_the_publish_gates_is_on_the_published_warehouse() -> None:
    graph = defs.resolve_asset_graph()
    targets = {k.name: k.asset_key.to_user_string() for k in graph.asset_check_keys}
    assert targets.pop("every_url_fetched") == "collected_reports"
    gates = {name for name, asset in targets.items() if asset == "warehouse_staging"}
    assert gates == {"facts_match_schema", "reports_match_schema"}
    assert {asset for name, asset in targets.items() if name not in gates} == {"warehouse"}
    blocking = {k.name for k in graph.asset_check_keys if graph.get_check_spec(k).blocking}
    assert blocking == gates


def test_the_lineage_is_one_group() -> None:
    graph = defs.resolve_asset_graph()
    assert {graph.get(k).group_name for k in graph.get_all_asset_keys()} == {"xxgk"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_xxgk_ui_starts_the_dagster_ui_on_the_dagster_home_and_answers_http(tmp_path: Path) -> None:
    port = _free_port()
    home = tmp_path / "dagster_home"
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "ui", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: dagster dev's webserver and daemon stop with it
    )
    try:
        deadline = time.monotonic() + 300  # a loaded 2-core machine takes a while to load the definitions
        answer = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5) as response:
                    answer = response.status, response.read().decode()
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(2)
        assert answer is not None, proc.stderr.read().decode()[-3000:] if proc.poll() is not None else "no answer"
        status, body = answer
        assert status == 200
        assert "dagster_webserver_version" in body
        assert home.is_dir()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
