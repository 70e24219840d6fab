"""What `xxgk build`'s own process imports, and when: a night pays every import of the build's
process, so what only parsing needs is loaded where parsing runs (the parse server, forked once
from the build, and its workers), and only on a night with a file to parse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.absent import absent
from tests.conftest import ROOT, SEED_DIR, SEEDS

# Loaded by the parser only: the solver (OR-Tools' binding, pipelines.template.cp_sat), the readers'
# libraries and the server's warm-up. pandas by neither (pandera is imported as where pandas is
# absent; OR-Tools' cp_model, which imports it, is not used: tests/test_cp_sat.py).
PARSE_ONLY = (
    "pandas",
    "ortools.sat.python.cp_model",
    "ortools.sat.python.cp_model_helper",
    "pipelines.template.cp_sat",
    "bs4",
    "docx",
    "pypdfium2",
    "pipelines.ingest.parse_warmup",
)
# Imported by Dagster's storage libraries only for prettier error output (models.absent).
NEVER_NEEDED = ("rich", "pygments")

# The real command in a fresh process; what it imported is written as its exit handlers run
# (pipelines.cli.run ends the process by os._exit, after them), and what it had imported when it
# forked the parse server (which the server and its workers then hold) beside it.
_PROBE = """
import atexit, json, sys
import pipelines.ingest.parse_server as parse_server
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
start = parse_server.start_parse_server
def forked():
    open(out + ".fork", "w").write(json.dumps(sorted(sys.modules)))
    start()
parse_server.start_parse_server = forked
from pipelines.cli import run
run()
"""


def _build_imports(tmp_path: Path, raw: Path, at_fork: bool = False) -> set[str]:
    out = tmp_path / "modules.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            str(out),
            "build",
            "--raw",
            str(raw),
            "--warehouse",
            str(tmp_path / "wh" / "xxgk.duckdb"),
            "--workers",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster")},
    )
    assert proc.returncode in (0, 3), proc.stderr[-3000:]
    return set(json.loads((out.with_name(out.name + ".fork") if at_fork else out).read_text()))


def test_a_build_that_parses_loads_no_parse_only_library_in_its_own_process(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SEEDS:
        shutil.copy(SEED_DIR / name, raw / name)
    loaded = _build_imports(tmp_path, raw)
    assert "pandera.polars" in loaded  # the build validates with pandera, on polars
    assert loaded.isdisjoint(PARSE_ONLY), sorted(loaded & set(PARSE_ONLY))
    assert loaded.isdisjoint(NEVER_NEEDED), sorted(loaded & set(NEVER_NEEDED))


def test_the_parse_server_is_forked_with_the_workers_module_loaded(tmp_path: Path) -> None:
    # A worker's target is pickled by name: a server without its module has each worker import
    # it again as it starts (the pool, the parse store, validation: 4.5 ms CPU a worker).
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED_DIR / SEEDS[0], raw / SEEDS[0])
    at_fork = _build_imports(tmp_path, raw, at_fork=True)
    assert {"pipelines.ingest.parse_pool", "pipelines.tables.parse_store", "pipelines.tables.validate"} <= at_fork
    assert "dagster" not in at_fork  # what only the build's run needs comes after the fork
    assert at_fork.isdisjoint(PARSE_ONLY), sorted(at_fork & set(PARSE_ONLY))


def test_inside_absent_a_package_is_missing_and_after_it_importable_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "optional_probe").mkdir()
    (tmp_path / "optional_probe" / "__init__.py").write_text("")
    (tmp_path / "optional_probe" / "part.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with absent("optional_probe"):
        # As when not installed: the error a library's "import it if you can" expects.
        with pytest.raises(ModuleNotFoundError, match="No module named 'optional_probe'"):
            import optional_probe
        with pytest.raises(ModuleNotFoundError):  # its package first
            import optional_probe.part
        import json  # other packages import as usual

        assert json.dumps([]) == "[]"
    import optional_probe.part

    assert optional_probe.part.__name__ == "optional_probe.part"
    monkeypatch.delitem(sys.modules, "optional_probe.part")
    monkeypatch.delitem(sys.modules, "optional_probe")


def test_absent_leaves_a_package_imported_already_as_it_is() -> None:
    import json

    with absent("json"):
        import json as again

    assert again is json


def test_the_html_reader_loads_bs4_without_its_css_selectors_and_says_nothing() -> None:
    probe = "import sys, pipelines.formats.html; print('soupsieve' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "False"
    assert proc.stderr == ""


# What the parse server imports when it warms up, forked from a process that imported what the
# command imports before the fork (start_parse_server's own imports included, its fork left out).
_WARM_UP_PROBE = """
import json, sys
import pyarrow, pipelines.ingest.parse_pool, pipelines.tables.frames
from pipelines.ingest import parse_server
parse_server._fork_server_from_here = lambda: True
parse_server.start_parse_server()
before = set(sys.modules)
import pipelines.ingest.parse_warmup
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_the_parse_server_imports_nothing_after_the_fork_that_the_build_imports_too(tmp_path: Path) -> None:
    # A module both import after the fork is paid twice (html.parser, email.parser, gzip, argparse:
    # about 5 ms CPU in the server); imported before it, once.
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED_DIR / SEEDS[0], raw / SEEDS[0])
    build = _build_imports(tmp_path, raw)
    proc = subprocess.run([sys.executable, "-c", _WARM_UP_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    warm_up = set(json.loads(proc.stdout.splitlines()[-1]))
    assert "pipelines.ingest.parse_warmup" in warm_up
    assert warm_up.isdisjoint(build), sorted(warm_up & build)
