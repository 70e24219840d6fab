"""The nightly schedule and the sensor on the raw folder: both start the build, which parses
only what is new and replaces only the changed reports' rows. The schedule asks the cheap check
first (pipelines.ingest.fingerprint.up_to_date): a night with nothing new starts no run."""

import os
from pathlib import Path

import dagster as dg

from pipelines.defs.ingest.assets import SHARD_KEYS
from pipelines.ingest.fingerprint import up_to_date
from pipelines.ingest.paths import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE
from pipelines.ingest.raw_folder import raw_signature

build_job = dg.define_asset_job(
    "build_warehouse",
    # Collecting is its own job (pipelines.defs.collect): a build never goes to the web. The parse
    # shards are for the distributed job: here parse_store parses in local processes.
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("collected_reports", *SHARD_KEYS),
    # One process for the whole run, so the warehouse's lock (a resource) is taken once and held
    # from the scan to the publish; parsing has its own process pool.
    executor_def=dg.in_process_executor,
    description="Scan the raw folder, parse what is new, rebuild and publish the warehouse.",
)


@dg.schedule(
    name="nightly_build",
    job=build_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 China time, unless nothing changed since the last build.",
)
def nightly_build(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    raw_dir = Path(os.environ.get("XXGK_RAW_DIR", str(DEFAULT_RAW_DIR)))
    warehouse = Path(os.environ.get("XXGK_WAREHOUSE", str(DEFAULT_WAREHOUSE)))
    if raw_dir.is_dir() and up_to_date(raw_dir, warehouse):
        return dg.SkipReason("nothing changed since the last build (raw files, manifest.csv, fetch log, code)")
    return dg.RunRequest()


@dg.sensor(
    job=build_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a build when files are added to, changed in or removed from the raw folder.",
)
def raw_folder_changed(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    raw_dir = Path(os.environ.get("XXGK_RAW_DIR", str(DEFAULT_RAW_DIR)))
    if not raw_dir.is_dir():
        return dg.SkipReason(f"raw folder not found: {raw_dir}")
    signature = raw_signature(raw_dir)
    if signature == context.cursor:
        return dg.SkipReason("no file added, changed or removed")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=signature)], cursor=signature)
