"""The one Dagster entry point (`dagster dev -m pipelines.definitions`)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest import assets, checks
from pipelines.defs.ingest.automation import build_job, nightly_build, raw_folder_changed
from pipelines.defs.ingest.resources import XxgkPaths

ingest_assets = [
    assets.raw_files,
    assets.parse_store,
    assets.warehouse_staging,
    *assets.MART_ASSETS,
    assets.warehouse,
]
ingest_checks = dg.load_asset_checks_from_modules([checks])

defs = dg.Definitions(
    assets=ingest_assets,
    asset_checks=ingest_checks,
    jobs=[build_job],
    schedules=[nightly_build],
    sensors=[raw_folder_changed],
    resources={"paths": XxgkPaths()},
)
