"""The one Dagster entry point (`dagster dev -m pipelines.definitions`)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest import assets, checks
from pipelines.defs.ingest.resources import XxgkPaths

ingest_assets = [assets.parsed_reports, assets.tidy_tables, assets.agencies, assets.warehouse_staging, *assets.MART_ASSETS, assets.warehouse]
ingest_checks = dg.load_asset_checks_from_modules([checks])
build_job = dg.define_asset_job("build_warehouse", selection=dg.AssetSelection.all())

defs = dg.Definitions(
    assets=ingest_assets,
    asset_checks=ingest_checks,
    jobs=[build_job],
    resources={"paths": XxgkPaths()},
)
