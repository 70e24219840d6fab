"""The parse pool's fork server as `xxgk build` starts it: forked from the build's own process once
it has imported the parser (no second interpreter importing it again), with the pool's isolation
intact: a worker that dies takes only its file, and the server ends with the build."""

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
