"""Asset checks: what the UI shows about each build's quality.

One check per table model (pandera failures, with counts and sample rows) and one per
consistency rule (which reports fail it). Rule failures are warnings: published reports break
their own arithmetic now and then, and that is a finding, not a broken build.

The checks hang off `warehouse`, the published DuckDB file whose tables they check, and read what
the build found from `warehouse_staging`. The two blocking ones, `facts_match_schema` and
`reports_match_schema`, stay on `warehouse_staging`: a blocking check stops what comes after its
asset, and what they must stop is the publish.

Each check is evaluated in the step of the asset it hangs off (the assets' `check_specs`,
pipelines.defs.ingest.assets), not in steps of their own: a step costs a run Dagster's step events
and machinery whatever it computes, and these compute little.
"""

from collections.abc import Iterable
from pathlib import Path

import dagster as dg
import polars as pl

from models.schemas import MODELS
from models.vocab import FindingRule
from pipelines.checks.findings import RULES
from pipelines.ingest.stage import StagedWarehouse
from pipelines.warehouse.shown import checks_shown

_SAMPLE = 10


_TARGET = "warehouse"  # the published tables
_FOUND = {"warehouse_staging": dg.AssetIn("warehouse_staging")}  # what the build found in them
_GATES = ("facts", "reports")  # blocking: a failure stops the publish


_ALL_FILES_READ = dg.AssetCheckSpec(
    "all_files_read",
    asset=_TARGET,
    additional_deps=list(_FOUND),
    description="Every file in the raw folder was read as a report.",
)


def _all_files_read(staged: StagedWarehouse, reasons: list[str]) -> dg.AssetCheckResult:
    rejected = staged.summary.rejected
    return dg.AssetCheckResult(
        check_name="all_files_read",
        passed=rejected == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "rejected": rejected,
            "reasons": dg.MetadataValue.md("\n".join(f"- {r}" for r in reasons) or "none"),
        },
    )


def _table(frame: pl.DataFrame) -> dg.MetadataValue:
    with pl.Config(tbl_rows=_SAMPLE, tbl_cols=-1, fmt_str_lengths=60):
        return dg.MetadataValue.text(str(frame.head(_SAMPLE)))


def _schema_results(staged: StagedWarehouse, tables: Iterable[str]) -> Iterable[dg.AssetCheckResult]:
    for table in tables:
        failing = staged.invalid_counts.get(table, 0)
        sample = staged.invalid.get(table)
        yield dg.AssetCheckResult(
            check_name=f"{table}_match_schema",
            passed=failing == 0,
            metadata={
                "failing_rows": failing,
                "failure_cases": staged.failure_cases.get(table, 0),
                "sample": _table(sample)
                if sample is not None and sample.height
                else dg.MetadataValue.text("see rejected_rows" if failing else "none"),
            },
        )


def _schema_spec(table: str, asset: str, blocking: bool) -> dg.AssetCheckSpec:
    model = MODELS[table]
    return dg.AssetCheckSpec(
        f"{table}_match_schema",
        asset=asset,
        blocking=blocking,
        additional_deps=[] if asset == "warehouse_staging" else list(_FOUND),
        description=f"Every row of `{table}` passes its pandera model ({model.__name__})."
        + (" Blocking: a failure stops the publish." if blocking else ""),
    )


# Blocking, on warehouse_staging: a failure stops the publish.
GATE_CHECKS = [_schema_spec(t, "warehouse_staging", blocking=True) for t in _GATES]


def gate_results(staged: StagedWarehouse) -> Iterable[dg.AssetCheckResult]:
    """The results of GATE_CHECKS for a staged warehouse."""
    yield from _schema_results(staged, _GATES)


# The findings' checks: (the rule whose findings fail it, the check, its description), one table
# for the specs and the results.
FINDING_CHECKS: list[tuple[str, str, str]] = [
    *((rule, f"rule_{rule}", f"Every report satisfies consistency rule {rule}.") for rule in RULES),
    (FindingRule.YOY, "no_yoy_outliers", "No figure jumps far beyond the agency's other years."),
    (
        FindingRule.M1,
        "manifest_agrees_with_text",
        "The collector's manifest.csv and the reports' text agree on agency and year (rule M1).",
    ),
    (
        FindingRule.A1,
        "attachment_agrees_with_page",
        "A report page and the attachment it announced print the same figures (rule A1).",
    ),
    (
        FindingRule.D1,
        "reports_of_one_agency_year_agree",
        "Where an agency-year has several reports, the ones not counted print the figures of the "
        "counted one (rule D1; reports.counted, the duplicate_reports view).",
    ),
    (
        FindingRule.U1,
        "no_unreadable_cells",
        "Every printed cell is a figure the template allows (U1: 1e9, NaN, (5), 一百二十三 or 12.5 "
        "as a count are loaded as NULL with value_status unreadable, never 0).",
    ),
]

# The published tables' checks, on warehouse.
PUBLISHED_CHECKS = [
    _ALL_FILES_READ,
    *(_schema_spec(t, _TARGET, blocking=False) for t in MODELS if t not in _GATES),
    *(
        dg.AssetCheckSpec(name, asset=_TARGET, additional_deps=list(_FOUND), description=description)
        for _, name, description in FINDING_CHECKS
    ),
]


def published_results(staged: StagedWarehouse, path: Path) -> Iterable[dg.AssetCheckResult]:
    """The results of PUBLISHED_CHECKS for the warehouse published from `staged` at `path` (the
    findings read back from it: the handle holds counts, not rows)."""
    shown = checks_shown(
        path, rejected=bool(staged.summary.rejected), findings=bool(staged.summary.findings), sample=_SAMPLE
    )
    yield _all_files_read(staged, shown.rejected.lines)
    yield from _schema_results(staged, [t for t in MODELS if t not in _GATES])
    for rule, name, _ in FINDING_CHECKS:
        found = shown.by_rule.get(rule)
        yield dg.AssetCheckResult(
            check_name=name,
            passed=found is None,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "findings": found.findings if found else 0,
                "reports": found.reports if found else 0,
                "failing_reports": dg.MetadataValue.md(
                    "\n".join(f"- {f}" for f in found.first_reports) if found else "none"
                ),
                "sample": _table(found.sample) if found else dg.MetadataValue.text("none"),
            },
        )
