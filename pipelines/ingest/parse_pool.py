"""Parse the raw files the parse store has not seen, in worker processes, each file under limits.

A bad file becomes a rejection with its reason, never an exception that stops the others: the
readers reject what they can tell is over a limit (formats.limits.ParseLimits: pages, inflated
size, …); a worker runs with its address space capped (RLIMIT_AS), so a file that needs more
memory fails in its own process; a file not parsed within the wall-time limit has its worker
killed and replaced; a worker that dies (killed, crashed) takes only its file with it. Workers
are recycled after a number of files, so nothing a file leaves behind outlives many others.
Newly parsed reports are validated once and kept in the store.

The pool is a small scheduler over `multiprocessing` rather than ProcessPoolExecutor: the
executor cannot stop one task that overruns (a killed worker breaks the whole pool and every
task in flight), and the one library that can (pebble) is LGPL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

import polars as pl

from pipelines.formats import sha256_of
from pipelines.formats.document import UnreadableDocument
from pipelines.formats.limits import ParseLimits, limit_of, over
from pipelines.ingest.collector import collector_for_parsing
from pipelines.ingest.parse_server import parse_context
from pipelines.tables.frames import Rejection, ReportFrames, ReportRows, rejected_frame, report_rows
from pipelines.tables.parse_store import store_beside
from pipelines.tables.validate import validate_report_frames
from pipelines.template.report import ParsedReport, parse_file

log = logging.getLogger(__name__)
progress_log = logging.getLogger("xxgk.progress")

TASKS_PER_WORKER = 200  # files a worker parses before it is replaced by a fresh one
# Parsed files kept in memory before they are validated and stored as one segment: a full build
# holds one batch of reports' frames (about 0.05 MiB a report), not every report's (2.2 GiB at
# 10,000 reports when they were stored at the end). 100,000 new reports are 50 segments, fewer
# than the store merges at (parse_store._COMPACT_AT).
STORE_BATCH = 2000
# Reports whose plain rows (what workers send) the parent gathers before it builds their frames:
# a few MiB of Python objects, against the whole batch's rows (about 4x its frames' size).
FRAME_CHUNK = 250


@dataclass
class ParseBatch:
    reports: list[ParsedReport] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class IngestStats:
    files: int
    parsed: int  # contents parsed by this build
    reused: int  # contents read from the store
    seconds: float


@dataclass(frozen=True)
class ParseJob:
    """One raw file to parse: where it is, its name in reasons, its content hash (from the scan)."""

    path: str
    name: str
    sha256: str


# What a worker sends back for one file: its rows, or its rejection.
Outcome = tuple[ReportRows | None, Rejection | None]


def parse_job(job: ParseJob, limits: ParseLimits) -> Outcome:
    """Parse one file into its rows, or its rejection (an unreadable file, a parser error)."""
    path = Path(job.path)
    try:
        report = parse_file(path, limits=limits)
    except UnreadableDocument as exc:
        return None, Rejection(job.name, job.sha256, _named(str(exc), path.name, job.name))
    except MemoryError:
        raise  # the worker reports it and is replaced
    except Exception as exc:  # a parser bug must not stop the other reports
        log.exception("parser failed on %s", path)
        return None, Rejection(job.name, job.sha256, f"{job.name}: parser error: {type(exc).__name__}: {exc}")
    # A file read through its path is the file the scan hashed, unless it changed since.
    if report.source_sha256 != job.sha256:
        return None, Rejection(job.name, job.sha256, f"{job.name}: the file changed while the build read it")
    return report_rows([report]), None


def _named(reason: str, read_as: str, name: str) -> str:
    """Readers name the file by its own name; a rejection names it as the raw folder does."""
    return name + reason[len(read_as) :] if reason.startswith(read_as) and read_as != name else reason


def parse_files(paths: list[Path], limits: ParseLimits | None = None) -> ParseBatch:
    """Parse each file in this process (no wall-time or memory limit: for tools and tests); a
    file that cannot be read, or crashes the parser, is a rejection."""
    limits = limits or ParseLimits.from_env()
    batch = ParseBatch()
    seen: dict[str, str] = {}
    for path in paths:
        digest: str | None = None
        try:
            data = path.read_bytes()
            digest = sha256_of(data)
            if digest in seen:
                raise UnreadableDocument(f"{path.name}: same content as {seen[digest]}")
            seen[digest] = path.name
            batch.reports.append(parse_file(path, data, limits=limits))
        except UnreadableDocument as exc:
            batch.rejected.append(Rejection(path.name, digest, str(exc)))
        except Exception as exc:  # a parser bug must not stop the other reports
            log.exception("parser failed on %s", path)
            batch.rejected.append(
                Rejection(path.name, digest, f"{path.name}: parser error: {type(exc).__name__}: {exc}")
            )
    return batch


# ---------------------------------------------------------------------------------------------
# The worker side.


Parser = Callable[[ParseJob, ParseLimits], Outcome]


def _worker(conn: Connection, limits: ParseLimits, parse: Parser, tasks: int) -> None:
    """Parse the jobs sent on `conn` one at a time under the memory limit; stop after `tasks`
    jobs, or after a MemoryError (whatever it left half-allocated goes with the process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    collector_for_parsing()
    cap = limits.memory_mib << 20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    conn.send("ready")
    for done in range(tasks):
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            outcome = parse(job, limits)
        except MemoryError:
            reason = over("parsing it needed", "more memory", "memory_mib", limits)
            conn.send(((None, Rejection(job.name, job.sha256, f"{job.name}: {reason}")), True))
            return
        conn.send((outcome, False))
        if done == 0:
            collector_for_parsing(warm=True)


# ---------------------------------------------------------------------------------------------
# The parent side.


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    job: ParseJob | None = None
    started: float = 0.0
    left: int = TASKS_PER_WORKER


class PoolError(RuntimeError):
    """The parse workers cannot run at all (not one file's doing): the build stops."""


def _died(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def run_pool(
    jobs: list[ParseJob],
    limits: ParseLimits,
    workers: int,
    on_done: Callable[[ParseJob, Outcome], None],
    parse: Parser = parse_job,
) -> None:
    """Parse every job in `workers` processes under `limits`; `on_done` gets each job's outcome
    (in the order they finish). Every job gets exactly one outcome, whatever its worker does."""
    # forkserver: workers are forked from a clean server process that has imported the parser
    # once, never from this process (its threads: Dagster, polars) – safe, and fast to replace.
    ctx = parse_context()
    queue = deque(jobs)
    slots: list[_Slot] = []

    def start() -> _Slot:
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker, args=(child, limits, parse, TASKS_PER_WORKER), daemon=True)
        process.start()
        child.close()
        # A worker that cannot even start is no file's fault: the build fails, naming why.
        try:
            if parent.poll(120) and parent.recv() == "ready":
                return _Slot(process, parent)
        except (EOFError, OSError):
            pass
        process.kill()
        process.join(timeout=5)
        raise PoolError(f"a parse worker process failed to start ({_died(process)}); see its traceback above")

    def retire(slot: _Slot, kill: bool = False) -> None:
        if kill and slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()
        slots.remove(slot)

    def finish(slot: _Slot, outcome: Outcome) -> None:
        job, slot.job = slot.job, None
        assert job is not None
        on_done(job, outcome)

    try:
        while queue or any(s.job for s in slots):
            while queue and len(slots) < workers:
                slots.append(start())
            for slot in slots:
                if slot.job is None and queue and slot.left > 0:
                    slot.job, slot.started, slot.left = queue.popleft(), time.monotonic(), slot.left - 1
                    try:
                        slot.conn.send(slot.job)
                    except OSError:  # the worker is gone before it took the job: the job waits for another
                        queue.appendleft(slot.job)
                        slot.job, slot.left = None, 0
            busy = [s for s in slots if s.job is not None]
            if not busy:  # every idle worker was gone: replace them and try again
                for slot in list(slots):
                    retire(slot, kill=True)
                continue
            deadline = min(s.started + limits.seconds for s in busy)
            ready = wait(
                [s.conn for s in busy] + [s.process.sentinel for s in busy], max(0.0, deadline - time.monotonic())
            )
            for slot in list(busy):
                job = slot.job
                assert job is not None
                if slot.conn in ready or slot.conn.poll():
                    try:
                        outcome, last = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.process.join(timeout=5)
                        finish(slot, (None, _rejection(job, f"the parse process died ({_died(slot.process)})", limits)))
                        retire(slot)
                        continue
                    finish(slot, outcome)
                    if last or slot.left == 0:
                        retire(slot)
                elif slot.process.sentinel in ready:
                    slot.process.join(timeout=5)
                    finish(slot, (None, _rejection(job, f"the parse process died ({_died(slot.process)})", limits)))
                    retire(slot)
                elif time.monotonic() - slot.started >= limits.seconds:
                    reason = over("parsing it took", "longer", "seconds", limits)
                    finish(slot, (None, Rejection(job.name, job.sha256, f"{job.name}: {reason}; stopped")))
                    retire(slot, kill=True)
            for slot in [s for s in slots if s.job is None and (s.left == 0 or not s.process.is_alive())]:
                retire(slot, kill=True)
    finally:
        for slot in list(slots):
            if slot.job is None and slot.process.is_alive():
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
            retire(slot, kill=slot.job is not None)


def _rejection(job: ParseJob, what: str, limits: ParseLimits) -> Rejection:
    # A worker dies like this when a native library runs out of memory under the cap (it aborts
    # instead of raising MemoryError), or crashes on the file.
    return Rejection(
        job.name, job.sha256, f"{job.name}: {what} while reading it, with a memory {limit_of(limits, 'memory_mib')}"
    )


def parse_new(
    manifest: pl.DataFrame,
    warehouse: Path,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: ParseLimits | None = None,
) -> IngestStats:
    """Parse the contents of the raw folder that the store has not seen, in worker processes
    under `limits` (default: ParseLimits.from_env()), and keep them in the store, a segment per
    STORE_BATCH files (a build killed midway keeps the batches it stored)."""
    start = time.perf_counter()
    limits = limits or ParseLimits.from_env()
    store = store_beside(warehouse)
    # A file rejected over a limit that is set differently now is read again.
    known = store.known() - {
        sha for sha, reason in store.rejections().iter_rows() if sha and limits.changed_since(reason)
    }
    todo = manifest.filter(~pl.col("source_sha256").is_in(list(known))).unique(
        "source_sha256", keep="first", maintain_order=True
    )
    jobs = [
        ParseJob(path, name, sha) for path, name, sha in todo.select("path", "source_file", "source_sha256").iter_rows()
    ]
    workers = max(1, min(workers or min(os.cpu_count() or 1, 8), len(jobs)))
    parts: list[ReportFrames] = []  # the batch's frames, a chunk of reports each
    pending = [ReportRows()]  # rows received since the last chunk was framed
    rejected: list[Rejection] = []
    done = [0]

    def frame_pending() -> None:
        if len(pending[0]):
            parts.append(pending[0].frames())
            pending[0] = ReportRows()

    def keep() -> None:
        """Validate and store what was parsed since the last batch (one segment), and let it go."""
        frame_pending()
        valid, failed_reports, invalid_rows = validate_report_frames(ReportFrames.concat(parts))
        store.add(valid, pl.concat([rejected_frame(rejected), failed_reports]), invalid_rows)
        parts.clear()
        rejected.clear()

    def on_done(job: ParseJob, outcome: Outcome) -> None:
        rows, rejection = outcome
        if rows is not None:
            pending[0].extend(rows)
            if len(pending[0]) >= FRAME_CHUNK:
                frame_pending()
        if rejection is not None:
            rejected.append(rejection)
        done[0] += 1
        if done[0] % STORE_BATCH == 0:
            keep()
        if progress:
            progress(done[0], len(jobs))

    if jobs:
        run_pool(jobs, limits, workers, on_done)
    keep()
    return IngestStats(manifest.height, len(jobs), manifest.height - len(jobs), time.perf_counter() - start)
