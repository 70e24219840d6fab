"""The `xxgk` command: collect reports, build the warehouse, parse one file, query the warehouse,
start the Dagster UI.

Exit status: 0 success; 1 failure; 2 bad usage or unreadable input; 3 the build finished but some
files were rejected (they are listed, and kept in the `rejected` table), or the collect run
finished but some URLs failed (listed, and in the fetch log); 4 another build is writing the
warehouse (named in the message; nothing was done).

Each command imports what it needs inside its function: `xxgk --help` and `xxgk query` load
neither Dagster nor pandera, pandas or polars (tests/test_query_cli.py checks it).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from models.vocab import Reading, ValueStatus
from pipelines.ingest.paths import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE, PROJECT_DIR
from pipelines.warehouse.limits import (
    DEFAULT_MAX_ROWS,
    DEFAULT_MEMORY,
    DEFAULT_SECONDS,
    DEFAULT_THREADS,
    Limits,
)

if TYPE_CHECKING:
    from rich.progress import TaskID

    from pipelines.warehouse.shown import Listed

EXIT_REJECTED = 3
EXIT_BUSY = 4
warehouse_option = click.option(
    "--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_WAREHOUSE, show_default=True
)


@click.group(help="xxgk-warehouse: 政府信息公开工作年度报告 → DuckDB.")
def main() -> None:
    pass


def run() -> NoReturn:
    """The `xxgk` program (the console script; `python -m pipelines.cli` exits the usual way, by
    SystemExit, for callers that catch it): the command, then a quick exit.

    Once a command has finished (its files closed, its lock released), Python's own shutdown
    would still free every object of every module it loaded, one by one: after a build, Dagster's,
    pandera's, polars' and DuckDB's, 1.3 CPU s of a nightly run's 7–8 at 10,000 reports. The
    process ends instead as the kernel ends it, after what a normal exit keeps: the atexit
    handlers (logging's flush, multiprocessing's clean-up, temporary folders) and the output
    flushed. Where a thread that is not a daemon still runs, Python's exit waits for it as usual."""
    import atexit
    import threading

    _keep_own_bytecode()
    try:
        main()
        status: int = 0
    except SystemExit as exc:  # click ends every command so
        if exc.code is None or isinstance(exc.code, int):
            status = exc.code or 0
        else:  # sys.exit("message"): printed, status 1, as Python does
            print(exc.code, file=sys.stderr)
            status = 1
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe (xxgk … | head): nothing more can be said
            stream.flush()
    os._exit(status)


def _keep_own_bytecode() -> None:
    """Python keeps the compiled code of the project's modules (in their `__pycache__`, as it does
    by default) even where PYTHONDONTWRITEBYTECODE is set, as on this machine and some CI images:
    else every start compiles pipelines/ and models/ again from source (70 modules, 0.15–0.2 CPU s
    of each build). The dependencies' bytecode is compiled once by `uv sync --compile-bytecode`
    (./xxgk); this is the same for the project's own code, which an editable install keeps in the
    checkout. The modules already imported (the command's own) are compiled now, the rest as they
    are imported; a folder that cannot be written leaves Python compiling in memory, as before."""
    import compileall

    sys.dont_write_bytecode = False
    own = str(PROJECT_DIR) + os.sep
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None)
        if source and source.startswith(own) and source.endswith(".py"):
            compileall.compile_file(source, quiet=2)  # only when its bytecode is missing or stale


