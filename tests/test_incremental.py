"""Nightly ingestion: only new or changed files are parsed, removed files are recorded, a build
can run twice with the same result, and a build killed at any point leaves the warehouse whole."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import ingest_assets, ingest_checks
from pipelines.defs.ingest.automation import raw_folder_changed
from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources
from pipelines.ingest.raw_folder import raw_signature
from tests.conftest import ROOT, SEED_DIR, warehouse_rows
from tests.generator import Damage, random_report, render


def _build(raw: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [*ingest_assets, *ingest_checks],
        resources=ingest_resources(XxgkPaths(raw_dir=str(raw), warehouse_path=str(warehouse), workers=1)),
    )
    assert result.success
    return result


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(SEED_DIR, target)
    return target


@pytest.mark.slow
def test_a_second_run_with_no_new_files_parses_nothing_and_gives_the_same_warehouse(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    first = _build(raw, warehouse)
    assert first.output_for_node("parse_store").parsed == 5
    before = warehouse_rows(warehouse)
    second = _build(raw, warehouse)
    assert (second.output_for_node("parse_store").parsed, second.output_for_node("parse_store").reused) == (0, 5)
    assert warehouse_rows(warehouse) == before


@pytest.mark.slow
def test_a_new_file_is_the_only_one_parsed(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    _build(raw, warehouse)
    truth = random_report(random.Random(5))
    (raw / "new.html").write_bytes(render(truth, "html", Damage(), seed=5)[1])
    result = _build(raw, warehouse)
    assert result.output_for_node("parse_store").parsed == 1
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM reports").fetchone() == (6,)


@pytest.mark.slow
def test_a_removed_file_leaves_the_warehouse_with_its_reason(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    _build(raw, warehouse)
    (raw / "001_11165da3b41cf1a7.txt").unlink()
    (raw / "003_288315dbaf6cd637.txt").write_text("改过的文件，不再是报告。", encoding="utf-8")
    _build(raw, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    agencies = {r[0] for r in con.execute("SELECT agency FROM reports").fetchall()}
    assert "忻州市生态环境局神池分局" not in agencies
    assert "楚雄州生态环境局禄丰分局" not in agencies
    removed = dict(con.execute("SELECT source_file, reason FROM removed").fetchall())
    assert removed["001_11165da3b41cf1a7.txt"].endswith("file removed from the raw folder")
    assert "file changed" in removed["003_288315dbaf6cd637.txt"]
    assert con.execute("SELECT count(*) FROM rejected WHERE source_file = '003_288315dbaf6cd637.txt'").fetchone() == (
        1,
    )
    con.close()
    before = warehouse_rows(warehouse)
    _build(raw, warehouse)  # and again: the same warehouse, removals still recorded
    assert warehouse_rows(warehouse) == before


def test_the_sensor_asks_for_a_build_only_when_the_raw_folder_changes(
    raw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_RAW_DIR", str(raw))
    first = raw_folder_changed(dg.build_sensor_context())
    assert len(first.run_requests) == 1
    cursor = raw_signature(raw)
    assert first.cursor == cursor
    assert isinstance(raw_folder_changed(dg.build_sensor_context(cursor=cursor)), dg.SkipReason)
    (raw / "more.txt").write_text("新文件", encoding="utf-8")
    assert len(raw_folder_changed(dg.build_sensor_context(cursor=cursor)).run_requests) == 1


def _corpus(target: Path, n: int) -> None:
    for k in range(n):
        truth = random_report(random.Random(1000 + k), template="2021" if k % 3 else "2019")
        fmt = ["text-tabs", "html", "pdf-ruled", "text-spaces"][k % 4]
        suffix, data = render(truth, fmt, Damage(blank_zero=k % 2 == 0), seed=k)
        (target / f"r{k:04d}{suffix}").write_bytes(data)


def _started(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """The build, in a session of its own (killed with its parse processes), its stderr read here."""
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for(proc: subprocess.Popen[str], marker: str) -> None:
    """Read the build's progress until a line says `marker`."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if marker in line:
            return


@pytest.mark.slow
def test_a_build_killed_at_any_point_leaves_the_previous_warehouse_and_the_next_one_completes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SEED_DIR, raw)
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    command = [
        sys.executable,
        "-m",
        "pipelines.cli",
        "build",
        "--raw",
        str(raw),
        "--warehouse",
        str(warehouse),
        "--workers",
        "2",
    ]
    assert subprocess.run(command, cwd=ROOT, env=env, capture_output=True).returncode == 0
    _corpus(raw, 60)
    # Kill points: in the middle of parsing, then after the last file is parsed (assembling,
    # validating, writing the staging file, building marts, publishing), at fractions of how long
    # that part takes here and now, as timed on one build left to finish: fixed delays went past
    # the end once the build got faster, and would be too early on a slower machine.
    # The parse store is emptied first so that every attempt parses and says how far it got.
    shutil.rmtree(warehouse.parent / "store", ignore_errors=True)
    timed = _started(command, env)
    _wait_for(timed, "65/65")
    after_parse = time.monotonic()
    _, err = timed.communicate()  # its stderr read to the end: a full pipe would stall it
    rest = time.monotonic() - after_parse
    assert timed.returncode == 0, err[-2000:]
    published = warehouse.read_bytes()
    untouched = 0
    points = (("parsed", 0.0), ("65/65", 0.0), ("65/65", 0.2 * rest), ("65/65", 0.5 * rest), ("65/65", 0.8 * rest))
    for marker, delay in points:
        shutil.rmtree(warehouse.parent / "store", ignore_errors=True)
        proc = _started(command, env)
        _wait_for(proc, marker)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        # Killed mid-way; only the latest points may find it finished (its run this time was faster).
        assert proc.returncode == -signal.SIGKILL or delay >= 0.5 * rest
        con = duckdb.connect(str(warehouse), read_only=True)  # readable whatever happened
        reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        marts = con.execute("SELECT count(*) FROM mart_agency_year").fetchone()[0]
        # Every facts file it names is there, whole (a killed build never removes or rewrites one).
        cells = con.execute("SELECT (SELECT count(*) FROM facts), (SELECT sum(cells_expected) FROM reports)").fetchone()
        con.close()
        assert cells[0] == cells[1]
        current = warehouse.read_bytes()
        # Either the previous warehouse, byte for byte, or (killed after publishing) the whole new one.
        assert current == published or (reports == 65 and marts > 0)
        untouched += current == published
        published = current
    assert untouched >= 2  # at least the kills before the new warehouse was ready
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM reports").fetchone() == (65,)
    assert con.execute("SELECT count(*) FROM mart_agency_year").fetchone()[0] > 0
