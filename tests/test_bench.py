"""The build benchmark runs end to end at a small size (its full-size figures are in the README)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_DIR


def _bench(
    module: str, *args: str, timeout: float | None = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bench.<module> args…` from the repository, which must exit 0."""
    proc = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.mark.slow
def test_the_build_benchmark_runs_at_a_small_size() -> None:
    out = _bench("build", "--n", "40", "--query-reports", "400").stdout
    for line in (
        "full build:",
        "nightly, nothing new:",
        "nightly, 1% new",
        "nightly, 10 removed:",
        "adding one report:",
        "query warehouse: 400 reports",
    ):
        assert line in out
    assert out.count("  question ") == 10
    # Each build's process tree sampled: its peak and its largest process, with the step; the
    # full build's peaks per Dagster step.
    # A run as short as a night with nothing new (0.1 s) may end before a sample sees it: said.
    assert out.count("\n  tree peak ") + out.count("\n  memory not sampled ") == 5
    assert out.split("full build:")[1].splitlines()[1].startswith("  tree peak ")
    assert out.count("; largest process ") == out.count("\n  tree peak ")
    for step in ("raw_files", "parse_store", "warehouse_staging", "marts", "warehouse"):
        assert f"\n  {step} " in out


@pytest.mark.slow
def test_the_startup_benchmark_runs() -> None:
    proc = _bench("startup", "--runs", "1", timeout=300)
    assert "bin/xxgk --help" in proc.stdout
    assert 'bin/xxgk query "select 1"' in proc.stdout


@pytest.mark.slow
def test_the_export_benchmark_runs_at_a_small_size() -> None:
    proc = _bench("export", "--reports", "50")
    assert "warehouse: 50 reports" in proc.stdout
    assert "export: " in proc.stdout
    assert proc.stdout.count("read facts with ") == 3


@pytest.mark.slow
def test_the_nightly_parts_benchmark_prints_the_process_time_of_each_part(tmp_path: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    args = ["--raw", str(SEED_DIR), "--warehouse", str(tmp_path / "wh" / "xxgk.duckdb")]
    proc = _bench("nightly_parts", *args, timeout=None, env=env)
    for part in ("Dagster: event writes (SQLite)", "import the build's definitions", "build: stage_current"):
        assert part in proc.stderr
    assert "main process in all" in proc.stderr
    # The parse's own processes, one line each: the fork server and the workers (seeds: 5 files).
    assert "fork server (its own)" in proc.stderr
    assert "worker 1 " in proc.stderr
    assert "first file" in proc.stderr
    assert "parse processes in all" in proc.stderr
    # pandera on the line of the step that asks: the new reports when stored, what derive added.
    for part in ("of which (parse_new): pandera", "of which (stage_current): pandera", "DuckDB opened and closed"):
        assert part in proc.stderr


@pytest.mark.slow
def test_the_memory_benchmark_runs_at_a_small_size() -> None:
    out = _bench("memory", "--n", "40", "--replicate", "100", "--workers", "1").stdout
    assert "full build of 40 reports" in out
    assert "full build from the parse store of 100 reports (none parsed)" in out
    for stage in ("parse_new", "stream_facts", "derive_to_files", "stage_warehouse", "build_marts"):
        assert f"\n{stage} " in out
    assert out.count("main process: peak") == 2


@pytest.mark.slow
def test_the_throughput_benchmark_measures_each_format_in_a_process_of_its_own() -> None:
    out = _bench("throughput", "--per-format", "2", "--repeat", "1", "--formats", "html", "text-tabs").stdout
    lines = out.splitlines()
    assert lines[0].endswith("each format in a process of its own")
    assert [line.split()[0] for line in lines[1:-1]] == ["format", "html", "text-tabs"]
    assert all(float(line.split()[1]) > 0 for line in lines[2:-1])  # reports/s
    assert lines[-1].startswith("at the end: ")


@pytest.mark.slow
def test_the_facts_night_benchmark_prints_each_nights_write_for_each_layout() -> None:
    out = _bench("facts_night", "--reports", "400", "--nights", "2").stdout
    assert "store: 400 reports, 80,000 facts" in out
    assert out.count("night  2: 800 new facts; wrote ") == 3  # spread, one share, one file
    assert "\nbase+delta: " in out
    assert "\nbase+delta, one share: " in out
    assert "\none file a partition: " in out
