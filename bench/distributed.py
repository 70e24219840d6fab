"""Distributed build benchmark: one generated corpus built in-process (`build_warehouse`, the
local process pool) and by `build_warehouse_distributed` on Celery workers through Redis, as
`dagster job execute` runs it; both timed, and their tables compared.

    .venv-test/bin/python -m bench.distributed --n 200 --workers 2

Needs redis-server (Debian). On one machine the workers share its cores with each other and with
the launching process, so the figures show the executor's overhead per step, not a speed-up: that
comes from workers on other machines.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb

from bench.build import generate
from pipelines.ingest.stage import build_warehouse
from tests.celery_cluster import (
    celery_workers,
    dagster_home,
    environment,
    execute_distributed_build,
    redis_broker,
    run_config,
)


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        return {name: sorted(map(repr, con.sql(f'SELECT * FROM "{name}"').fetchall())) for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="reports to generate")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-dist-") as tmp:
        root = Path(tmp)
        raw = root / "raw"
        raw.mkdir()
        generate(list(range(args.n)), raw)
        print(f"machine: {platform.machine()}, python {platform.python_version()}, {platform.platform()}")
        print(f"corpus: {args.n} generated reports ({sum(p.stat().st_size for p in raw.iterdir()) / 2**20:.1f} MiB)")

        start = time.perf_counter()
        build_warehouse(raw, root / "local" / "xxgk.duckdb")
        local = time.perf_counter() - start
        print(f"in-process build (build_warehouse, one parsing process per core): {local:7.1f} s")

        home = dagster_home(root / "dagster_home")
        env = environment(home, raw, root / "distributed" / "xxgk.duckdb")
        config = root / "run.yaml"
        names = tuple(f"bench-{k}" for k in range(args.workers))
        with redis_broker(root) as broker:
            config.write_text(run_config(broker), encoding="utf-8")
            start = time.perf_counter()
            with celery_workers(config, env, broker, names):
                ready = time.perf_counter() - start
                start = time.perf_counter()
                run = execute_distributed_build(config, env, timeout=3600)
                distributed = time.perf_counter() - start
        if run.returncode != 0:
            sys.exit(f"distributed build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
        print(
            f"distributed build ({args.workers} solo workers, Redis; `dagster job execute`):"
            f" {distributed:7.1f} s  (workers ready in {ready:.1f} s, not counted)"
        )
        with dg.DagsterInstance.from_config(str(home)) as instance:
            (record,) = instance.get_run_records()
            run_id = record.dagster_run.run_id
            ran_on = Counter(
                str(e.dagster_event.engine_event_data.metadata["Celery worker"].value).split("@")[0]
                for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
                if e.dagster_event and "Celery worker" in e.dagster_event.engine_event_data.metadata
            )
            shard_seconds = [
                float(e.asset_materialization.metadata["seconds"].value)
                for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
                if e.asset_materialization and e.asset_materialization.asset_key.path[0] == "parse_shard"
            ]
        print(f"  steps: {sum(ran_on.values())} ({', '.join(f'{w}: {n}' for w, n in sorted(ran_on.items()))})")
        print(
            f"  parse shards: {len(shard_seconds)}, parsing {sum(shard_seconds):.1f} s in all,"
            f" longest shard {max(shard_seconds):.1f} s"
        )
        same = _tables(root / "local" / "xxgk.duckdb") == _tables(root / "distributed" / "xxgk.duckdb")
        print(f"  same rows in every table as the in-process build: {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
