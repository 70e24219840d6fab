"""The build on a cluster: the parse as sixteen shard assets and a job whose every step is a
Celery task, taken by whichever worker (on whichever machine) is free.

`parse_shard/0` … `parse_shard/f` each parse the new files whose sha256 starts with that hex
digit (pipelines.ingest.shards) into the shared parse store; `parse_store` depends on all of them,
so in this job it runs after them and finds nothing left to parse. They are sixteen assets, not
sixteen partitions of one: Dagster runs one partition per run, while a build is one run whose
sixteen parse steps spread over the workers. The local job `build_warehouse` leaves them out and
parses in-process, as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_celery import celery_executor
from dagster_celery.executor import CELERY_CONFIG, CeleryExecutor

from pipelines.defs import GROUP
from pipelines.defs.ingest.assets import SHARD_KEYS
from pipelines.defs.ingest.resources import LOCK_HELD_BY_RUN_TAG, LOCK_WAIT_S, XxgkPaths
from pipelines.ingest.lock import hold_warehouse
from pipelines.ingest.raw_folder import RawFiles
from pipelines.ingest.shards import SHARD_PREFIXES, parse_shard

# What the job runs unless its run config says otherwise: a Redis on the machine that launches it
# (deploy/celery.yaml is the same block, for the workers and for `dagster job execute -c`).
DEFAULT_BROKER = "redis://localhost:6379/0"
DEFAULT_BACKEND = "redis://localhost:6379/1"


def _shard_asset(prefix: str, key: dg.AssetKey) -> dg.AssetsDefinition:
    @dg.asset(
        key=key,
        ins={"raw_files": dg.AssetIn(key="raw_files")},
        group_name=GROUP,
        pool="xxgk_parse",
        description=f"New contents whose sha256 starts with {prefix}, parsed into the parse store.",
    )
    def _shard(raw_files: RawFiles, paths: XxgkPaths) -> dg.MaterializeResult:
        stats = parse_shard(raw_files.read(), Path(paths.warehouse_path), prefix)
        return dg.MaterializeResult(
            metadata={
                "files": stats.files,
                "parsed": stats.parsed,
                "reused": stats.reused,
                "seconds": round(stats.seconds, 2),
            }
        )

    return _shard


SHARD_ASSETS = [_shard_asset(prefix, key) for prefix, key in zip(SHARD_PREFIXES, SHARD_KEYS, strict=True)]


def _resource_config(run_config: Mapping[str, Any], resource: str) -> Mapping[str, Any]:
    return (run_config.get("resources") or {}).get(resource, {}).get("config") or {}


class _HoldingWarehouseLock(dg.Executor):
    """The Celery executor, holding the warehouse's lock in the process that orchestrates the
    run from its first step to its last: steps run in other processes one after another (the
    staging file is written by one, read by the next), and a lock taken per step would be free
    between them, and would remove the staging file as it was released."""

    def __init__(self, celery: CeleryExecutor) -> None:
        self._celery = celery

    @property
    def retries(self) -> Any:
        return self._celery.retries

    def app_args(self) -> dict[str, Any]:  # the Celery loop builds its app from these
        return self._celery.app_args()

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[dg.DagsterEvent]:
        run_config = plan_context.run_config
        warehouse = _resource_config(run_config, "paths").get("warehouse_path", XxgkPaths().warehouse_path)
        wait = _resource_config(run_config, "warehouse_lock").get("wait_s", LOCK_WAIT_S)
        with hold_warehouse(Path(warehouse), float(wait)):
            yield from self._celery.execute(plan_context, execution_plan)


@dg.executor(
    name="celery",
    config_schema=CELERY_CONFIG,
    requirements=dg.multiple_process_executor_requirements(),
)
def celery_holding_warehouse_lock(init_context: dg.InitExecutorContext) -> dg.Executor:
    create = celery_executor.executor_creation_fn
    assert create is not None
    celery = create(init_context)
    assert isinstance(celery, CeleryExecutor)
    return _HoldingWarehouseLock(celery)


distributed_build_job = dg.define_asset_job(
    "build_warehouse_distributed",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("collected_reports"),
    executor_def=celery_holding_warehouse_lock,
    tags={LOCK_HELD_BY_RUN_TAG: "run"},
    config={"execution": {"config": {"broker": DEFAULT_BROKER, "backend": DEFAULT_BACKEND}}},
    description=(
        "The build with every step a Celery task (dagster-celery): the parse split into 16 shards by hash prefix,"
        " run by whichever workers listen on the broker. The raw folder, the warehouse folder and DAGSTER_HOME"
        " must be the same paths on every worker."
    ),
)
