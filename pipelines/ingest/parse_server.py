"""The parse pool's fork server: the process its workers are forked from (pipelines.ingest.parse_pool).

It is a process that has imported the parser once (parse_warmup) and runs nothing else, never the
build's own process once that runs Dagster or DuckDB (their threads), so forking it is safe, and a
new or recycled worker starts warm in milliseconds.

`xxgk build` starts it early (start_parse_server), before it loads Dagster: it imports the
libraries the build and the parser share (polars, pandera, the template) and forks the server
from itself, so the server costs no interpreter start and no import of those (1.5 CPU s when it
was a new interpreter importing the parser again). What only parsing needs (PRELOAD: the readers,
the division index, the warm-up parse, about 0.2 CPU s; and multiprocessing's resource tracker,
an interpreter of its own) is loaded when the pool first asks for a worker, in the server before
it forks any: a night with no file to parse (files removed, a manifest edited) never pays it,
and a night with some pays it once, as the build did before. Tests that run `xxgk build`
in-process (click's CliRunner) fork it from the test's process too, which under pytest-xdist
already runs threads of its own (execnet's). Anywhere else (the Dagster UI's run workers, tools), multiprocessing starts
the server the usual way, a new interpreter that imports the parser.
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing
import os
import select
import signal
import socket
import traceback
from multiprocessing import connection, forkserver, util
from typing import Any

from pipelines.ingest.collector import kept_for_good

# Imported once by the fork server, so a new or recycled worker starts in milliseconds.
PRELOAD = ["pipelines.ingest.parse_warmup"]
# Standard-library modules that both the build (Dagster's imports: coloredlogs, its storage and
# CLI modules) and the server (the readers: bs4, the PDF and DOCX libraries) import after the fork:
# imported before it, once for both (about 5 ms CPU the server spent again, html.parser 2.4 of it).
SHARED_AFTER_FORK = ("html.parser", "email.parser", "gzip", "argparse", "ctypes.util")


def parse_context() -> multiprocessing.context.ForkServerContext:
    """The multiprocessing context the parse workers start in (forkserver, the parser preloaded)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_parse_server() -> None:
    """Start the fork server now rather than at the first file to parse, forked from this process
    as it is (see the module's docstring); it imports PRELOAD when the first worker is asked for.
    Call it before anything here runs threads (Dagster, DuckDB, a polars query): the server and
    its workers are copies of this process as it is now. Where multiprocessing's server is not
    laid out as this code knows (another Python), the server is started the usual way, PRELOAD
    imported at its start. The pool uses the running server.

    The division list's alias index is made here first: the build reads it (derive's agency
    dimension) and so does the parser (agency names), and made before the fork it is made once
    (about 0.03 CPU s; the server made its own again, and the build after it with the collector on),
    and so are the standard-library modules both import after the fork (SHARED_AFTER_FORK)."""
    from pipelines.template import divisions  # polars and pandera: imported by the caller, collector off

    with kept_for_good():
        divisions.alias_index()
        for name in SHARED_AFTER_FORK:
            importlib.import_module(name)
    parse_context()
    if not _fork_server_from_here():
        forkserver.ensure_running()


# multiprocessing.forkserver's own state, as Python 3.11–3.13 keep it: what ensure_running sets.
_SERVER_STATE = ("_forkserver_address", "_forkserver_alive_fd", "_forkserver_pid", "_lock")


def _fork_server_from_here() -> bool:
    """Run multiprocessing's fork-server loop in a fork of this process, registered as the
    running server; False (nothing done) where its state or its loop's arguments differ from
    what this knows (newer Pythons authenticate the server: they start it their own way)."""
    server: Any = forkserver._forkserver  # private state, read and set as ensure_running does
    params = list(inspect.signature(forkserver.main).parameters)
    if not all(hasattr(server, name) for name in _SERVER_STATE) or hasattr(server, "_forkserver_authkey"):
        return False
    if params != ["listener_fd", "alive_r", "preload", "main_path", "sys_path"]:
        return False
    with server._lock:
        if server._forkserver_pid is not None:  # one is running already
            return True
        # multiprocessing's resource tracker is not started here: the pool's first worker starts it
        # (a fork-exec, safe beside threads), and each request hands the server its descriptor.
        with socket.socket(socket.AF_UNIX) as listener:
            address = connection.arbitrary_address("AF_UNIX")  # type: ignore[attr-defined]
            listener.bind(address)
            if not util.is_abstract_socket_namespace(address):
                os.chmod(address, 0o600)
            listener.listen()
            # Every client holds the write end of the "alive" pipe; the server stops at its EOF.
            alive_r, alive_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the server: it must not hold the write end, or it would never see EOF
                try:
                    os.close(alive_w)
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as forkserver.main has it: the build decides
                    if _first_request(listener, alive_r):
                        _preload()
                        forkserver.main(listener.fileno(), alive_r, [])  # returns by SystemExit at EOF
                except Exception:  # the parser failed to import: said here; the pool then fails to start a worker
                    traceback.print_exc()
                finally:
                    os._exit(0)  # never this process's exit handlers (they belong to the build)
            os.close(alive_r)
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid
    return True


def _first_request(listener: socket.socket, alive_r: int) -> bool:
    """In the server, before it serves: wait for the pool's first request (True; the connection
    stays queued for the server's loop to accept) or for the build to end without one (False:
    the alive pipe's EOF)."""
    ready, _, _ = select.select([listener.fileno(), alive_r], [], [])
    return listener.fileno() in ready


def _preload() -> None:
    """Import PRELOAD in the server, its objects frozen out of the collector's walk as the build's
    own imports are (collector.kept_for_good): the workers forked from here share those pages."""
    with kept_for_good():
        for name in PRELOAD:
            importlib.import_module(name)
