"""Instructions per report read for the first time, counted by valgrind's callgrind.

    .venv-test/bin/python -m bench.instructions --formats text-tabs text-spaces --n 100

CPU time on a shared machine moves with the neighbours' load (±25% between runs of one tree at a
load of 5–10), so a change of 15% cannot be seen in bench.throughput then; an instruction count
does not move. Per format, a process under callgrind (instrumentation off while it imports and
renders) reads three reports to warm up (both templates' one-time costs; the garbage collector as
a parse worker sets it), then callgrind counts only the first read of `--n` new reports (seeds
1000 on, which bench.throughput does not use). Needs valgrind (callgrind_control) on the PATH;
each format takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.throughput import render_files


def first_read_files(fmt: str, n: int) -> tuple[list[tuple[Path, bytes]], list[tuple[Path, bytes]]]:
    """Three reports of `fmt` to warm up with, and `n` new ones (seeds 1000 on) to count, as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        warm = [(p, p.read_bytes()) for p in render_files(fmt, 3, Path(tmp))]
        files = [(p, p.read_bytes()) for p in render_files(fmt, n, Path(tmp), first=1000)]
    return warm, files


def _child(fmt: str, n: int, flag: Path) -> None:
    """Under callgrind: warm up, say so, wait for the instrumentation, read, say so, wait."""
    from pipelines.ingest.collector import collector_for_parsing
    from pipelines.template.report import parse_file

    collector_for_parsing()
    warm, files = first_read_files(fmt, n)
    for path, data in warm:
        parse_file(path, data)
    collector_for_parsing(warm=True)
    flag.touch()
    time.sleep(3)  # callgrind_control turns the instrumentation on meanwhile
    for path, data in files:
        parse_file(path, data)
    Path(f"{flag}.done").touch()
    time.sleep(3)
    os._exit(0)  # no interpreter teardown: the count is taken already


def _wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.2)


def run_under_callgrind(module: str, options: list[str], child_args: list[str], flag: Path) -> None:
    """`python -m module --child *child_args flag` under callgrind (with `options`), instrumented
    only from when the child touches `flag` (warmed up) to when it touches `flag`.done."""
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", *options]
    command += [sys.executable, "-m", module, "--child", *child_args, str(flag)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(flag)
    subprocess.run(["callgrind_control", "-i", "on", str(child.pid)], check=True, capture_output=True)
    _wait_for(Path(f"{flag}.done"))
    subprocess.run(["callgrind_control", "-i", "off", str(child.pid)], check=True, capture_output=True)
    child.wait()


def instructions_per_report(fmt: str, n: int) -> float:
    """Millions of instructions per report of `fmt` read for the first time."""
    with tempfile.TemporaryDirectory() as tmp:
        flag, out = Path(tmp) / "flag", Path(tmp) / "callgrind.out"
        run_under_callgrind("bench.instructions", [f"--callgrind-out-file={out}"], [fmt, str(n)], flag)
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        return int(totals[0].split()[1]) / n / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", nargs="+", default=["text-tabs", "text-cells", "text-pipes", "text-spaces"])
    parser.add_argument("--n", type=int, default=100, help="reports read for the first time, per format")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # the process under callgrind
    args = parser.parse_args()
    if args.child:
        fmt, n, flag = args.child
        _child(fmt, int(n), Path(flag))
        return
    print(f"{'format':20s} first read, M instructions/report ({args.n} reports after 3)")
    for fmt in args.formats:
        print(f"{fmt:20s} {instructions_per_report(fmt, args.n):.2f}", flush=True)


if __name__ == "__main__":
    main()
