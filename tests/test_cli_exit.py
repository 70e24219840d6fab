"""The `xxgk` program ends quickly once its command is done (no interpreter shutdown freeing every
module's objects), and nothing a normal exit gives is lost: the exit status, the output, the
atexit handlers."""

from __future__ import annotations

import os
import shutil
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


# The program as above, recording each module of the project's copy that Python compiled from
# source (importlib's SourceLoader.source_to_code, which a module read from its bytecode skips).
_COUNTING = """
import atexit, importlib._bootstrap_external as loader, os, sys
compiled = []
source_to_code = loader.SourceLoader.source_to_code
def counting(self, data, path, **kwargs):
    if str(path).startswith(os.getcwd()):
        compiled.append(str(path))
    return source_to_code(self, data, path, **kwargs)
loader.SourceLoader.source_to_code = counting
atexit.register(lambda: open("compiled.txt", "w").write("\\n".join(compiled)))
sys.argv = ["xxgk", *sys.argv[1:]]
from pipelines.cli import run
run()
"""


def test_a_second_start_compiles_none_of_the_projects_modules_where_bytecode_writing_is_off(tmp_path: Path) -> None:
    # A copy of the code, never run: no bytecode beside it yet. PYTHONDONTWRITEBYTECODE as on
    # the machines that set it; `parse` imports the readers and the template.
    for folder in ("pipelines", "models", "sql"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    starts = []
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-c", _COUNTING, "parse", str(seed)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        starts.append((tmp_path / "compiled.txt").read_text().split())
    first, second = starts
    assert any(path.endswith(os.path.join("template", "report.py")) for path in first)
    assert second == []
