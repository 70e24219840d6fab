"""The one Dagster entry point (`dagster dev -m pipelines.definitions`)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest import assets, checks
from pipelines.defs.ingest.resources import XxgkPaths

ingest_assets = dg.load_assets_from_modules([assets])
ingest_checks = dg.load_asset_checks_from_modules([checks])
build_job = dg.define_asset_job("build_warehouse", selection=dg.AssetSelection.groups("ingest"))

defs = dg.Definitions(
    assets=ingest_assets,
    asset_checks=ingest_checks,
    jobs=[build_job],
    resources={"paths": XxgkPaths()},
)
