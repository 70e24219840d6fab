# No `from __future__ import annotations`: Dagster reads the nested resource's type at runtime.
import contextlib
import os
import pickle
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


# What the latest run in this process wrote, per run-storage folder: (run id, {asset path: value}).
_WRITTEN: dict[str, tuple[str, dict[tuple[str, ...], object]]] = {}


class RunOutputs(dg.ConfigurableIOManager):
    """The values one asset hands to the next. Each is pickled into `base_dir`, one file per
    asset as Dagster's FilesystemIOManager lays them out, so a step re-executed later or run in
    another process (the distributed job) reads it there; within the run and process that wrote
    it, it is handed on from memory (an output is read by up to four steps: reading it back each
    time cost unpickling, and the FilesystemIOManager's line per read and write an event each).
    Only the latest run's values are kept in memory, per folder."""

    base_dir: str

    def _path(self, key: dg.AssetKey) -> Path:
        return Path(self.base_dir, *key.path)

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        path = self._path(context.asset_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        run_id, values = _WRITTEN.get(self.base_dir, ("", {}))
        if run_id != context.run_id:
            run_id, values = context.run_id, {}
            _WRITTEN[self.base_dir] = (run_id, values)
        values[tuple(context.asset_key.path)] = obj

    def load_input(self, context: dg.InputContext) -> object:
        key = tuple(context.asset_key.path)
        run_id, values = _WRITTEN.get(self.base_dir, ("", {}))
        upstream = context.upstream_output
        try:
            same_run = upstream is not None and upstream.run_id == run_id
        except dg.DagsterInvariantViolationError:  # an output context that names no run
            same_run = False
        if same_run and key in values:
            return values[key]
        with open(self._path(context.asset_key), "rb") as fh:
            return pickle.load(fh)


def ingest_resources(paths: XxgkPaths, lock_wait: float | None = None) -> dict[str, object]:
    """The resources a build needs, all keyed to one warehouse: its paths, its lock and its own
    run storage (not the instance's shared `storage/<asset>`)."""
    lock = WarehouseLock(paths=paths) if lock_wait is None else WarehouseLock(paths=paths, wait_s=lock_wait)
    return {
        "paths": paths,
        "warehouse_lock": lock,
        "io_manager": RunOutputs(base_dir=str(run_storage_dir(Path(paths.warehouse_path)))),
    }
