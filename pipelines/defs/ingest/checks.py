"""Asset checks: what the UI shows about each build's quality.

One check per table model (pandera failures, with counts and sample rows) and one per
consistency rule (which reports fail it). Rule failures are warnings: published reports break
their own arithmetic now and then, and that is a finding, not a broken build.
"""

from collections.abc import Iterable

import dagster as dg
import polars as pl

from models.schemas import MODELS
from models.vocab import FindingRule
from pipelines.checks.findings import RULES
from pipelines.ingest.stage import StagedWarehouse

_SAMPLE = 10


@dg.asset_check(asset="warehouse_staging", description="Every file in the raw folder was read as a report.")
def all_files_read(warehouse_staging: StagedWarehouse) -> dg.AssetCheckResult:
    rejected = warehouse_staging.rejected
    return dg.AssetCheckResult(
        passed=rejected.height == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "rejected": rejected.height,
            "reasons": dg.MetadataValue.md(
                "\n".join(f"- {r}" for r in rejected.get_column("reason").to_list()[:100]) or "none"
            ),
        },
    )


def _table(frame: pl.DataFrame) -> dg.MetadataValue:
    with pl.Config(tbl_rows=_SAMPLE, tbl_cols=-1, fmt_str_lengths=60):
        return dg.MetadataValue.text(str(frame.head(_SAMPLE)))


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            f"{table}_match_schema",
            asset="warehouse_staging",
            blocking=table in ("facts", "reports"),
            description=f"Every row of `{table}` passes its pandera model ({model.__name__}).",
        )
        for table, model in MODELS.items()
    ]
)
def tables_match_schema(warehouse_staging: StagedWarehouse) -> Iterable[dg.AssetCheckResult]:
    for table in MODELS:
        failing = warehouse_staging.invalid_counts.get(table, 0)
        sample = warehouse_staging.invalid.get(table)
        yield dg.AssetCheckResult(
            check_name=f"{table}_match_schema",
            passed=failing == 0,
            metadata={
                "failing_rows": failing,
                "failure_cases": warehouse_staging.failure_cases.get(table, 0),
                "sample": _table(sample)
                if sample is not None and sample.height
                else dg.MetadataValue.text("see rejected_rows" if failing else "none"),
            },
        )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            f"rule_{rule}", asset="warehouse_staging", description=f"Every report satisfies consistency rule {rule}."
        )
        for rule in RULES
    ]
    + [
        dg.AssetCheckSpec(
            "no_yoy_outliers",
            asset="warehouse_staging",
            description="No figure jumps far beyond the agency's other years.",
        ),
        dg.AssetCheckSpec(
            "manifest_agrees_with_text",
            asset="warehouse_staging",
            description="The collector's manifest.csv and the reports' text agree on agency and year (rule M1).",
        ),
        dg.AssetCheckSpec(
            "attachment_agrees_with_page",
            asset="warehouse_staging",
            description="A report page and the attachment it announced print the same figures (rule A1).",
        ),
        dg.AssetCheckSpec(
            "reports_of_one_agency_year_agree",
            asset="warehouse_staging",
            description="Where an agency-year has several reports, the ones not counted print the figures of the "
            "counted one (rule D1; reports.counted, the duplicate_reports view).",
        ),
        dg.AssetCheckSpec(
            "no_unreadable_cells",
            asset="warehouse_staging",
            description="Every printed cell is a figure the template allows (U1: 1e9, NaN, (5), 一百二十三 or 12.5 "
            "as a count are loaded as NULL with value_status unreadable, never 0).",
        ),
    ]
)
def consistency_rules_hold(warehouse_staging: StagedWarehouse) -> Iterable[dg.AssetCheckResult]:
    findings = warehouse_staging.findings
    for rule, name in [
        *((r, f"rule_{r}") for r in RULES),
        (FindingRule.YOY, "no_yoy_outliers"),
        (FindingRule.M1, "manifest_agrees_with_text"),
        (FindingRule.A1, "attachment_agrees_with_page"),
        (FindingRule.D1, "reports_of_one_agency_year_agree"),
        (FindingRule.U1, "no_unreadable_cells"),
    ]:
        failing = findings.filter(pl.col("rule") == rule)
        reports = failing.get_column("source_file").unique().sort().to_list()
        yield dg.AssetCheckResult(
            check_name=name,
            passed=failing.height == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "findings": failing.height,
                "reports": len(reports),
                "failing_reports": dg.MetadataValue.md("\n".join(f"- {f}" for f in reports[:50]) or "none"),
                "sample": _table(failing.select("source_file", "scope", "expected", "printed", "message"))
                if failing.height
                else dg.MetadataValue.text("none"),
            },
        )
