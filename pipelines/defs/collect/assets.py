"""The thin collect asset: one call of pipelines.collect.run.collect, its figures as metadata
and a warning check listing the URLs that failed (they are tried again the next night)."""

from pathlib import Path

import dagster as dg

from models.vocab import FetchOutcome
from pipelines.collect.run import collect
from pipelines.collect.sources import read_sources
from pipelines.defs import GROUP
from pipelines.defs.collect.resources import CollectSettings
from pipelines.defs.ingest.resources import XxgkPaths


@dg.asset(
    group_name=GROUP,
    description="Reports and their attachments fetched from the sources list into the raw folder "
    "(manifest.csv rows, the fetch log beside the folder): new or changed ones only, politely.",
    check_specs=[
        dg.AssetCheckSpec(
            "every_url_fetched",
            asset="collected_reports",
            description="Every URL of the run was fetched, unchanged or refused by robots.txt (failures are retried "
            "the next night).",
        )
    ],
)
def collected_reports(
    context: dg.AssetExecutionContext, paths: XxgkPaths, collect_settings: CollectSettings
) -> dg.MaterializeResult:
    sources = read_sources(Path(collect_settings.sources))
    for problem in sources.problems:
        context.log.warning(problem)
    result = collect(sources, Path(paths.raw_dir), collect_settings.politeness())
    failures = result.failures()
    return dg.MaterializeResult(
        metadata={
            "requests": result.requests,
            "saved": len(result.saved),
            "not_modified": result.count(FetchOutcome.NOT_MODIFIED),
            "failed": failures.height,
            "withdrawn": len(result.withdrawn),
            "over_budget": result.count(FetchOutcome.OVER_BUDGET),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="every_url_fetched",
                passed=failures.height == 0,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "failures": dg.MetadataValue.md(
                        "\n".join(f"- {url}: {reason}" for url, reason in failures.select("url", "reason").iter_rows())
                        or "none"
                    )
                },
            )
        ],
    )
