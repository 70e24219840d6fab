"""The build on a real distributed executor: `build_warehouse_distributed` run by `dagster job
execute` with its steps as Celery tasks, through a Redis broker, on two separate worker processes
(`dagster-celery worker start`), gives the same rows in every table as the in-process build.

Redis is Debian's redis-server, started on a free port and stopped by the test; `.ci/run` installs
it, so the test runs in CI. Dagster's storage is a temporary DAGSTER_HOME (sqlite) shared by the
launching process and the workers, as a shared folder would be on a cluster.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
import redis
from celery import Celery

from pipelines.ingest.shards import SHARD_PREFIXES
from pipelines.ingest.stage import build_warehouse
from tests.conftest import RAW, ROOT
from tests.generator import Damage, random_report, render

pytestmark = pytest.mark.slow

REDIS_SERVER = shutil.which("redis-server")
BIN = Path(sys.executable).parent  # dagster and dagster-celery of this environment
WORKERS = ("xxgk-test-a", "xxgk-test-b")
_FORMATS = ("text-tabs", "html", "docx", "pdf-ruled", "text-spaces", "text-cells")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, ready: object, seconds: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if ready():  # type: ignore[operator]
                return
        time.sleep(0.5)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.is_file())
    pytest.fail(f"{what} not ready after {seconds:.0f} s\n{tails}")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    """A Redis of its own on a free port of 127.0.0.1, stopped after the test."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
    port = _free_port()
    log = tmp_path / "redis.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait("redis-server", lambda: redis.Redis(port=port, socket_timeout=1).ping(), 30, [log])
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _corpus(raw: Path, n: int) -> int:
    """n generated reports in several formats, a seed, a copy of it and a file that is no
    report; returns how many distinct contents the folder holds."""
    raw.mkdir()
    for k in range(n):
        truth = random_report(random.Random(500 + k), template="2021" if k % 3 else "2019")
        suffix, data = render(truth, _FORMATS[k % len(_FORMATS)], Damage(blank_zero=k % 2 == 1), seed=k)
        (raw / f"r{k:02d}{suffix}").write_bytes(data)
    shutil.copy(RAW / "004_d7a382633f0a3f3c.txt", raw / "004.txt")
    shutil.copy(RAW / "004_d7a382633f0a3f3c.txt", raw / "copy_of_004.txt")
    (raw / "minutes.txt").write_text("会议纪要\n与会人员讨论了下一年度的工作安排。\n", encoding="utf-8")
    return n + 2


@pytest.fixture
def workers(tmp_path: Path, broker: str) -> Iterator[Path]:
    """Two Celery workers (one task at a time each) on the broker; returns the run config file
    they were started with, which the run uses too."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    # The storage is created once, before the workers open it: two processes creating a fresh
    # sqlite storage at once each stamp its schema version (`dagster instance migrate` on a cluster).
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.get_run_records()
    config = tmp_path / "run.yaml"
    config.write_text(
        f"""execution:
  config:
    broker: {broker}/0
    backend: {broker}/1
resources:
  paths:
    config:
      raw_dir: {tmp_path / "raw"}
      warehouse_path: {tmp_path / "distributed" / "xxgk.duckdb"}
""",
        encoding="utf-8",
    )
    env = {**os.environ, "DAGSTER_HOME": str(home), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    procs: list[subprocess.Popen[bytes]] = []
    logs = [tmp_path / f"{name}.log" for name in WORKERS]
    try:
        for name, log in zip(WORKERS, logs, strict=True):
            with open(log, "wb") as out:
                procs.append(
                    subprocess.Popen(
                        [
                            *(BIN / "dagster-celery", "worker", "start", "-A", "dagster_celery.app"),
                            *("-y", config, "-n", name, "--", "--concurrency=1"),
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own process group: the worker and its pool stop together
                    )
                )
        app = Celery(broker=f"{broker}/0")

        def both_answer() -> bool:
            replies = {name.split("@")[0] for reply in app.control.ping(timeout=1.0) for name in reply}
            return replies == set(WORKERS)

        _wait("two celery workers", both_answer, 180, logs)
        yield config
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _tables(path: Path) -> dict[str, pl.DataFrame]:
    """Every table and view of a warehouse, rows in a canonical order."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        frames = {name: con.sql(f'SELECT * FROM "{name}"').pl() for name in names}
    return {name: frame.sort(frame.columns, nulls_last=True) for name, frame in frames.items()}


def test_a_build_on_two_celery_workers_loads_the_same_rows_as_the_in_process_build(
    tmp_path: Path, workers: Path
) -> None:
    contents = _corpus(tmp_path / "raw", 10)
    reference = tmp_path / "in_process" / "xxgk.duckdb"
    build_warehouse(tmp_path / "raw", reference, workers=1)

    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    run = subprocess.run(
        [
            *(BIN / "dagster", "job", "execute", "-m", "pipelines.definitions"),
            *("-j", "build_warehouse_distributed", "-c", workers),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]

    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        (record,) = instance.get_run_records()
        run_id = record.dagster_run.run_id
        # Every step ran in a worker (the worker reports which), and both workers took steps.
        ran_on = Counter(
            str(e.dagster_event.engine_event_data.metadata["Celery worker"].value).split("@")[0]
            for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
            if e.dagster_event and "Celery worker" in e.dagster_event.engine_event_data.metadata
        )
        steps = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
        assert sum(ran_on.values()) == len(steps)
        assert set(ran_on) == set(WORKERS), ran_on
        # The shards parsed every content, and parse_store found nothing left.
        parsed = {
            e.asset_materialization.asset_key.to_user_string(): e.asset_materialization.metadata["parsed"].value
            for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
            if e.asset_materialization and "parsed" in e.asset_materialization.metadata
        }
    assert sum(parsed[f"parse_shard/{p}"] for p in SHARD_PREFIXES) == contents
    assert parsed["parse_store"] == 0

    expected = _tables(reference)
    got = _tables(tmp_path / "distributed" / "xxgk.duckdb")
    assert list(got) == list(expected)
    assert expected["reports"].height == contents - 1  # minutes.txt is no report
    assert expected["rejected"].height == 2  # minutes.txt and the copy of 004
    for name, frame in expected.items():
        assert got[name].equals(frame), f"{name} differs"
