"""Fixtures, and the guard that keeps the tests off the user's own data.

The tests read only what the repository holds (tests/fixtures, tests/golden) and write only into
temporary folders. The project's data/ (the raw reports, the warehouse, the fetch log) and .dagster/
belong to the user: any test that opens, lists, creates, renames or removes a path inside them
fails, and before any test module is imported the settings that default to those folders
(XXGK_RAW_DIR, XXGK_WAREHOUSE, XXGK_SOURCES, DAGSTER_HOME) are pointed at a temporary folder, so
that subprocesses and Dagster runs started by the tests land there too.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = Path(__file__).resolve().parent / "fixtures" / "seeds"  # copies of data/raw's five samples
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(p.name for p in SEED_DIR.glob("*.txt"))

# The user's folders no test may touch.
PROTECTED = (ROOT / "data", ROOT / ".dagster")
_PROTECTED = tuple(str(p) for p in PROTECTED)

# Settings that default to the user's folders, pointed at this process's temporary folder before
# pipelines.defs is imported (the Dagster resources read them at import). xdist workers and every
# subprocess inherit them.
_SANDBOX = Path(tempfile.mkdtemp(prefix="xxgk-tests-"))
for _name, _value in {
    "XXGK_RAW_DIR": _SANDBOX / "raw",
    "XXGK_WAREHOUSE": _SANDBOX / "warehouse" / "xxgk.duckdb",
    "XXGK_SOURCES": _SANDBOX / "sources.csv",
    "DAGSTER_HOME": _SANDBOX / "dagster_home",
}.items():
    os.environ[_name] = str(_value)
(_SANDBOX / "dagster_home").mkdir()
# pytest-xdist starts its workers with COLUMNS=80; `xxgk query` cuts tables to $COLUMNS, so the
# tests would see narrower tables in parallel than in one process. Same width either way.
os.environ.pop("COLUMNS", None)

# Audit events that name a path (https://docs.python.org/3/library/audit_events.html). DuckDB opens
# its files in C++, without an event, but a build always creates the warehouse's folder and renames
# the staging file into place from Python, so writing a warehouse there is seen too.
_PATH_EVENTS = {
    "open": (0,),
    "os.listdir": (0,),
    "os.scandir": (0,),
    "os.mkdir": (0,),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.rename": (0, 1),
    "os.replace": (0, 1),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.utime": (0,),
    "shutil.copytree": (0, 1),
    "shutil.rmtree": (0,),
    "sqlite3.connect": (0,),
}
touched: list[str] = []


def _protected(arg: object) -> str | None:
    if isinstance(arg, int) or arg is None:
        return None
    try:
        path = os.fsdecode(os.fspath(arg))  # type: ignore[arg-type]
    except TypeError:
        return None
    full = os.path.abspath(path)
    return full if any(full == p or full.startswith(p + os.sep) for p in _PROTECTED) else None


def _audit(event: str, args: tuple[object, ...]) -> None:
    positions = _PATH_EVENTS.get(event)
    if positions is None:
        return
    for i in positions:
        if i < len(args) and (path := _protected(args[i])) is not None:
            touched.append(f"{event} {path}")
            raise PermissionError(f"tests must not touch the project's own data: {event} {path}")


sys.addaudithook(_audit)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


def _fail_if_touched() -> None:
    if touched:
        what = touched[0]
        touched.clear()
        pytest.fail(f"the test touched the project's own data: {what}", pytrace=False)


# Checked after each phase (fixtures' setup, the test, teardown), so that a touch the code caught
# and went past still fails the test that made it.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    touched.clear()
    result = yield
    _fail_if_touched()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    touched.clear()
    result = yield
    _fail_if_touched()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    touched.clear()
    result = yield
    _fail_if_touched()
    return result


def golden_cells(seed_file: str) -> dict[tuple[str, str, str], tuple[float, str]]:
    """(table_key, row_key, column_key) → (value, value_status), as transcribed by hand."""
    with open(GOLDEN / f"{Path(seed_file).stem}.csv", encoding="utf-8", newline="") as fh:
        return {
            (r["table_key"], r["row_key"], r["column_key"]): (float(r["value"]), r["value_status"])
            for r in csv.DictReader(fh)
        }


def golden_metadata() -> dict[str, dict[str, str]]:
    with open(GOLDEN / "metadata.csv", encoding="utf-8", newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def warehouse_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table's and view's rows, sorted (all columns but the times a build was run at; of
    the facts files, the rows per partition: the files' names and how a partition's rows are split
    between its base and delta depend on the builds that wrote them)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        out = {}
        for name in sorted(names):
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
            ]
            if "detected_at" in cols:
                cols.remove("detected_at")
            query = f"SELECT {', '.join(cols)} FROM {name}"
            if name == "facts_files":
                # Rows per partition, not files: a night leaves a partition a base and a delta
                # where a full build writes one base, with the same rows (the view `facts` has them).
                query = "SELECT year, bucket, sum(rows)::BIGINT AS rows FROM facts_files GROUP BY year, bucket"
            out[name] = sorted(con.execute(query).fetchall(), key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return [SEED_DIR / s for s in SEEDS]


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the five seeds (shared: tests only read it)."""
    from pipelines.ingest.stage import build_warehouse

    path = tmp_path_factory.mktemp("sample") / "xxgk.duckdb"
    build_warehouse(SEED_DIR, path)
    return path
