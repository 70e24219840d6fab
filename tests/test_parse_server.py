"""The parse pool's fork server as `xxgk build` starts it: forked from the build's own process once
it has imported what it shares with the parser (no second interpreter importing it again), the
readers loaded in the server only when a file is to be parsed, with the pool's isolation intact:
a worker that dies takes only its file, and the server ends with the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a process of its own: the fork server is per process, and this one must be a fresh
# build-like process (the test runner's would be forked with all it holds).
_BUILD_LIKE = """
import hashlib, json, os, random, sys
from multiprocessing import forkserver
from pathlib import Path

from pipelines.ingest.parse_server import start_parse_server

start_parse_server()
pid = forkserver._forkserver._forkserver_pid
with open(f"/proc/{pid}/stat") as fh:
    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()

from pipelines.formats.limits import ParseLimits
from pipelines.ingest.parse_pool import ParseJob, run_pool
from tests.bad_inputs import misbehaving_parser
from tests.generator import Damage, random_report, render

folder = Path(sys.argv[1])
jobs = []
for k, name in enumerate(["a.txt", "crash.txt", "b.txt"]):
    path = folder / name
    path.write_bytes(render(random_report(random.Random(k)), "text-tabs", Damage(), seed=k)[1])
    jobs.append(ParseJob(str(path), name, hashlib.sha256(path.read_bytes()).hexdigest()))
outcomes = {}
run_pool(jobs, ParseLimits(), 2, lambda job, o: outcomes.__setitem__(job.name, o), parse=misbehaving_parser)
print(json.dumps({
    "server": pid,
    "server_parent": parent,
    "me": os.getpid(),
    "same_program": cmdline == Path("/proc/self/cmdline").read_bytes(),
    "parsed": sorted(n for n, o in outcomes.items() if o[0] is not None),
    "rejected": {n: o[1].reason for n, o in outcomes.items() if o[1] is not None},
}))
"""


def _run_build_like(tmp_path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _BUILD_LIKE, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_parse_server_is_forked_from_the_build_and_a_dying_worker_takes_only_its_file(tmp_path: Path) -> None:
    out = _run_build_like(tmp_path)
    # A fork of the process that started it (same program and arguments), not a new interpreter
    # running multiprocessing's `-c from multiprocessing.forkserver import main`.
    assert out["server_parent"] == out["me"]
    assert out["same_program"]
    assert out["parsed"] == ["a.txt", "b.txt"]
    assert list(out["rejected"]) == ["crash.txt"]
    assert "the parse process died (killed by SIGSEGV)" in out["rejected"]["crash.txt"]


def test_the_parse_server_ends_with_the_build(tmp_path: Path) -> None:
    out = _run_build_like(tmp_path)
    deadline = time.monotonic() + 30
    while _alive(out["server"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(out["server"]), f"parse server {out['server']} outlived its build (pid {os.getpid()} ran it)"


# The build's order: what it shares with the parser, then the server; the readers only if asked.
_LAZY = """
import hashlib, json, os, random, sys, time
from multiprocessing import forkserver
from pathlib import Path

import pipelines.tables.frames
from pipelines.ingest.parse_server import start_parse_server

start_parse_server()
pid = forkserver._forkserver._forkserver_pid


def readers_loaded() -> bool:  # pdfium's library mapped: the server imported the readers
    return "pdfium" in Path(f"/proc/{pid}/maps").read_text()


def solver_loaded() -> bool:  # OR-Tools' library mapped: the server imported the placement solver
    return "ortools" in Path(f"/proc/{pid}/maps").read_text()


time.sleep(0.5)
before = readers_loaded()
out = {"server": pid, "before": before, "solver_before": solver_loaded(), "main_has_readers": "pypdfium2" in sys.modules}
if sys.argv[2] == "parse":
    from pipelines.formats.limits import ParseLimits
    from pipelines.ingest.parse_pool import ParseJob, run_pool
    from tests.generator import Damage, random_report, render

    path = Path(sys.argv[1]) / "a.txt"
    path.write_bytes(render(random_report(random.Random(1)), "text-tabs", Damage(), seed=1)[1])
    job = ParseJob(str(path), "a.txt", hashlib.sha256(path.read_bytes()).hexdigest())
    outcomes = []
    run_pool([job], ParseLimits(), 1, lambda job, o: outcomes.append(o))
    out["parsed"] = [o[0] is not None for o in outcomes]
    out["after"] = readers_loaded()
    out["solver_after"] = solver_loaded()
print(json.dumps(out))
"""


def _run_lazy(tmp_path: Path, mode: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _LAZY, str(tmp_path), mode], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_parse_server_loads_the_readers_only_when_a_file_is_to_be_parsed(tmp_path: Path) -> None:
    out = _run_lazy(tmp_path, "parse")
    assert not out["before"]  # forked and waiting: nothing of the readers yet
    assert not out["main_has_readers"]  # the build never imports them itself
    assert out["parsed"] == [True]
    assert out["after"]
    # The placement solver (OR-Tools, which imports pandas) likewise: in the server, once, before
    # it forks a worker, never in the build's process.
    assert not out["solver_before"]
    assert out["solver_after"]


def test_a_parse_server_never_asked_ends_with_the_build_without_loading_the_parser(tmp_path: Path) -> None:
    out = _run_lazy(tmp_path, "nothing")
    assert not out["before"]
    deadline = time.monotonic() + 30
    while _alive(out["server"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(out["server"]), f"parse server {out['server']} outlived its build"
