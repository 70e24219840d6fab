"""The `xxgk` program ends quickly once its command is done (no interpreter shutdown freeing every
module's objects), and nothing a normal exit gives is lost: the exit status, the output, the
atexit handlers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The console script's entry point, run with an atexit handler of the kind logging and
# multiprocessing register.
_PROGRAM = """
import atexit, sys
atexit.register(lambda: print("atexit handler ran", flush=False))
sys.argv = ["xxgk", *sys.argv[1:]]
from pipelines.cli import run
run()
"""


def _xxgk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROGRAM, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_a_command_that_succeeds_exits_0_with_its_output_and_the_atexit_handlers_run() -> None:
    proc = _xxgk("--help")
    assert proc.returncode == 0
    assert "xxgk-warehouse" in proc.stdout
    assert proc.stdout.rstrip().endswith("atexit handler ran")


def test_a_command_that_fails_keeps_its_exit_status_and_message(tmp_path: Path) -> None:
    proc = _xxgk("build", "--raw", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert proc.returncode == 2
    assert "raw report folder not found" in proc.stderr
    assert "atexit handler ran" in proc.stdout
