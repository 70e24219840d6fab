"""Thin assets: each calls one plain function of the build chain (pipelines.ingest.stage).

The warehouse is built in a staging file (tables, then one asset per mart in sql/marts/, in the
order their SQL implies) and published by renaming it over the old file, so readers never see a
half-built warehouse. The assets that read or write the warehouse's state ask for its lock
(`warehouse_lock`), which the run holds from its first step to its last.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipelines.defs import GROUP
from pipelines.defs.ingest.checks import GATE_CHECKS, PUBLISHED_CHECKS, gate_results, published_results
from pipelines.defs.ingest.resources import WarehouseLock, XxgkPaths
from pipelines.ingest.parse_pool import IngestStats, parse_new, progress_log
from pipelines.ingest.progress import PARSE
from pipelines.ingest.progress import report as progress_report
from pipelines.ingest.raw_folder import RawFiles, read_given, survey_raw_folder
from pipelines.ingest.raw_survey import RawSurvey
from pipelines.ingest.shards import SHARD_PREFIXES
from pipelines.ingest.stage import StagedWarehouse, publish_staged, stage_current
from pipelines.warehouse.load import staging_path
from pipelines.warehouse.marts import discover_marts, markdown_table

# The distributed build's parse shards (pipelines.defs.ingest.distributed), named here: the local
# build needs their keys, not the Celery executor their module loads.
SHARD_KEYS = [dg.AssetKey(["parse_shard", prefix]) for prefix in SHARD_PREFIXES]


# The raw folder as `xxgk build` surveyed it for its cheap check, per folder: the next raw_files
# step in this process takes it rather than list the folder again (0.05 CPU s at 10,000 files,
# about 1 s at 100,000). Handed only while the command holds the warehouse's lock (`surveyed`).
_HANDED: dict[str, RawSurvey] = {}


@contextmanager
def surveyed(raw_dir: Path, survey: RawSurvey) -> Iterator[None]:
    """raw_files takes `survey` of `raw_dir` (a path as XxgkPaths.raw_dir names it) instead of
    surveying, within the body, once; whatever happens it is not handed to a later run."""
    _HANDED[str(raw_dir)] = survey
    try:
        yield
    finally:
        _HANDED.pop(str(raw_dir), None)


@dg.asset(
    group_name=GROUP,
    description="The raw folder's files with their content hashes (only changed files are read again).",
)
def raw_files(
    context: dg.AssetExecutionContext, paths: XxgkPaths, warehouse_lock: WarehouseLock
) -> dg.Output[RawFiles]:
    survey = _HANDED.pop(paths.raw_dir, None) or survey_raw_folder(Path(paths.raw_dir))
    scanned = RawFiles.scan(Path(paths.raw_dir), Path(paths.warehouse_path), survey)
    return dg.Output(
        scanned,  # a handle to the scan's rows (the stat cache it wrote): kilobytes pickled, not the rows
        metadata={
            "raw_dir": paths.raw_dir,
            "files": scanned.files,
            "contents": scanned.contents,
            "not_read": dg.MetadataValue.md("\n".join(f"- {r.reason}" for r in survey.refused[:100]) or "none"),
            "ignored_by_rule": dg.MetadataValue.md(
                "\n".join(f"- {name}: {rule}" for name, rule in survey.ignored[:100]) or "none"
            ),
        },
    )


@dg.asset(
    group_name=GROUP,
    pool="xxgk_parse",
    # The shards parse first where they run (build_warehouse_distributed); the local build leaves
    # them out and this asset parses everything.
    deps=SHARD_KEYS,
    description=(
        "New or changed contents parsed into template cells (in parallel processes) and kept in the parse store."
    ),
)
def parse_store(
    context: dg.AssetExecutionContext, raw_files: RawFiles, paths: XxgkPaths, warehouse_lock: WarehouseLock
) -> dg.Output[IngestStats]:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        progress_report(PARSE, done, total)  # every chunk, for a progress bar; the log every 2 s
        if time.monotonic() - last[0] > 2 or done == total:
            last[0] = time.monotonic()
            message = f"parsed {done}/{total} new files"
            context.log.info(message)
            progress_log.info(message)

    stats = parse_new(raw_files.read(), Path(paths.warehouse_path), workers=paths.workers or None, progress=progress)
    return dg.Output(
        stats,
        metadata={
            "files": stats.files,
            "parsed": stats.parsed,
            "reused": stats.reused,
            "seconds": round(stats.seconds, 2),
        },
    )


@dg.asset(
    group_name=GROUP,
    pool="xxgk_warehouse",
    deps=["parse_store"],
    description=(
        "A new warehouse file with every table (assembled from the parse store for the files now in the raw folder,"
        " with what manifest.csv gives for them, validated), not yet published."
    ),
    check_specs=GATE_CHECKS,  # blocking: a failure fails this step, and nothing after it runs
)
def warehouse_staging(
    context: dg.AssetExecutionContext, raw_files: RawFiles, paths: XxgkPaths, warehouse_lock: WarehouseLock
) -> Iterator[dg.Output[StagedWarehouse] | dg.AssetCheckResult]:
    target = Path(paths.warehouse_path)
    staged = stage_current(
        raw_files.read(),
        target,
        staging_path(target, context.run.run_id[:8]),
        read_given(Path(paths.raw_dir), raw_files.refused),  # the scan's refusals: no second survey
        full=paths.full,
    )
    for problem in staged.manifest_problems:
        context.log.warning(problem)
    yield dg.Output(
        staged,
        metadata={
            "reports": staged.summary.reports,
            "facts": staged.summary.facts,
            "rejected": staged.summary.rejected,
            "removed": staged.summary.removed,
            "invalid_rows": staged.summary.rejected_rows,
            "findings": staged.summary.findings,
            "build": "full" if staged.agencies is None else f"incremental: {staged.replaced} reports replaced",
            "manifest_rows_skipped": dg.MetadataValue.md(
                "\n".join(f"- {p}" for p in staged.manifest_problems[:100]) or "none"
            ),
        },
    )
    yield from gate_results(staged)


_PREVIEW_ROWS = 5


def _mart_spec(name: str, deps: frozenset[str], description: str) -> dg.AssetSpec:
    return dg.AssetSpec(name, group_name=GROUP, deps=["warehouse_staging", *sorted(deps)], description=description)


# The marts are built in one step (each still its own asset, with its own materialization): a
# step costs Dagster's event writes and an input loaded from the IO manager, whatever it does.
@dg.multi_asset(
    specs=[
        _mart_spec(
            m.name, m.deps, (m.query.comments or [m.path.read_text(encoding="utf-8").splitlines()[0]])[0].strip(" -")
        )
        for m in discover_marts()
    ],
    pool="xxgk_warehouse",
    can_subset=True,
)
def marts(context: dg.AssetExecutionContext, warehouse_staging: StagedWarehouse) -> Iterator[dg.MaterializeResult]:
    chosen = [m.name for m in discover_marts() if dg.AssetKey(m.name) in context.selected_asset_keys]
    # The previews read through the marts' own connection: one opening of the file, not two.
    for name, built in warehouse_staging.build_marts(chosen, preview_rows=_PREVIEW_ROWS).items():
        preview = built.preview
        assert preview is not None
        yield dg.MaterializeResult(
            asset_key=name,
            metadata={
                "dagster/row_count": built.rows,
                "dagster/column_schema": dg.TableSchema(
                    columns=[dg.TableColumn(column, kind) for column, kind in preview.columns]
                ),
                "preview": dg.MetadataValue.md(markdown_table(preview.head)),
            },
        )


MART_ASSETS = [marts]


@dg.asset(
    group_name=GROUP,
    pool="xxgk_warehouse",
    deps=[m.name for m in discover_marts()],
    description="The DuckDB warehouse file, published atomically once every table and mart is built.",
    check_specs=PUBLISHED_CHECKS,
)
def warehouse(
    warehouse_staging: StagedWarehouse, raw_files: RawFiles, paths: XxgkPaths, warehouse_lock: WarehouseLock
) -> dg.MaterializeResult:
    target = Path(paths.warehouse_path)
    summary = publish_staged(warehouse_staging, raw_files.read(), target)
    # A MaterializeResult, not an Output: no value goes through the IO manager (nothing reads it),
    # so `path` is the DuckDB file, not the IO manager's pickle.
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "reports": summary.reports,
            "facts": summary.facts,
            "rejected": summary.rejected,
            "findings": summary.findings,
        },
        check_results=list(published_results(warehouse_staging, target)),
    )


# What `xxgk build` materializes (with their checks, pipelines.defs.ingest.checks): every asset of
# the local build, and nothing of collecting or of the distributed job (not imported for a build).
INGEST_ASSETS = [raw_files, parse_store, warehouse_staging, *MART_ASSETS, warehouse]
