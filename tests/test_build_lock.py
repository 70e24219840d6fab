"""One writer per warehouse: a build holds the warehouse's lock, a second one waits or is told
who holds it, leftovers of failed or killed builds are removed when the lock is taken, and
builds at once (on one warehouse, or on several) each end equal to a clean build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from click.testing import CliRunner

from pipelines.cli import EXIT_BUSY, main
from pipelines.definitions import ingest_assets, ingest_checks
from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources, run_storage_dir
from pipelines.ingest.lock import WarehouseBusy, hold_warehouse, lock_path
from pipelines.ingest.parse_pool import parse_files
from pipelines.ingest.stage import build_warehouse
from pipelines.tables.frames import rejected_frame, report_frames
from pipelines.tables.parse_store import store_beside
from tests.conftest import ROOT, SEED_DIR, SEEDS, warehouse_rows

HOLD = """
import sys, time
from pathlib import Path
from pipelines.ingest.lock import hold_warehouse
with hold_warehouse(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def held_elsewhere(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A warehouse whose lock another process holds (for a minute at most)."""
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), "60"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    try:
        yield warehouse, proc
    finally:
        proc.kill()
        proc.wait()


def _hold_in_thread(warehouse: Path, seconds: float) -> threading.Thread:
    taken = threading.Event()

    def hold() -> None:
        with hold_warehouse(warehouse):
            taken.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    return thread


def test_a_second_writer_is_refused_with_who_holds_the_lock(
    held_elsewhere: tuple[Path, subprocess.Popen[str]],
) -> None:
    warehouse, holder = held_elsewhere
    with pytest.raises(WarehouseBusy) as refused, hold_warehouse(warehouse):
        pass
    assert refused.value.holder is not None
    assert refused.value.holder.pid == holder.pid
    message = str(refused.value)
    assert message.startswith(f"{warehouse.resolve()}: another build is writing this warehouse")
    assert f"pid {holder.pid}" in message
    assert "since 20" in message
    assert "\n" not in message


def test_a_writer_that_waits_takes_the_lock_once_it_is_released(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    start = time.monotonic()
    other = _hold_in_thread(warehouse, 0.6)
    with hold_warehouse(warehouse, wait=30) as held:
        assert time.monotonic() - start >= 0.5
        assert held.holder.pid == os.getpid()
    other.join()


def test_a_writer_says_whether_another_held_the_lock_when_it_asked(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    with hold_warehouse(warehouse, wait=30) as held:
        assert not held.waited
    other = _hold_in_thread(warehouse, 0.3)
    with hold_warehouse(warehouse, wait=30) as held:
        assert held.waited
    other.join()


def _surveys_of_a_build(raw: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """How many times `xxgk build` lists the raw folder (its cheap check, the run's raw_files)."""
    import pipelines.defs.ingest.assets as assets
    import pipelines.ingest.raw_survey as raw_survey

    surveys = [0]
    survey = raw_survey.survey_raw_folder

    def counted(*a: object, **k: object) -> object:
        surveys[0] += 1
        return survey(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(raw_survey, "survey_raw_folder", counted)
    monkeypatch.setattr(assets, "survey_raw_folder", counted)
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--warehouse", str(warehouse), *args])
    assert result.exit_code in (0, 3), result.output
    monkeypatch.undo()
    return surveys[0]


def test_xxgk_build_hands_its_survey_to_the_run_unless_it_waited_for_another_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command lists the raw folder for its cheap check and the run builds from that listing;
    after waiting for another build (--wait) the run lists the folder again, as it is then."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "xxgk.duckdb"
    shutil.copytree(SEED_DIR, raw)
    assert _surveys_of_a_build(raw, warehouse, monkeypatch) == 1
    (raw / SEEDS[1]).unlink()  # a change the command's cheap check sees
    taken = threading.Event()

    def another_build() -> None:  # holds the warehouse while the command starts, and removes a file
        with hold_warehouse(warehouse):
            taken.set()
            time.sleep(0.5)
            (raw / SEEDS[0]).unlink()

    other = threading.Thread(target=another_build)
    other.start()
    assert taken.wait(10)
    assert _surveys_of_a_build(raw, warehouse, monkeypatch, "--wait", "30") == 2
    other.join()
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = {name for (name,) in con.execute("SELECT source_file FROM reports").fetchall()}
    assert names == set(SEEDS[2:])


def test_a_writer_that_waits_too_little_is_refused_after_waiting(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    other = _hold_in_thread(warehouse, 2.0)
    start = time.monotonic()
    with pytest.raises(WarehouseBusy, match=r"after waiting 0\.5 s"), hold_warehouse(warehouse, wait=0.5):
        pass
    assert time.monotonic() - start >= 0.5
    other.join()


def test_the_lock_of_a_killed_holder_is_free_at_once(held_elsewhere: tuple[Path, subprocess.Popen[str]]) -> None:
    warehouse, holder = held_elsewhere
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with hold_warehouse(warehouse) as held:
        assert held.holder.pid == os.getpid()


def test_the_same_thread_taking_the_lock_again_nests(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    with hold_warehouse(warehouse), hold_warehouse(warehouse):
        pass
    with hold_warehouse(warehouse):  # and released by the outer one
        pass


def test_leftovers_of_a_dead_build_are_removed_when_the_lock_is_taken(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    warehouse.write_bytes(b"the published warehouse")
    staging = [tmp_path / ".xxgk.duckdb.staging-1a2b3c4d", tmp_path / ".xxgk.duckdb.staging-1a2b3c4d.wal"]
    other = tmp_path / ".other.duckdb.staging-5e6f7a8b"  # another warehouse's, perhaps live
    for path in [*staging, other]:
        path.write_bytes(b"\0" * 4096)
    spill = tmp_path / ".xxgk.duckdb.staging-1a2b3c4d.spill"  # DuckDB's spill folder (connection.spill_dir)
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 4096)
    staging.append(spill)
    segment_tmp = store_beside(warehouse).version_dir / ".tmp-deadbeef"
    segment_tmp.mkdir(parents=True)
    (segment_tmp / "facts.parquet").write_bytes(b"half a file")
    with hold_warehouse(warehouse) as held:
        assert sorted(held.removed) == sorted([*staging, segment_tmp])
    assert not any(p.exists() for p in [*staging, segment_tmp])
    assert other.exists()
    assert warehouse.read_bytes() == b"the published warehouse"


def test_a_long_command_line_is_cut_short_in_the_lock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["dagster", "api", "execute_run", "{" + '"x": 1, ' * 2000 + "}"])
    with hold_warehouse(tmp_path / "xxgk.duckdb") as held:
        assert held.holder.command.startswith("dagster api execute_run {")
        assert len(held.holder.command) <= 160


def test_the_lock_file_names_the_holder_only_while_it_is_held(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    with hold_warehouse(warehouse):
        assert f'"pid": {os.getpid()}' in lock_path(warehouse).read_text(encoding="utf-8")
    assert lock_path(warehouse).read_text(encoding="utf-8") == ""


def test_xxgk_build_on_a_busy_warehouse_exits_4_naming_the_holder(
    held_elsewhere: tuple[Path, subprocess.Popen[str]],
) -> None:
    warehouse, holder = held_elsewhere
    result = CliRunner().invoke(main, ["build", "--raw", str(SEED_DIR), "--warehouse", str(warehouse)])
    assert result.exit_code == EXIT_BUSY
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("busy: ")
    assert f"pid {holder.pid}" in lines[0]
    assert "--wait" in lines[0]
    assert not warehouse.exists()


def test_a_dagster_run_on_a_busy_warehouse_fails_naming_the_holder(
    held_elsewhere: tuple[Path, subprocess.Popen[str]],
) -> None:
    warehouse, holder = held_elsewhere
    result = dg.materialize(
        [*ingest_assets, *ingest_checks],
        resources=ingest_resources(XxgkPaths(raw_dir=str(SEED_DIR), warehouse_path=str(warehouse)), lock_wait=0),
        raise_on_error=False,
    )
    assert not result.success
    failures = [e for e in result.all_events if e.is_failure]
    assert any(f"pid {holder.pid}" in str(e.event_specific_data) for e in failures)
    assert not warehouse.exists()


def test_the_build_job_holds_the_lock_in_one_process_and_collecting_does_not_take_it() -> None:
    from pipelines.definitions import defs

    build = defs.resolve_job_def("build_warehouse")
    assert build.executor_def.name == "in_process"  # the lock resource is set up once per run
    assert "warehouse_lock" in build.required_resource_keys
    assert "warehouse_lock" not in defs.resolve_job_def("collect_reports").required_resource_keys


def test_each_warehouse_hands_its_assets_outputs_over_in_its_own_folder(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "xxgk.duckdb", tmp_path / "b" / "xxgk.duckdb"
    assert run_storage_dir(a) != run_storage_dir(b)
    assert run_storage_dir(a).parent == a.parent.resolve()


def test_a_content_two_builds_parsed_at_once_is_read_once(tmp_path: Path) -> None:
    store = store_beside(tmp_path / "xxgk.duckdb")
    batch = parse_files([SEED_DIR / SEEDS[0], SEED_DIR / SEEDS[4]])
    frames = report_frames(batch.reports)
    for _ in range(2):  # what two builds parsing the same new file at once each add
        store.add(frames, rejected_frame([]))
    assert len(store.segments()) == 2
    current = frames.reports.select("source_file", "source_sha256")
    loaded, rejected, _ = store.load(current)
    for name, frame in loaded.frames().items():
        assert frame.height == frames.frames()[name].height, name
    assert rejected.height == 0
    # The reports alone (what an incremental build reads first) as load gives them, also renamed.
    renamed = current.with_columns(("renamed_" + pl.col("source_file")).alias("source_file"))
    for files in (current, renamed, current.head(1)):
        alone = store.reports(files)
        assert alone.height == files.height
        assert alone.equals(store.load(files)[0].reports)
    assert store.compact()
    assert len(store.segments()) == 1
    merged, _, _ = store.load(current)
    assert {n: f.height for n, f in merged.frames().items()} == {n: f.height for n, f in frames.frames().items()}


def _raw(tmp_path: Path, name: str, seeds: list[str], bad: bool = False) -> Path:
    raw = tmp_path / name
    raw.mkdir()
    for seed in seeds:
        shutil.copy(SEED_DIR / seed, raw / seed)
    if bad:
        (raw / "minutes.txt").write_text("会议纪要\n与会人员讨论了下一年度的工作安排。\n", encoding="utf-8")
    return raw


@pytest.mark.slow
def test_two_warehouses_in_one_folder_keep_their_own_removals(tmp_path: Path) -> None:
    raw_a, raw_b = _raw(tmp_path, "a", SEEDS[:1]), _raw(tmp_path, "b", SEEDS[1:2])
    folder = tmp_path / "wh"
    build_warehouse(raw_a, folder / "a.duckdb", workers=1)
    build_warehouse(raw_b, folder / "b.duckdb", workers=1)
    build_warehouse(raw_a, folder / "a.duckdb", workers=1)
    for name in ("a", "b"):
        rows = warehouse_rows(folder / f"{name}.duckdb")
        assert rows["removed"] == [], name
        assert len(rows["reports"]) == 1, name


def _cli(raw: Path, warehouse: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse", str(warehouse)]
    return subprocess.Popen(
        [*command, "--workers", "1", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".staging-" in p.name or p.name.startswith(".tmp-")]


@pytest.mark.slow
def test_two_builds_at_once_on_one_warehouse_each_end_equal_to_a_clean_build(tmp_path: Path) -> None:
    raw = _raw(tmp_path, "raw", SEEDS[:3], bad=True)
    clean = tmp_path / "clean" / "xxgk.duckdb"
    build_warehouse(raw, clean, workers=1)
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    builds = [_cli(raw, warehouse, env, "--wait", "300") for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in builds]
    assert [p.returncode for p in builds] == [3, 3], [err[-2000:] for _, err in outputs]  # 3: minutes.txt rejected
    parsed = sorted(next(line for line in out.splitlines() if line.startswith("files:")) for out, _ in outputs)
    # One parsed the four files; the other waited for it and found them all in the parse store.
    assert parsed == [
        "files: 4 (0 parsed now, 4 already in the parse store)",
        "files: 4 (4 parsed now, 0 already in the parse store)",
    ]
    assert warehouse_rows(warehouse) == warehouse_rows(clean)
    assert len(store_beside(warehouse).segments()) == 1
    assert _leftovers(warehouse.parent) == []


@pytest.mark.slow
def test_two_builds_at_once_on_different_warehouses_each_end_equal_to_a_clean_build(tmp_path: Path) -> None:
    # Two raw folders, two warehouses in one folder (so one parse store), one Dagster instance.
    raws = [_raw(tmp_path, "raw_a", SEEDS[:2], bad=True), _raw(tmp_path, "raw_b", SEEDS[2:5])]
    targets = [tmp_path / "wh" / "a.duckdb", tmp_path / "wh" / "b.duckdb"]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    builds = [_cli(raw, target, env) for raw, target in zip(raws, targets, strict=True)]
    outputs = [p.communicate(timeout=600) for p in builds]
    # The whole stderr on failure: a one-off sqlalchemy error here once came with its traceback cut.
    assert [p.returncode for p in builds] == [3, 0], "\n\n".join(err for _, err in outputs)
    for (out, _), target in zip(outputs, targets, strict=True):
        assert f"warehouse: {target.resolve()}" in out
    for k, (raw, target) in enumerate(zip(raws, targets, strict=True)):
        clean = tmp_path / f"clean{k}" / "xxgk.duckdb"
        build_warehouse(raw, clean, workers=1)
        assert warehouse_rows(target) == warehouse_rows(clean), target.name
    assert _leftovers(tmp_path / "wh") == []


@pytest.mark.slow
def test_a_build_killed_while_staging_leaves_no_staging_file_after_the_next_build(tmp_path: Path) -> None:
    raw = _raw(tmp_path, "raw", SEEDS[:3])
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    proc = _cli(raw, warehouse, env)
    deadline = time.monotonic() + 300
    while not list(warehouse.parent.glob(".xxgk.duckdb.staging-*")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert list(warehouse.parent.glob(".xxgk.duckdb.staging-*"))  # what kill -9 leaves behind
    again = _cli(raw, warehouse, env)
    _out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-2000:]
    assert "left by a build that failed or was killed" in err
    assert _leftovers(warehouse.parent) == []
    clean = tmp_path / "clean" / "xxgk.duckdb"
    build_warehouse(raw, clean, workers=1)
    assert warehouse_rows(warehouse) == warehouse_rows(clean)
