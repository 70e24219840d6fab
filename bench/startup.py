"""Start-up time of the `xxgk` command: `--help` and a small query, the median of N runs.

.venv/bin/python -m bench.startup --runs 20 --wrapper

Each run is a new process, as a shell starts it: the installed entry point (`xxgk` beside this
Python), and with --wrapper also `./xxgk` (the project's launcher: it checks that .venv is in
step with uv.lock, then runs .venv/bin/xxgk). The query runs against an empty DuckDB file, so
what is timed is starting up (imports, the gate, opening a connection), not the warehouse. One
run of each comes first and is not counted (it fills the OS file cache).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_runs(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run; CPU time depends less on how busy
    the machine is, so both are printed."""
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)  # warm-up, not counted
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--wrapper", action="store_true", help="also time ./xxgk (the launcher over .venv)")
    args = parser.parse_args()
    entry = Path(sys.executable).parent / "xxgk"
    launchers = [(f"{entry.parent.parent.name}/bin/xxgk", [str(entry)])]
    if args.wrapper:
        launchers.append(("./xxgk", [str(ROOT / "xxgk")]))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()},"
        f" load average {load:.1f} at the start; {args.runs} runs each"
    )
    print(f"{'':40s} {'wall, median (min–max)':>26s} {'CPU, median':>12s}")
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.duckdb"
        import duckdb

        duckdb.connect(str(empty)).close()
        for name, launcher in launchers:
            for label, rest in (
                ("--help", ["--help"]),
                ('query "select 1"', ["query", "select 1", "--warehouse", str(empty)]),
            ):
                wall, cpu = timed_runs(launcher + rest, args.runs)
                spread = f"({min(wall) * 1000:.0f}–{max(wall) * 1000:.0f})"
                print(
                    f"{name + ' ' + label:40s} {statistics.median(wall) * 1000:7.0f} ms {spread:>15s}"
                    f" {statistics.median(cpu) * 1000:8.0f} ms"
                )


if __name__ == "__main__":
    main()
