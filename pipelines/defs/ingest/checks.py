"""Asset checks: what the UI shows about each build's quality."""


import dagster as dg

from pipelines.build import ParseBatch, ValidatedTables


@dg.asset_check(asset="parsed_reports", description="Every file in the raw folder was read as a report.")
def all_files_read(parsed_reports: ParseBatch) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not parsed_reports.rejected,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "rejected": len(parsed_reports.rejected),
            "reasons": dg.MetadataValue.md("\n".join(f"- {r.reason}" for r in parsed_reports.rejected) or "none"),
        },
    )


@dg.asset_check(asset="tidy_tables", blocking=True, description="All fact rows pass the pandera model (keys in the catalog, types, one row per cell).")
def facts_match_schema(tidy_tables: ValidatedTables) -> dg.AssetCheckResult:
    invalid = tidy_tables.invalid_facts
    sample = invalid.head(10).select("source_file", "row_key", "column_key", "failed_checks") if invalid.height else None
    return dg.AssetCheckResult(
        passed=invalid.height == 0,
        metadata={
            "invalid_rows": invalid.height,
            "sample": dg.MetadataValue.text(str(sample) if sample is not None else "none"),
        },
    )


@dg.asset_check(asset="tidy_tables", description="Every report satisfies the consistency rules C1–C7 (failures are findings, not errors).")
def consistency_rules_hold(tidy_tables: ValidatedTables) -> dg.AssetCheckResult:
    findings = tidy_tables.tables.findings
    by_rule = findings.group_by("rule").len().sort("rule") if findings.height else None
    return dg.AssetCheckResult(
        passed=findings.height == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "findings": findings.height,
            "by_rule": dg.MetadataValue.text(str(by_rule) if by_rule is not None else "none"),
        },
    )
