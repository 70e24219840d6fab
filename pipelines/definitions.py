"""The one Dagster entry point (`dagster dev -m pipelines.definitions`)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.collect import assets as collect_assets
from pipelines.defs.collect.automation import build_after_collect, collect_job, nightly_collect
from pipelines.defs.collect.resources import CollectSettings
from pipelines.defs.ingest import assets
from pipelines.defs.ingest.automation import build_job, nightly_build, raw_folder_changed
from pipelines.defs.ingest.distributed import SHARD_ASSETS, distributed_build_job
from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources

ingest_assets = assets.INGEST_ASSETS
# Every ingest check is evaluated in its asset's own step (check_specs): none stands apart.
ingest_checks: list[dg.AssetChecksDefinition] = []

defs = dg.Definitions(
    assets=[*ingest_assets, *SHARD_ASSETS, collect_assets.collected_reports],
    jobs=[build_job, distributed_build_job, collect_job],
    schedules=[nightly_build, nightly_collect],
    sensors=[raw_folder_changed, build_after_collect],
    resources={**ingest_resources(XxgkPaths()), "collect_settings": CollectSettings()},
)
