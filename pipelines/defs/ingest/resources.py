# No `from __future__ import annotations`: Dagster reads the nested resource's type at runtime.
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from pipelines.ingest.lock import hold_warehouse
from pipelines.ingest.paths import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE

LOCK_WAIT_S = float(os.environ.get("XXGK_LOCK_WAIT", "1800"))
# A run with this tag has its lock held by the process that orchestrates it, for the whole run
# (build_warehouse_distributed: its steps run in other processes, on other machines, one after
# another, and a lock taken per step would be free between them).
LOCK_HELD_BY_RUN_TAG = "xxgk/warehouse_lock"


class XxgkPaths(dg.ConfigurableResource):
    """Where raw reports are read from and where the warehouse file is published."""

    raw_dir: str = os.environ.get("XXGK_RAW_DIR", str(DEFAULT_RAW_DIR))
    warehouse_path: str = os.environ.get("XXGK_WAREHOUSE", str(DEFAULT_WAREHOUSE))
    workers: int = int(os.environ.get("XXGK_WORKERS", "0"))  # parsing processes; 0 = one per core (at most 8)
    full: bool = False  # rebuild every table and mart, not only the changed reports' rows


class WarehouseLock(dg.ConfigurableResource):
    """The warehouse's one-writer lock, held for the whole run (the build job runs in one
    process, so the resource is set up once per run). A scheduled or sensor run finding another
    build at work waits up to `wait_s` seconds (XXGK_LOCK_WAIT), then fails naming the holder.
    In a run tagged LOCK_HELD_BY_RUN_TAG the process orchestrating it holds the lock instead, for
    the whole run, and the steps (in other processes) do not take it."""

    paths: dg.ResourceDependency[XxgkPaths]
    wait_s: float = LOCK_WAIT_S

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseLock"]:
        run = context.run
        if run is not None and run.tags.get(LOCK_HELD_BY_RUN_TAG) == "run":
            # Held by the run's executor (pipelines.defs.ingest.distributed) while steps run; Dagster
            # also sets resources up after the run, to read its outputs, when nothing is written.
            yield self
            return
        with hold_warehouse(Path(self.paths.warehouse_path), self.wait_s) as held:
            log = context.log
            if log is not None:
                for path in held.removed:
                    log.warning(f"removed {path}, left by a build that failed or was killed")
            yield self


def run_storage_dir(warehouse: Path) -> Path:
    """Where Dagster keeps the outputs handed between a build's assets: beside the warehouse,
    one folder per warehouse, so builds of different warehouses never read each other's."""
    warehouse = Path(warehouse).resolve()
    return warehouse.with_name(f".{warehouse.name}.runs")


def ingest_resources(paths: XxgkPaths, lock_wait: float | None = None) -> dict[str, object]:
    """The resources a build needs, all keyed to one warehouse: its paths, its lock and its own
    run storage (not the instance's shared `storage/<asset>`)."""
    lock = WarehouseLock(paths=paths) if lock_wait is None else WarehouseLock(paths=paths, wait_s=lock_wait)
    return {
        "paths": paths,
        "warehouse_lock": lock,
        "io_manager": dg.FilesystemIOManager(base_dir=str(run_storage_dir(Path(paths.warehouse_path)))),
    }
