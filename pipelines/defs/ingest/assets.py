"""Thin assets: each calls one plain function of pipelines.build / pipelines.warehouse."""


from pathlib import Path

import dagster as dg

from pipelines.build import ParseBatch, ValidatedTables, discover, parse_all, tidy_batch, validate_tables
from pipelines.defs.ingest.resources import XxgkPaths
from pipelines.warehouse import LoadSummary, write_warehouse


@dg.asset(group_name="ingest", pool="xxgk_parse", description="Every file in the raw folder parsed into template cells; unreadable files rejected with the reason.")
def parsed_reports(context: dg.AssetExecutionContext, paths: XxgkPaths) -> dg.Output[ParseBatch]:
    batch = parse_all(discover(Path(paths.raw_dir)))
    for rej in batch.rejected:
        context.log.warning(rej.reason)
    return dg.Output(
        batch,
        metadata={
            "raw_dir": paths.raw_dir,
            "reports": len(batch.reports),
            "rejected": len(batch.rejected),
            "repaired": sum(1 for r in batch.reports if r.reading == "repaired"),
        },
    )


@dg.asset(group_name="ingest", description="The tidy tables (reports, facts, repairs, findings, rejected), validated by pandera; failing fact rows kept aside.")
def tidy_tables(parsed_reports: ParseBatch) -> dg.Output[ValidatedTables]:
    validated = validate_tables(tidy_batch(parsed_reports))
    return dg.Output(
        validated,
        metadata={
            "facts": validated.tables.facts.height,
            "invalid_rows": sum(f.height for f in validated.invalid.values()),
            "findings": validated.tables.findings.height,
        },
    )


@dg.asset(group_name="ingest", pool="xxgk_warehouse", description="The DuckDB warehouse file, rebuilt and published atomically.")
def warehouse(tidy_tables: ValidatedTables, paths: XxgkPaths) -> dg.Output[LoadSummary]:
    summary = write_warehouse(tidy_tables.tables, tidy_tables.rejected_rows(), Path(paths.warehouse_path))
    return dg.Output(
        summary,
        metadata={
            "path": dg.MetadataValue.path(str(summary.path)),
            "reports": summary.reports,
            "facts": summary.facts,
            "rejected": summary.rejected,
            "findings": summary.findings,
        },
    )
