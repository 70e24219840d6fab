"""Thin assets: each calls one plain function of pipelines.build / pipelines.warehouse.

The warehouse is built in a staging file (tables, then one asset per mart in sql/marts/, in the
order their SQL implies) and published by renaming it over the old file, so readers never see a
half-built warehouse.
"""

import time
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.agencies import resolve_agencies
from pipelines.build import (
    IngestStats,
    ValidatedTables,
    assemble_current,
    parse_new,
    progress_log,
    remember_manifest,
    scan_raw,
    validate_tables,
)
from pipelines.defs.ingest.resources import XxgkPaths
from pipelines.marts import discover as discover_marts
from pipelines.warehouse import (
    LoadSummary,
    build_marts,
    publish,
    remove_stale_staging,
    stage_warehouse,
    staging_path,
    summarize,
)


@dg.asset(group_name="ingest", description="The raw folder's files with their content hashes (only changed files are read again).")
def raw_files(context: dg.AssetExecutionContext, paths: XxgkPaths) -> dg.Output[pl.DataFrame]:
    manifest = scan_raw(Path(paths.raw_dir), Path(paths.warehouse_path))
    return dg.Output(manifest, metadata={"raw_dir": paths.raw_dir, "files": manifest.height,
                                         "contents": manifest.get_column("source_sha256").n_unique()})


@dg.asset(group_name="ingest", pool="xxgk_parse",
          description="New or changed contents parsed into template cells (in parallel processes) and kept in the parse store.")
def parse_store(context: dg.AssetExecutionContext, raw_files: pl.DataFrame, paths: XxgkPaths) -> dg.Output[IngestStats]:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 2 or done == total:
            last[0] = time.monotonic()
            message = f"parsed {done}/{total} new files"
            context.log.info(message)
            progress_log.info(message)

    stats = parse_new(raw_files, Path(paths.warehouse_path), workers=paths.workers or None, progress=progress)
    return dg.Output(stats, metadata={"files": stats.files, "parsed": stats.parsed, "reused": stats.reused,
                                      "seconds": round(stats.seconds, 2)})


@dg.asset(group_name="ingest", deps=["parse_store"],
          description="The tables of the files now in the raw folder (reports, facts, findings, quality, removed, …), validated by pandera; failing rows kept aside.")
def tidy_tables(raw_files: pl.DataFrame, paths: XxgkPaths) -> dg.Output[ValidatedTables]:
    tables, removed = assemble_current(raw_files, Path(paths.warehouse_path))
    validated = validate_tables(tables)
    return dg.Output(
        validated,
        metadata={
            "reports": validated.tables.reports.height,
            "facts": validated.tables.facts.height,
            "rejected": validated.tables.rejected.height,
            "removed": removed.height,
            "invalid_rows": sum(f.height for f in validated.invalid.values()),
            "findings": validated.tables.findings.height,
        },
    )


@dg.asset(group_name="ingest", description="Agencies with province, prefecture, county and division code, resolved from their names.")
def agencies(tidy_tables: ValidatedTables) -> dg.Output[pl.DataFrame]:
    frame = resolve_agencies(tidy_tables.tables.reports.get_column("agency").drop_nulls().unique().sort().to_list())
    return dg.Output(frame, metadata={"agencies": frame.height, "resolved": frame.filter(pl.col("division_code").is_not_null()).height})


@dg.asset(group_name="warehouse", pool="xxgk_warehouse", description="A new warehouse file with every table, not yet published.")
def warehouse_staging(context: dg.AssetExecutionContext, tidy_tables: ValidatedTables, agencies: pl.DataFrame, paths: XxgkPaths) -> str:
    target = Path(paths.warehouse_path)
    remove_stale_staging(target)
    staging = staging_path(target, context.run.run_id[:8])
    stage_warehouse(tidy_tables.tables, tidy_tables.rejected_rows(), staging, agencies)
    return str(staging)


def _mart_asset(name: str, deps: frozenset[str], description: str) -> dg.AssetsDefinition:
    @dg.asset(name=name, group_name="marts", pool="xxgk_warehouse", deps=sorted(deps), description=description)
    def _mart(warehouse_staging: str) -> dg.MaterializeResult:
        rows = build_marts(Path(warehouse_staging), [name])[name]
        return dg.MaterializeResult(metadata={"rows": rows})

    return _mart


MART_ASSETS = [
    _mart_asset(m.name, m.deps, (m.query.comments or [m.path.read_text(encoding="utf-8").splitlines()[0]])[0].strip(" -"))
    for m in discover_marts()
]


@dg.asset(group_name="warehouse", pool="xxgk_warehouse", deps=[m.name for m in discover_marts()],
          description="The DuckDB warehouse file, published atomically once every table and mart is built.")
def warehouse(tidy_tables: ValidatedTables, raw_files: pl.DataFrame, warehouse_staging: str, paths: XxgkPaths) -> dg.Output[LoadSummary]:
    target = Path(paths.warehouse_path)
    publish(Path(warehouse_staging), target)
    remember_manifest(raw_files, target)
    summary = summarize(tidy_tables.tables, tidy_tables.rejected_rows(), target)
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