@contextmanager
def build_progress(stream: TextIO) -> Iterator[None]:
    """How a build shows its progress: a bar on a terminal (rich), else a line on `stream` every
    few seconds (`parsed 1200/10000 new files`), which a log file keeps readably."""
    from pipelines.ingest.progress import PARSE, listening

    lines = logging.getLogger("xxgk.progress")
    lines.propagate = False
    if not stream.isatty():
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        lines.addHandler(handler)
        lines.setLevel(logging.INFO)
        try:
            yield
        finally:
            lines.removeHandler(handler)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    lines.setLevel(logging.WARNING)  # the bar says it
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
    )
    tasks: dict[str, TaskID] = {}
    names = {PARSE: "parsing new files"}

    def show(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(names.get(step, step), total=total)
        bar.update(tasks[step], completed=done, total=total)

    with bar, listening(show):
        yield


# A 100,000-report build has tens of thousands of D1 findings: the summary names the first few of
# each kind and says where the rest are, so the lines that matter stay on the screen.
DEFAULT_LISTED = 20


def _echo_listed(listed: Listed, where: str) -> None:
    """Each line shown indented under its summary line, then how many more and where."""
    for line in listed.lines:
        click.echo(f"  {line}")
    if listed.total > len(listed.lines):
        click.echo(f"  … and {listed.total - len(listed.lines)} more (in {where}; --list 0 names every one)")


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
@click.option(
    "--full", is_flag=True, help="Rebuild every table and mart (else only what changed since the last build)."
)
@click.option(
    "--list",
    "list_limit",
    type=click.IntRange(min=0),
    default=DEFAULT_LISTED,
    show_default=True,
    metavar="N",
    help="Files named under each line of the summary, at most (0: every one); the tables named hold them all.",
)
def build(raw_dir: Path, warehouse: Path, workers: int, wait: float, full: bool, list_limit: int) -> None:
    # Dagster's local storage lives in the project unless the user chose a DAGSTER_HOME.
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / ".dagster"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    # The events Dagster marks as a batch (the run's planned materializations and checks) handed to
    # the storage together: one transaction per database (pipelines.defs.instance.store_event_batch).
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")
    if not raw_dir.is_dir():
        raise click.UsageError(f"raw report folder not found: {raw_dir}")
    from pipelines.ingest.fingerprint import up_to_date
    from pipelines.ingest.raw_survey import survey_raw_folder

    # Before polars or Dagster is imported: a night with nothing new costs a listing of the raw folder.
    # The folder as the build's assets name it (resolved): the stat cache keeps those paths.
    survey = survey_raw_folder(raw_dir.resolve())
    if not full and up_to_date(raw_dir, warehouse, survey):
        click.echo(f"warehouse: {warehouse.resolve()}")
        click.echo(
            "nothing changed since the last build (raw files, manifest.csv, report_choice.csv, fetch log, code): nothing to do"
        )
        return

    from pipelines.ingest.parse_server import start_parse_server
    from pipelines.warehouse.connection import BuildLimits

    try:  # one line now, not a failed step later
        BuildLimits.from_env()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None

    # Something changed: the parse pool's server is forked from this process now, after it imports
    # what the build and the parser share and before anything here runs threads (Dagster, DuckDB,
    # a polars query). The server imports the rest of the parser only if a file is to be parsed.
    from models.absent import absent
    from pipelines.ingest.collector import GEN0_THRESHOLD, kept_for_good

    with kept_for_good():
        import pyarrow  # noqa: F401  (the build's Arrow exchange with DuckDB; pandas' in the server)

        # The parse workers' own module (their target, its store and validation), which the build
        # uses too: loaded before the fork, a worker has it, rather than importing it as it unpickles
        # its target (4.5 ms CPU a worker; two on a 1%-new night).
        import pipelines.ingest.parse_pool
        import pipelines.tables.frames  # polars, pandera, the template: shared with the server
    start_parse_server()

    with kept_for_good():
        import dagster as dg
        import polars  # noqa: F401  (frozen with the others: the summary's frames)

        with absent("rich", "pygments"):  # structlog's and mako's prettier errors (models.absent)
            import pipelines.defs.instance  # noqa: F401  (Dagster's storage: SQLAlchemy, alembic)

        # The build's own definitions, not pipelines.definitions (collecting's HTTP client, Celery).
        from pipelines.defs.ingest.assets import INGEST_ASSETS, surveyed
        from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources
        from pipelines.ingest.lock import WarehouseBusy, hold_warehouse
        from pipelines.warehouse.shown import build_shown, summary_wanted
    # Young collections every GEN0_THRESHOLD new objects, as in a parse worker (Python's default:
    # 700): a run makes Dagster's events, contexts and plans by the hundred thousand, nearly all
    # freed by their reference counts. A 1%-new night made 161 young, 14 middle and one full
    # collection (which found nothing): 0.05 CPU s; 38 and 2 so, 0.015 s.
    gc.set_threshold(GEN0_THRESHOLD)

    paths = XxgkPaths(
        raw_dir=str(raw_dir.resolve()), warehouse_path=str(warehouse.resolve()), workers=workers, full=full
    )
    try:
        # Taken here, before Dagster starts, so a busy warehouse is one line and exit 4; the
        # run's own lock resource then finds it held by this thread and nests.
        with (
            hold_warehouse(warehouse, wait) as held,
            build_progress(sys.stderr),
            _dagster_instance() as instance,
        ):
            for path in held.removed:
                click.echo(f"removed {path.name}, left by a build that failed or was killed", err=True)
            # The run builds from the folder as surveyed above, unless another build held the
            # warehouse meanwhile (--wait): then raw_files surveys it again.
            with (
                surveyed(Path(paths.raw_dir), survey) if not held.waited else nullcontext(),
                summary_wanted(warehouse, list_limit),  # read by the run's checks, with theirs
            ):
                result = dg.materialize(
                    INGEST_ASSETS,
                    instance=instance,
                    resources=ingest_resources(paths, lock_wait=0),
                    run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
                    raise_on_error=False,
                )
                if result.success:
                    shown = build_shown(result.output_for_node("warehouse_staging").summary.path, list_limit)
    except WarehouseBusy as exc:
        click.echo(f"busy: {exc}; try again later, or use --wait SECONDS", err=True)
        sys.exit(EXIT_BUSY)
    if not result.success:
        click.echo("build failed; see the Dagster run log above", err=True)
        sys.exit(1)
    from pipelines.warehouse.shown import Listed

    stats = result.output_for_node("parse_store")
    staged = result.output_for_node("warehouse_staging")  # a handle: the rows are read from the file
    summary = staged.summary  # what the warehouse asset published
    click.echo(f"warehouse: {summary.path}")
    click.echo(f"files: {stats.files} ({stats.parsed} parsed now, {stats.reused} already in the parse store)")
    if staged.replaced is not None:
        click.echo(
            f"incremental: {staged.replaced} reports' rows replaced, marts of {len(staged.agencies or [])} agencies"
        )
    click.echo(f"reports loaded: {summary.reports}")
    click.echo(f"cells: {summary.facts}")
    click.echo(f"reports with shifted figures re-placed by the rules: {shown.re_read_total}")
    guess = " (a guess: another placement also satisfies the rules)"
    _echo_listed(
        Listed(
            [
                f"{r['source_file']}: {r['repairs']} rows re-placed{guess if r['reading'] == Reading.AMBIGUOUS else ''}"
                for r in shown.re_read.iter_rows(named=True)
            ],
            shown.re_read_total,
        ),
        "the quality table",
    )
    click.echo(f"reports where some placement is a guess: {shown.readings.get(Reading.AMBIGUOUS, 0)}")
    click.echo(f"reports whose figures no placement makes consistent: {shown.readings.get(Reading.UNRESOLVED, 0)}")
    click.echo(f"reports with unreadable cells (value NULL, never 0; U1 findings): {shown.unreadable_total}")
    _echo_listed(
        Listed(
            [
                f"{r['source_file']}: {r['cells_unreadable']} cells ({r['reading']})"
                for r in shown.unreadable.iter_rows(named=True)
            ],
            shown.unreadable_total,
        ),
        "the findings table, rule U1",
    )
    click.echo(f"rule failures: {summary.rule_failures}  year-over-year warnings: {shown.yoy}")
    click.echo(
        f"agency-years with more than one report: {staged.agency_years_with_several_reports} (see duplicate_reports)"
    )
    click.echo(f"reports that disagree with the counted report of their agency-year (D1): {shown.disagreeing.total}")
    _echo_listed(shown.disagreeing, "the findings table, rule D1")
    if summary.rejected_rows:
        click.echo(f"rows failing validation (kept in rejected_rows): {summary.rejected_rows}")
    click.echo(f"reports rejected: {summary.rejected}")
    _echo_listed(shown.rejected, "the rejected table")
    ignored = survey.ignored  # as the build started
    if ignored:  # never silently: what the build does not read by rule is listed
        click.echo(f"ignored by rule: {len(ignored)}")
        _echo_listed(Listed.of([f"{name}: {rule}" for name, rule in ignored], list_limit), "the raw folder")
    if staged.manifest_problems:
        click.echo(f"manifest.csv / report_choice.csv rows skipped: {len(staged.manifest_problems)}")
        _echo_listed(Listed.of(staged.manifest_problems, list_limit), "the Dagster run's log")
    if shown.removed.total:
        click.echo(f"files removed since an earlier build: {shown.removed.total}")
        _echo_listed(shown.removed, "the removed table")
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
    saved = [
        result.count(FetchOutcome.SAVED, kind) for kind in (FetchKind.REPORT, FetchKind.ATTACHMENT, FetchKind.PICTURE)
    ]
    click.echo(
        f"saved into {raw_dir}: {len(result.saved)} files"
        f" ({saved[0]} report pages, {saved[1]} attachments, {saved[2]} pictures)"
    )
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
    from pipelines.warehouse.tabular import format_table

    try:
        summary, details = check_file(file) if file else check_warehouse(warehouse)
    except (FileNotFoundError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(format_table(summary.columns, summary.rows()))
    if findings and details.height:
        click.echo(format_table(details.columns, details.rows(), max_str=200))
    if summary.height and summary.get_column("rule_failures").sum() > 0:
        sys.exit(EXIT_REJECTED)


@main.command(help="Export every table, view and mart as Parquet (a file per year) with a data dictionary.")
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
        click.echo(f"{e.table:24s} {e.rows:6d} rows  {e.path}{'  (a file per year)' if e.partitioned_by_year else ''}")
    click.echo(f"dictionary: {out / 'DICTIONARY.md'}, {out / 'dictionary.json'}")


@main.command(help="Render charts (PNG) and an HTML page from the warehouse.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
@warehouse_option
def report(out: Path, warehouse: Path) -> None:
    from pipelines.charts.render import render_report

    try:
        charts = render_report(warehouse, out)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for chart in charts:
        click.echo(f"{out / chart.file}  {chart.title}")
    click.echo(f"page: {out / 'index.html'}")


@contextmanager
def _dagster_instance() -> Iterator[Any]:
    """Dagster's instance on DAGSTER_HOME (pipelines.defs.instance.build_instance). On a new home
    its SQLite storage is created at first use; two builds that start together (on different
    warehouses) must not both create it, so that first use is made under a lock on the home."""
    import fcntl

    from pipelines.defs.instance import build_instance

    home = Path(os.environ["DAGSTER_HOME"])
    with open(home / ".xxgk-instance.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        instance = build_instance(home)
        instance.get_runs_count()
        fcntl.flock(lock, fcntl.LOCK_UN)
    with instance:
        yield instance


def _terminal_width() -> int | None:
    """Cells a table may take: $COLUMNS, else the terminal's; None (no cutting) when piped."""
    if (columns := os.environ.get("COLUMNS", "")).isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _query_failed(message: str, status: int) -> NoReturn:
    click.echo(" ".join(message.split()), err=True)  # one line, whatever the SQL held
    sys.exit(status)


@main.command(
    help="Run one read-only SQL query against the warehouse (SQL '-' reads it from standard input). "
    "Queries, DESCRIBE, SHOW TABLES, SUMMARIZE and EXPLAIN run; anything that writes, reads files "
    "or changes settings is refused (exit 2). A query over its time or memory limit is stopped (exit 1). "
    "Wide columns are cut to the terminal width ($COLUMNS) unless --full."
)
@click.argument("sql")
@warehouse_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every row to FILE (.csv or .parquet) instead of printing.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Rows printed at most (0: all); how many more there are is said.",
)
@click.option("--full", is_flag=True, help="Print wide values whole instead of cutting them to the terminal width.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_SECONDS,
    show_default=True,
    help="Seconds the query may run.",
)
@click.option(
    "--memory-limit", default=DEFAULT_MEMORY, show_default=True, help="Memory the query may take (512MB, 4GB)."
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=DEFAULT_THREADS,
    show_default=True,
    help="DuckDB threads for the query.",
)
def query(
    sql: str,
    warehouse: Path,
    fmt: str,
    out: Path | None,
    max_rows: int,
    full: bool,
    timeout: float,
    memory_limit: str,
    threads: int,
) -> None:
    try:
        limits = Limits(seconds=timeout, memory=memory_limit, threads=threads)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--memory-limit'") from exc
    if sql == "-":
        sql = sys.stdin.read()
    # Imported here: DuckDB and sqlglot are not loaded for `xxgk --help` or the other commands.
    from pipelines.warehouse.query import QueryFailed, RefusedQuery, run_query, save_query
    from pipelines.warehouse.tabular import format_csv, format_json, format_table

    try:
        if out is not None:
            rows = save_query(sql, warehouse, out, limits)
            click.echo(f"{rows} row{'' if rows == 1 else 's'} written to {out}")
            return
        result = run_query(sql, warehouse, limits, max_rows or None)
    except RefusedQuery as exc:
        _query_failed(f"refused: {exc}", 2)
    except FileNotFoundError as exc:
        _query_failed(f"error: {exc}", 2)
    except QueryFailed as exc:
        _query_failed(f"error: {exc}", 1)
    except KeyboardInterrupt:
        _query_failed("interrupted", 130)
    except Exception as exc:  # never a traceback: whatever went wrong, one line and a status
        _query_failed(f"error: {type(exc).__name__}: {exc}", 1)
    more = (
        f"{result.total_rows} rows, {len(result.rows)} shown (--max-rows for more, --out FILE for all)"
        if result.hidden_rows
        else ""
    )
    try:
        if fmt == "csv":
            sys.stdout.write(format_csv(result.columns, result.rows))
        elif fmt == "json":
            click.echo(format_json(result.columns, result.rows))
        else:
            width = None if full else _terminal_width()
            click.echo(format_table(result.columns, result.rows, width=width, max_str=10**9 if full else 80))
            if more:
                click.echo(more)
                more = ""
        sys.stdout.flush()
    except BrokenPipeError:  # `xxgk query … | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    if more:
        click.echo(more, err=True)  # csv and json stay parseable


if __name__ == "__main__":
    main()


@main.command(
    help="Start the Dagster UI (and its daemon, for the schedules and sensors) on the project's Dagster home."
)
@click.option("--port", type=click.IntRange(1, 65535), default=3000, show_default=True)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only)."
)
@click.option(
    "--raw",
    "raw_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Raw report folder the runs read.",
)
@click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Warehouse file the runs publish.",
)
def ui(port: int, host: str, raw_dir: Path | None, warehouse: Path | None) -> None:
    # The same storage as `xxgk build` (runs, materialisations, check results), unless the user chose a DAGSTER_HOME.
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / ".dagster"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    # The assets' resources read these when the code location loads (pipelines.defs.ingest.resources).
    if raw_dir is not None:
        os.environ["XXGK_RAW_DIR"] = str(raw_dir.resolve())
    if warehouse is not None:
        os.environ["XXGK_WAREHOUSE"] = str(warehouse.resolve())
    command = [sys.executable, "-m", "dagster", "dev", "-m", "pipelines.definitions", "-h", host, "-p", str(port)]
    click.echo(f"Dagster UI: http://{host}:{port}  (DAGSTER_HOME={os.environ['DAGSTER_HOME']})", err=True)
    # Replaces this process, so Ctrl-C and signals go straight to `dagster dev`, which stops its children.
    os.execv(sys.executable, command)
