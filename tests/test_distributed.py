"""The build on a real distributed executor: `build_warehouse_distributed` run by `dagster job
execute` with its steps as Celery tasks, through a Redis broker, on two separate worker processes
(`dagster-celery worker start`), gives the same rows in every table as the in-process build.

Redis is Debian's redis-server, started on a free port and stopped by the test; `.ci/run` installs
it, so the test runs in CI. Dagster's storage is a temporary DAGSTER_HOME (sqlite) shared by the
launching process and the workers, as a shared folder would be on a cluster.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from pipelines.ingest.shards import SHARD_PREFIXES
from pipelines.ingest.stage import build_warehouse
from tests.celery_cluster import (
    REDIS_SERVER,
    celery_workers,
    dagster_home,
    environment,
    execute_distributed_build,
    redis_broker,
    run_config,
)
from tests.conftest import SEED_DIR, warehouse_rows
from tests.generator import Damage, random_report, render

pytestmark = pytest.mark.slow

WORKERS = ("xxgk-test-a", "xxgk-test-b")
_FORMATS = ("text-tabs", "html", "docx", "pdf-ruled", "text-spaces", "text-cells")


def _corpus(raw: Path, n: int) -> int:
    """n generated reports in several formats, a seed, a copy of it and a file that is no
    report; returns how many distinct contents the folder holds."""
    raw.mkdir()
    for k in range(n):
        truth = random_report(random.Random(500 + k), template="2021" if k % 3 else "2019")
        suffix, data = render(truth, _FORMATS[k % len(_FORMATS)], Damage(blank_zero=k % 2 == 1), seed=k)
        (raw / f"r{k:02d}{suffix}").write_bytes(data)
    shutil.copy(SEED_DIR / "004_d7a382633f0a3f3c.txt", raw / "004.txt")
    shutil.copy(SEED_DIR / "004_d7a382633f0a3f3c.txt", raw / "copy_of_004.txt")
    (raw / "minutes.txt").write_text("会议纪要\n与会人员讨论了下一年度的工作安排。\n", encoding="utf-8")
    return n + 2


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """Redis and two Celery workers (one task at a time each); yields the run config they were
    started with (the run uses it too) and the environment every process shares."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
    env = environment(
        dagster_home(tmp_path / "dagster_home"), tmp_path / "raw", tmp_path / "distributed" / "xxgk.duckdb"
    )
    config = tmp_path / "run.yaml"
    with redis_broker(tmp_path) as broker:
        config.write_text(run_config(broker), encoding="utf-8")
        with celery_workers(config, env, broker, WORKERS):
            yield config, env


def test_a_build_on_two_celery_workers_loads_the_same_rows_as_the_in_process_build(
    tmp_path: Path, cluster: tuple[Path, dict[str, str]]
) -> None:
    config, env = cluster
    contents = _corpus(tmp_path / "raw", 10)
    reference = tmp_path / "in_process" / "xxgk.duckdb"
    build_warehouse(tmp_path / "raw", reference, workers=1)

    run = execute_distributed_build(config, env)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]

    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
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

    # Every table and view, but what names the build (times, the facts files' names).
    expected = warehouse_rows(reference)
    got = warehouse_rows(tmp_path / "distributed" / "xxgk.duckdb")
    assert list(got) == list(expected)
    assert len(expected["reports"]) == contents - 1  # minutes.txt is no report
    assert len(expected["rejected"]) == 2  # minutes.txt and the copy of 004
    for name, rows in expected.items():
        assert got[name] == rows, f"{name} differs"
