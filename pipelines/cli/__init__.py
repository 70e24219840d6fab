"""The `xxgk` command: collect reports, build the warehouse, parse one file, query the warehouse.

Exit status: 0 success; 1 failure; 2 bad usage or unreadable input; 3 the build finished but some
files were rejected (they are listed, and kept in the `rejected` table), or the collect run
finished but some URLs failed (listed, and in the fetch log); 4 another build is writing the
warehouse (named in the message; nothing was done).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click
import polars as pl

from models.vocab import FindingRule, Reading, ValueStatus
from pipelines.ingest.raw_folder import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE, PROJECT_DIR

EXIT_REJECTED = 3
EXIT_BUSY = 4
warehouse_option = click.option(
    "--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_WAREHOUSE, show_default=True
)


@click.group(help="xxgk-warehouse: 政府信息公开工作年度报告 → DuckDB.")
def main() -> None:
    pass


@main.command(help="Ingest the raw reports into the warehouse (runs the Dagster assets).")
@click.option(
    "--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RAW_DIR, show_default=True
)
@warehouse_option
@click.option(
    "--workers", type=int, default=0, show_default=True, help="Parsing processes (0: one per core, at most 8)."
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another build of the same warehouse to finish (0: exit 4 at once).",
)
def build(raw_dir: Path, warehouse: Path, workers: int, wait: float) -> None:
    # Dagster's local storage lives in the project unless the user chose a DAGSTER_HOME.
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / ".dagster"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    if not raw_dir.is_dir():
        raise click.UsageError(f"raw report folder not found: {raw_dir}")

    import dagster as dg

    from pipelines.definitions import ingest_assets, ingest_checks
    from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources
    from pipelines.ingest.lock import WarehouseBusy, hold_warehouse

    progress = logging.getLogger("xxgk.progress")
    if not progress.handlers:  # progress of long runs on stderr
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False
    paths = XxgkPaths(raw_dir=str(raw_dir.resolve()), warehouse_path=str(warehouse.resolve()), workers=workers)
    try:
        # Taken here, before Dagster starts, so a busy warehouse is one line and exit 4; the
        # run's own lock resource then finds it held by this thread and nests.
        with hold_warehouse(warehouse, wait) as held, dg.DagsterInstance.get() as instance:
            for path in held.removed:
                click.echo(f"removed {path.name}, left by a build that failed or was killed", err=True)
            result = dg.materialize(
                [*ingest_assets, *ingest_checks],
                instance=instance,
                resources=ingest_resources(paths, lock_wait=0),
                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
                raise_on_error=False,
            )
    except WarehouseBusy as exc:
        click.echo(f"busy: {exc}; try again later, or use --wait SECONDS", err=True)
        sys.exit(EXIT_BUSY)
    if not result.success:
        click.echo("build failed; see the Dagster run log above", err=True)
        sys.exit(1)
    stats = result.output_for_node("parse_store")
    staged = result.output_for_node("warehouse_staging")
    summary = result.output_for_node("warehouse")
    quality = staged.quality.sort("source_file")
    re_read = quality.filter(pl.col("repairs") > 0)
    click.echo(f"warehouse: {summary.path}")
    click.echo(f"files: {stats.files} ({stats.parsed} parsed now, {stats.reused} already in the parse store)")
    click.echo(f"reports loaded: {summary.reports}")
    click.echo(f"cells: {summary.facts}")
    click.echo(f"reports with shifted figures re-placed by the rules: {re_read.height}")
    for r in re_read.iter_rows(named=True):
        guess = " (a guess: another placement also satisfies the rules)" if r["reading"] == Reading.AMBIGUOUS else ""
        click.echo(f"  {r['source_file']}: {r['repairs']} rows re-placed{guess}")
    click.echo(
        f"reports where some placement is a guess: {quality.filter(pl.col('reading') == Reading.AMBIGUOUS).height}"
    )
    click.echo(
        f"reports whose figures no placement makes consistent: {quality.filter(pl.col('reading') == Reading.UNRESOLVED).height}"
    )
    unreadable = quality.filter(pl.col("cells_unreadable") > 0)
    click.echo(f"reports with unreadable cells (value NULL, never 0; U1 findings): {unreadable.height}")
    for r in unreadable.iter_rows(named=True):
        click.echo(f"  {r['source_file']}: {r['cells_unreadable']} cells ({r['reading']})")
    yoy = staged.findings.filter(pl.col("rule") == FindingRule.YOY).height
    click.echo(f"rule failures: {summary.rule_failures}  year-over-year warnings: {yoy}")
    if summary.rejected_rows:
        click.echo(f"rows failing validation (kept in rejected_rows): {summary.rejected_rows}")
    click.echo(f"reports rejected: {summary.rejected}")
    for reason in staged.rejected.get_column("reason").to_list():
        click.echo(f"  {reason}")
    if staged.manifest_problems:
        click.echo(f"manifest.csv rows skipped: {len(staged.manifest_problems)}")
        for problem in staged.manifest_problems:
            click.echo(f"  {problem}")
    if staged.removed.height:
        click.echo(f"files removed since an earlier build: {staged.removed.height}")
        for reason in staged.removed.get_column("reason").to_list():
            click.echo(f"  {reason}")
    if summary.rejected:
        sys.exit(EXIT_REJECTED)


@main.command(help="Fetch new or changed reports from the sources list into the raw folder (politely).")
@click.option(
    "--sources",
    "sources_csv",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The sources list (agency,url,…).  [default: data/sources.csv]",
)
@click.option(
    "--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RAW_DIR, show_default=True
)
@click.option("--delay", type=float, default=None, help="Seconds between two requests to one host.  [default: 2]")
@click.option("--budget", type=int, default=None, help="Requests in this run at most.  [default: 500]")
def collect(sources_csv: Path | None, raw_dir: Path, delay: float | None, budget: int | None) -> None:
    # Imported here: the web stack is not loaded for the other commands.
    from dataclasses import replace

    from models.vocab import FetchKind, FetchOutcome
    from pipelines.collect.fetcher import Politeness
    from pipelines.collect.run import collect as collect_reports
    from pipelines.collect.sources import DEFAULT_SOURCES, SourcesError, read_sources
    from pipelines.ingest.raw_folder import fetch_log_path

    path = sources_csv or DEFAULT_SOURCES
    try:
        sources = read_sources(path)
    except SourcesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    politeness = Politeness()
    if delay is not None:
        politeness = replace(politeness, delay_s=delay)
    if budget is not None:
        politeness = replace(politeness, budget=budget)
    result = collect_reports(sources, raw_dir, politeness)
    agencies = len({s.agency for s in sources.sources})
    click.echo(f"sources: {path} ({len(sources.sources)} URLs of {agencies} agencies)")
    for problem in sources.problems:
        click.echo(f"  skipped: {problem}")
    click.echo(f"requests: {result.requests} (budget {politeness.budget}, {politeness.delay_s:g} s apart per host)")
    saved = result.count(FetchOutcome.SAVED, FetchKind.REPORT), result.count(FetchOutcome.SAVED, FetchKind.ATTACHMENT)
    click.echo(f"saved into {raw_dir}: {len(result.saved)} files ({saved[0]} report pages, {saved[1]} attachments)")
    click.echo(
        f"unchanged: {result.count(FetchOutcome.NOT_MODIFIED)} not modified (304), "
        f"{result.count(FetchOutcome.UNCHANGED)} the same bytes"
    )
    click.echo(f"refused by robots.txt: {result.count(FetchOutcome.DISALLOWED)}")
    for file in result.withdrawn:
        click.echo(f"withdrawn from the site (file and data kept): {file}")
    if over := result.count(FetchOutcome.OVER_BUDGET):
        click.echo(f"left for the next night (budget spent): {over}")
    failures = result.failures()
    click.echo(f"failed: {failures.height} (tried again on the next run)")
    for url, reason in failures.select("url", "reason").iter_rows():
        click.echo(f"  {url}: {reason}")
    click.echo(f"fetch log: {fetch_log_path(raw_dir)}")
    if failures.height:
        sys.exit(EXIT_REJECTED)


@main.command(help="Parse one report file and print its cells; the warehouse is not touched.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
def parse(file: Path, fmt: str) -> None:
    from pipelines.checks.findings import check_report
    from pipelines.formats.document import UnreadableDocument
    from pipelines.tables.frames import facts_frame
    from pipelines.template.report import parse_file

    try:
        report = parse_file(file)
    except UnreadableDocument as exc:
        if fmt == "json":
            # Always say what could be told about the document, even when it is not a report.
            known = getattr(exc, "known", {})
            doc = {"source_file": file.name, "error": str(exc), **known, "cells": []}
            click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    frame = facts_frame([report]).select(
        "agency",
        "year",
        "template",
        "section",
        "table_key",
        "row_key",
        "column_key",
        "value",
        "raw_text",
        "value_status",
        "ocr_confidence",
    )
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
        return
    doc = {
        "source_file": report.source_file,
        "source_sha256": report.source_sha256,
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "template_evidence": report.template_evidence,
        "layout": report.layout,
        "sections_found": report.sections_found,
        "cells_expected": len(report.cells),
        "cells_missing": [
            f"{k.row_key}.{k.column_key}" for k, v in report.cells.items() if v.status == ValueStatus.MISSING
        ],
        "cells_unreadable": [
            f"{k.row_key}.{k.column_key}" for k, v in report.cells.items() if v.status == ValueStatus.UNREADABLE
        ],
        "reading": report.reading,
        "problems": report.problems,
        "repairs": [
            {"label": r.label, "printed": list(r.printed), "moves": [list(m) for m in r.moves], "reason": r.reason}
            for r in report.repairs
        ],
        "findings": [f.__dict__ for f in check_report(report).findings],
        "cells": frame.drop("agency", "year", "template").to_dicts(),
    }
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))


@main.command(help="Print the quality summary of every report in the warehouse, or of one FILE.")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@warehouse_option
@click.option("--findings/--no-findings", default=True, show_default=True, help="List each finding under the summary.")
def check(file: Path | None, warehouse: Path, findings: bool) -> None:
    from pipelines.warehouse.quality import check_file, check_warehouse
    from pipelines.warehouse.query import format_table

    try:
        summary, details = check_file(file) if file else check_warehouse(warehouse)
    except (FileNotFoundError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(format_table(summary))
    if findings and details.height:
        click.echo(format_table(details, max_str=200))
    if summary.height and summary.get_column("rule_failures").sum() > 0:
        sys.exit(EXIT_REJECTED)


@main.command(help="Export the warehouse as Parquet (partitioned by year) with a data dictionary.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
@warehouse_option
def export(out: Path, warehouse: Path) -> None:
    from pipelines.warehouse.export import export as export_parquet

    try:
        exported = export_parquet(warehouse, out)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for e in exported:
        click.echo(
            f"{e.table:28s} {e.rows:8d} rows  {e.path}{'  (partitioned by year)' if e.partitioned_by_year else ''}"
        )
    click.echo(f"dictionary: {out / 'DICTIONARY.md'}, {out / 'dictionary.json'}")


@main.command(help="Render charts (PNG) and an HTML page from the warehouse.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
@warehouse_option
def report(out: Path, warehouse: Path) -> None:
    from pipelines.charts.render import cjk_font, render_report

    try:
        charts = render_report(warehouse, out)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for chart in charts:
        click.echo(f"{out / chart.file}  {chart.title}")
    click.echo(f"page: {out / 'index.html'}")
    if cjk_font() is None:
        click.echo("note: no CJK font found; Chinese labels show as boxes (apt-get install fonts-wqy-zenhei)", err=True)


@main.command(help="Run one read-only SQL query against the warehouse.")
@click.argument("sql")
@warehouse_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(sql: str, warehouse: Path, fmt: str) -> None:
    import duckdb

    from pipelines.warehouse.query import RefusedQuery, format_table, run_query

    try:
        frame = run_query(sql, warehouse)
    except RefusedQuery as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(2)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except duckdb.Error as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(format_table(frame))


if __name__ == "__main__":
    main()
