"""Every DuckDB connection a build opens is limited: a memory limit past which it spills, into a
folder beside its database file, and a thread count; both settings from the environment, with
defaults far below DuckDB's own (80% of the machine's memory); a build under a tight limit gives
the same warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.ingest.stage import build_warehouse
from pipelines.warehouse import connection
from pipelines.warehouse.connection import DEFAULT_MAX_THREADS, DEFAULT_MEMORY, BuildLimits, spill_dir
from pipelines.warehouse.limits import parse_size
from tests.conftest import SEED_DIR, warehouse_rows


def _settings(database: Path) -> tuple[str, int, str]:
    con = connection.connect(database)
    try:
        row = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')"
        ).fetchone()
        assert row is not None
        return str(row[0]), int(row[1]), str(row[2])
    finally:
        con.close()


def test_a_build_connection_takes_its_memory_limit_and_threads_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_BUILD_MEMORY", "256MiB")
    monkeypatch.setenv("XXGK_BUILD_THREADS", "1")
    memory, threads, temp = _settings(tmp_path / "w.duckdb")
    assert memory == "256.0 MiB"
    assert threads == 1
    assert Path(temp) == tmp_path / "w.duckdb.spill"


def test_by_default_a_build_connection_takes_a_fixed_memory_limit_and_at_most_four_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XXGK_BUILD_MEMORY", raising=False)
    monkeypatch.delenv("XXGK_BUILD_THREADS", raising=False)
    limits = BuildLimits.from_env()
    assert limits.memory_bytes == parse_size(DEFAULT_MEMORY) == 2**30
    assert 1 <= limits.threads <= DEFAULT_MAX_THREADS
    assert _settings(tmp_path / "w.duckdb")[:2] == ("1.0 GiB", limits.threads)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("XXGK_BUILD_MEMORY", "lots", "XXGK_BUILD_MEMORY='lots': 'lots' is not a size"),
        ("XXGK_BUILD_MEMORY", "1MB", "XXGK_BUILD_MEMORY='1MB': too small"),
        ("XXGK_BUILD_THREADS", "0", "XXGK_BUILD_THREADS='0': not a positive integer"),
        ("XXGK_BUILD_THREADS", "two", "XXGK_BUILD_THREADS='two': not a positive integer"),
    ],
)
def test_a_bad_build_limit_is_an_error_naming_its_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BuildLimits.from_env({variable: value})


def test_xxgk_build_with_a_bad_build_limit_stops_at_once_naming_it(tmp_path: Path) -> None:
    args = ["build", "--raw", str(SEED_DIR), "--warehouse", str(tmp_path / "xxgk.duckdb")]
    result = CliRunner().invoke(main, args, env={"XXGK_BUILD_MEMORY": "lots", "DAGSTER_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2
    assert "XXGK_BUILD_MEMORY='lots': 'lots' is not a size like 512MB or 2GB" in result.output
    assert not (tmp_path / "xxgk.duckdb").exists()


def test_the_spill_folder_of_a_staging_file_is_a_staging_leftover_beside_it() -> None:
    staging = Path("/w/.xxgk.duckdb.staging-1a2b3c4d")
    assert spill_dir(staging) == Path("/w/.xxgk.duckdb.staging-1a2b3c4d.spill")
    assert spill_dir(staging).match(".xxgk.duckdb.staging-*")


def test_a_build_under_a_tight_duckdb_memory_limit_equals_one_under_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XXGK_BUILD_MEMORY", raising=False)
    monkeypatch.delenv("XXGK_BUILD_THREADS", raising=False)
    build_warehouse(SEED_DIR, tmp_path / "default" / "xxgk.duckdb")
    monkeypatch.setenv("XXGK_BUILD_MEMORY", "64MiB")
    monkeypatch.setenv("XXGK_BUILD_THREADS", "1")
    build_warehouse(SEED_DIR, tmp_path / "tight" / "xxgk.duckdb")
    assert warehouse_rows(tmp_path / "tight" / "xxgk.duckdb") == warehouse_rows(tmp_path / "default" / "xxgk.duckdb")
    assert not spill_dir(tmp_path / "tight" / "xxgk.duckdb").exists()
