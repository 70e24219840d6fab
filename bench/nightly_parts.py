"""Where one `xxgk build` spends its process time: the build's parts, measured in-process.

    .venv/bin/python -m bench.nightly_parts --raw data/raw --warehouse data/warehouse/xxgk.duckdb

Runs `xxgk build` once in this process (as the command does: the cheap check, then Dagster) with
`time.process_time` summed around each named part: the imports, the run's creation, Dagster's
event writes, and each build function the assets call. CPU time, not wall time, so the figures
hold on a busy machine; the parse pool's processes are counted apart (their CPU, at the end).
Run it after a change to the raw folder (a file added) to see a nightly run's fixed cost.
The parse's own processes are then listed one by one: the fork server (its own CPU, read from
/proc before it stops), multiprocessing's resource tracker, and each parse worker (its start
before its first instruction of the pool's code, its first file, the other files, the rest:
sending rows, waiting), each worker writing its figures to a folder as it ends.
The imports are made as the command makes them (the collector off, then frozen: pipelines.cli);
the lines "of which" are parts of a part above them (not added twice), and the garbage
collector's time is spread over the parts it interrupted.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SPENT: dict[str, float] = {}
_WITHIN: dict[str, float] = {}  # parts of a part of _SPENT ("of which")
_CALLS: dict[str, int] = {}


def _timed(owner: Any, name: str, label: str, spent: dict[str, float] | None = None, step: str | None = None) -> None:
    """Replace owner.name by a wrapper adding its process time to spent[label] (default _SPENT);
    `step`: the build step it is, while it runs (_timed_by_step's lines)."""
    original: Callable[..., Any] = getattr(owner, name)
    into = _SPENT if spent is None else spent

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        if step is not None:
            _STEP.append(step)
        try:
            return original(*args, **kwargs)
        finally:
            if step is not None:
                _STEP.pop()
            into[label] = into.get(label, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def _timed_batches(owner: Any, name: str, label: str, spent: dict[str, float] = _WITHIN) -> None:
    """Replace the generator method owner.name by one adding the process time of producing each
    item (not of what the caller does with it) to spent[label]."""
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        items = original(*args, **kwargs)
        while True:
            start = time.process_time()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
            yield item

    setattr(owner, name, wrapper)


_STEP: list[str] = []  # the build function running (set by _timed for the "build: …" parts)


def _timed_by_step(owner: Any, name: str, what: str, spent: dict[str, float]) -> None:
    """Like _timed, one line per build step that calls owner.name ("of which (<step>): <what>")."""
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            label = f"of which ({_STEP[-1] if _STEP else 'elsewhere'}): {what}"
            spent[label] = spent.get(label, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def _timed_duckdb(connection: Any) -> None:
    """The build's DuckDB connections' openings and closings (`connection.connect`, and `close` of
    what it returned): DuckDB makes a database instance per opening (about 10 ms) and checkpoints
    a file it changed when the last connection closes."""
    import duckdb

    label = "of which: DuckDB opened and closed (the build's connections)"
    original: Callable[..., Any] = connection.connect
    opened: set[int] = set()
    close = duckdb.DuckDBPyConnection.close

    @functools.wraps(original)
    def connect(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            con = original(*args, **kwargs)
            opened.add(id(con))
            return con
        finally:
            _WITHIN[label] = _WITHIN.get(label, 0.0) + time.process_time() - start

    def closing(self: Any) -> None:
        start = time.process_time()
        try:
            close(self)
        finally:
            if id(self) in opened:
                opened.discard(id(self))
                _WITHIN[label] = _WITHIN.get(label, 0.0) + time.process_time() - start

    connection.connect = connect
    duckdb.DuckDBPyConnection.close = closing


def _counted(owner: Any, name: str, label: str) -> None:
    """Replace owner.name by a wrapper counting its calls in _CALLS, per calling function."""
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = f"{label} ({sys._getframe(1).f_code.co_name})"
        _CALLS[key] = _CALLS.get(key, 0) + 1
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def _timed_workers(pool: Any, folder: Path) -> None:
    """Replace the pool's worker function by one that writes, as the worker ends, its process
    time: before the worker function ran (the fork server's set-up of a new process), each file's
    parse, and in all. Installed before the fork server is forked, so the server's copy of the
    pool module holds it and the workers' target (pickled by name) is it."""
    original: Callable[..., Any] = pool._worker

    @functools.wraps(original)
    def wrapper(conn: Any, limits: Any, parse: Any, tasks: int) -> None:
        start = time.process_time()  # a forked process's clock starts at 0
        files: list[float] = []

        def timed(job: Any, limits: Any) -> Any:
            before = time.process_time()
            try:
                return parse(job, limits)
            finally:
                files.append(time.process_time() - before)

        try:
            original(conn, limits, timed, tasks)
        finally:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            figures = {"start": start, "files": files, "total": time.process_time(), "faults": usage.ru_minflt}
            (folder / f"{os.getpid()}.json").write_text(json.dumps(figures))

    pool._worker = wrapper


def _own_cpu(pid: int | None) -> tuple[float, float] | None:
    """A live process's own CPU seconds and its reaped children's, from /proc/<pid>/stat."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except FileNotFoundError:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return (utime + stime) / tick, (cutime + cstime) / tick


def _print_parse_processes(folder: Path) -> None:
    """The parse's processes, each on its line (see the module's docstring)."""
    from multiprocessing import forkserver, resource_tracker

    server = _own_cpu(getattr(forkserver._forkserver, "_forkserver_pid", None))
    tracker = _own_cpu(getattr(resource_tracker._resource_tracker, "_pid", None))
    workers = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    print(f"{'parse process':<40} CPU s", file=sys.stderr)
    if server is None:
        print(f"{'fork server':<40} not running", file=sys.stderr)
    else:
        print(f"{'fork server (its own)':<40} {server[0]:6.2f}", file=sys.stderr)
    if tracker is not None:
        print(f"{'resource tracker':<40} {tracker[0]:6.2f}", file=sys.stderr)
    for k, w in enumerate(workers, 1):
        files = w["files"]
        first, rest = (files[0], sum(files[1:])) if files else (0.0, 0.0)
        other = w["total"] - w["start"] - sum(files)
        print(
            f"worker {k:<3} start {w['start']:5.2f}  first file {first:5.2f}  {len(files) - 1:4d} more {rest:5.2f}"
            f"  rest {other:5.2f}  in all {w['total']:5.2f}  page faults {w['faults']:,}",
            file=sys.stderr,
        )
    total = sum(w["total"] for w in workers) + (server[0] if server else 0.0) + (tracker[0] if tracker else 0.0)
    print(f"{'parse processes in all':<40} {total:6.2f}", file=sys.stderr)


def _collections() -> None:
    """The garbage collector's process time, in _WITHIN."""
    began = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.process_time()
        else:
            label = "garbage collection (all parts)"
            _WITHIN[label] = _WITHIN.get(label, 0.0) + time.process_time() - began[0]

    gc.callbacks.append(callback)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", required=True)
    parser.add_argument("--warehouse", required=True)
    args = parser.parse_args()
    start = time.process_time()
    _collections()
    from models.absent import absent
    from pipelines.ingest.collector import kept_for_good

    with kept_for_good():  # as the command imports them
        before = time.process_time()
        importlib.import_module("pyarrow")
        importlib.import_module("pipelines.ingest.parse_pool")  # the workers' own module
        importlib.import_module("pipelines.tables.frames")  # the rest of the parser: in the server
        _SPENT["import what the build shares with the parser"] = time.process_time() - before
        before = time.process_time()
        import dagster
        import polars  # noqa: F401

        _SPENT["import Dagster and polars"] = time.process_time() - before
        before = time.process_time()
        with absent("rich", "pygments"):
            import pipelines.defs.instance as instance
        import pipelines.defs.ingest.assets as assets

        _SPENT["import the build's definitions, Dagster's storage"] = time.process_time() - before
    from dagster._core.instance.runs.run_domain import RunDomain
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from pipelines.ingest import parse_pool, parse_server, raw_folder, stage
    from pipelines.tables.parse_store import ParseStore
    from pipelines.warehouse import connection, facts_store

    _timed(SqliteEventLogStorage, "store_event", "Dagster: event writes (SQLite)")
    _timed(RunDomain, "create_run_for_job", "Dagster: creating the run")
    _timed(instance, "build_instance", "Dagster: the instance (its storage)")
    # The command calls it after importing the parser: the server's fork.
    _timed(parse_server, "start_parse_server", "parse server: fork")

    for name in ("survey_raw_folder", "parse_new", "read_given", "stage_current", "publish_staged"):
        _timed(assets, name, f"build: {name}", step=name)
    # raw_files hands on a RawFiles handle; its scan runs in raw_folder, not in the assets module.
    _timed(raw_folder, "scan_raw_folder", "build: scan_raw_folder")
    _timed(stage.StagedWarehouse, "build_marts", "build: marts", step="marts")
    _timed(stage, "replace_rows", "of which (stage_current): replace_rows", _WITHIN)
    _timed(facts_store, "write_partitions", "of which (replace_rows): facts partitions rewritten", _WITHIN)
    _timed_batches(ParseStore, "fact_batches", "of which (stage_current): facts read from the parse store")
    # The parts of Dagster's run and of the build's own steps a night pays whatever its size.
    from pipelines.tables import validate
    from pipelines.warehouse import marts

    _timed(
        instance.PooledSqliteEventLogStorage,
        "_initdb",
        "of which (Dagster): a database's tables checked or made",
        _WITHIN,
    )
    _timed(RunDomain, "_log_asset_planned_events", "of which (creating the run): planned events", _WITHIN)
    # pandera by the step that asks (the lines' sum is the former single line): parse_new
    # validates the new reports once, when they are stored; the stage what derive added.
    _timed_by_step(validate, "validate", "pandera", _WITHIN)
    _timed(parse_pool, "run_pool", "of which (parse_new): rows received from the workers", _WITHIN)
    for name in ("known", "rejections", "add"):
        _timed(ParseStore, name, "of which (parse_new): the parse store's lookups and the new segment", _WITHIN)
    for name in ("reports", "load"):
        _timed(ParseStore, name, "of which (stage_current): the parse store read (reports, load)", _WITHIN)
    from pipelines.tables import derive

    _timed(derive, "findings_and_quality", "of which (stage_current): derive (findings, quality; D1 in it)", _WITHIN)
    _timed(derive, "duplicate_findings", "of which (derive): D1 (its reports' facts read and compared)", _WITHIN)
    _timed(facts_store, "fsync_path", "of which (publish_staged): facts files and folders flushed", _WITHIN)
    _timed_duckdb(connection)
    _timed(marts, "refresh_mart", "of which (marts): each mart's rows replaced", _WITHIN)
    _timed(marts, "cut_to_agencies", "of which (marts): the queries cut to the agencies (sqlglot)", _WITHIN)
    _timed(marts, "cut_once", "of which (marts): the facts cut to the touched reports", _WITHIN)
    _timed(marts, "preview", "of which (marts): previews", _WITHIN)
    _timed(dagster, "materialize", "of which: Dagster's run (materialize, every step in it)", _WITHIN)
    from pipelines.warehouse import shown

    _timed(shown, "build_shown", "of which: the command's summary read back (build_shown)", _WITHIN)
    _counted(connection, "connect", "DuckDB opened by")
    worker_figures = Path(tempfile.mkdtemp(prefix="xxgk-nightly-parts-"))
    _timed_workers(parse_pool, worker_figures)
    from pipelines.cli import main as xxgk

    sys.argv = ["xxgk", "build", "--raw", args.raw, "--warehouse", args.warehouse]
    try:
        xxgk()
    except SystemExit as exc:
        if exc.code not in (None, 0, 3):
            raise
    total = time.process_time() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{'part':<40} CPU s", file=sys.stderr)
    for label, seconds in sorted(_SPENT.items(), key=lambda kv: -kv[1]):
        print(f"{label:<40} {seconds:6.2f}", file=sys.stderr)
    print(f"{'rest (Dagster steps, the command, …)':<40} {total - sum(_SPENT.values()):6.2f}", file=sys.stderr)
    for label, seconds in _WITHIN.items():
        print(f"  {label:<54} {seconds:6.2f}", file=sys.stderr)
    print(f"{'main process in all':<40} {total:6.2f}", file=sys.stderr)
    for label, calls in _CALLS.items():
        print(f"{label:<40} {calls:6d}", file=sys.stderr)
    print(f"{'parse processes that ended':<40} {children.ru_utime + children.ru_stime:6.2f}", file=sys.stderr)
    _print_parse_processes(worker_figures)
    shutil.rmtree(worker_figures, ignore_errors=True)  # the workers' figures, printed


if __name__ == "__main__":
    main()
