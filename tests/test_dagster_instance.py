"""The Dagster instance `xxgk build` runs in (pipelines.defs.instance): Dagster's own SQLite files,
each database connected once per run, readable by Dagster's stock storage (the UI's)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from dagster._core.instance.config import dagster_instance_config
from dagster._core.storage.event_log import SqliteEventLogStorage
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from pipelines.defs.instance import (
    LazyDefsStateStorage,
    PooledSqliteEventLogStorage,
    PooledSqliteRunStorage,
    build_instance,
)


@dg.asset(check_specs=[dg.AssetCheckSpec("has_three_rows", asset="numbers")])
def numbers() -> Iterator[dg.Output[list[int]] | dg.AssetCheckResult]:
    yield dg.Output([1, 2, 3], metadata={"rows": 3})
    yield dg.AssetCheckResult(check_name="has_three_rows", passed=True)


@dg.asset
def doubled(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers]


def _materialize(home: Path) -> str:
    with build_instance(home) as instance:
        result = dg.materialize([numbers, doubled], instance=instance)
        assert result.success
        return result.run_id


def test_a_home_without_storage_settings_is_connected_through_the_pooled_sqlite_classes(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with build_instance(tmp_path) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        assert isinstance(instance.run_storage, PooledSqliteRunStorage)
        assert not instance.telemetry_enabled  # dagster.yaml's other settings still apply


def test_a_run_written_through_the_pooled_storage_is_read_by_dagsters_own_sqlite_storage(tmp_path: Path) -> None:
    run_id = _materialize(tmp_path)
    # The files are where Dagster's default layout puts them, and the stock classes read them.
    assert (tmp_path / "history" / "runs.db").is_file()
    assert (tmp_path / "history" / "runs" / f"{run_id}.db").is_file()
    with dg.DagsterInstance.from_config(str(tmp_path)) as stock:
        assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
        run = stock.get_run_by_id(run_id)
        assert run is not None
        assert run.status == dg.DagsterRunStatus.SUCCESS
        materialized = stock.get_latest_materialization_event(dg.AssetKey("numbers"))
        assert materialized is not None
        assert materialized.run_id == run_id
        assert materialized.asset_materialization is not None
        assert materialized.asset_materialization.metadata["rows"] == dg.MetadataValue.int(3)
        check = stock.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("numbers"), "has_three_rows")]
        )
        assert check[dg.AssetCheckKey(dg.AssetKey("numbers"), "has_three_rows")].run_id == run_id


def test_a_second_run_on_the_same_home_adds_to_the_history(tmp_path: Path) -> None:
    first, second = _materialize(tmp_path), _materialize(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as stock:
        assert {r.run_id for r in stock.get_runs()} == {first, second}


def _opened_during_run(home: Path, assets: list[dg.AssetsDefinition], monkeypatch: pytest.MonkeyPatch) -> int:
    """SQLite connections opened while `assets` are materialized on an existing home."""
    opened = [0]
    connect = SQLiteDialect_pysqlite.connect

    def counting(self: SQLiteDialect_pysqlite, *args: Any, **kwargs: Any) -> Any:
        opened[0] += 1
        return connect(self, *args, **kwargs)

    with build_instance(home) as instance:
        monkeypatch.setattr(SQLiteDialect_pysqlite, "connect", counting)
        assert dg.materialize(assets, instance=instance).success
        monkeypatch.setattr(SQLiteDialect_pysqlite, "connect", connect)
    return opened[0]


@dg.asset
def tripled(numbers: list[int]) -> list[int]:
    return [3 * n for n in numbers]


@dg.asset
def summed(doubled: list[int], tripled: list[int]) -> int:
    return sum(doubled) + sum(tripled)


def test_the_connections_a_run_opens_do_not_grow_with_its_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _opened_during_run(tmp_path, [numbers, doubled, tripled, summed], monkeypatch)  # the home's databases exist
    two_steps = _opened_during_run(tmp_path, [numbers, doubled], monkeypatch)
    four_steps = _opened_during_run(tmp_path, [numbers, doubled, tripled, summed], monkeypatch)
    assert four_steps == two_steps  # Dagster's stock SQLite storage: one more connection per event


def test_a_home_whose_dagster_yaml_names_a_storage_is_used_as_configured(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "dagster.yaml").write_text(f"storage:\n  sqlite:\n    base_dir: {elsewhere}\n")
    with build_instance(tmp_path) as instance:
        assert not isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = dg.materialize([numbers, doubled], instance=instance)
    assert (elsewhere / "history" / "runs" / f"{result.run_id}.db").is_file()
    assert not (tmp_path / "history").exists()


def _schema(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str]], str]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        tables = sorted(con.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall())
        stamp = con.execute("SELECT version_num FROM alembic_version").fetchall()
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        return tables, stamp, mode
    finally:
        con.close()


def test_a_new_runs_database_is_a_copy_of_the_one_dagster_makes_and_dagster_lists_only_the_runs(
    tmp_path: Path,
) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    first, second = _materialize(tmp_path), _materialize(tmp_path)
    runs = tmp_path / "history" / "runs"
    [template] = runs.glob(".xxgk-empty-run-*.sqlite")
    # What Dagster's own storage makes for a new run, beside it.
    stock = SqliteEventLogStorage(str(tmp_path / "stock"))
    with stock.run_connection("fresh"):
        pass
    made_by_dagster = _schema(tmp_path / "stock" / "fresh.db")
    assert _schema(template) == made_by_dagster
    assert _schema(runs / f"{second}.db")[0] == made_by_dagster[0]
    assert not list(runs.glob(".*.partial"))
    with dg.DagsterInstance.from_config(str(tmp_path)) as dagster_own:
        assert set(dagster_own.event_log_storage.get_all_run_ids()) == {first, second}
        assert len(dagster_own.get_records_for_run(second).records) > 0


def _scripts_loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every load of alembic's migration scripts (Dagster's check of a database), from now on."""
    from alembic.script import ScriptDirectory

    loads: list[str] = []
    from_config = ScriptDirectory.from_config

    def counting(config: Any, *args: Any, **kwargs: Any) -> Any:
        loads.append(str(config.config_file_name))
        return from_config(config, *args, **kwargs)

    monkeypatch.setattr(ScriptDirectory, "from_config", counting)
    return loads


def test_a_home_whose_databases_are_stamped_is_opened_without_dagsters_migration_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    _materialize(tmp_path)  # the runs, index, schedules and empty-run databases made and stamped
    loads = _scripts_loaded(monkeypatch)
    run_id = _materialize(tmp_path)
    assert loads == []
    with dg.DagsterInstance.from_config(str(tmp_path)) as stock:
        assert stock.get_run_by_id(run_id) is not None


def test_a_database_without_a_stamp_is_still_checked_and_stamped_by_dagster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    _materialize(tmp_path)
    for path in (tmp_path / "history" / "runs.db", tmp_path / "schedules" / "schedules.db"):
        con = sqlite3.connect(path)
        con.execute("DELETE FROM alembic_version")
        con.commit()
        con.close()
    loads = _scripts_loaded(monkeypatch)
    _materialize(tmp_path)
    assert len(loads) >= 2  # Dagster's own check of each
    for path in (tmp_path / "history" / "runs.db", tmp_path / "schedules" / "schedules.db"):
        assert _schema(path)[1]  # stamped again


def _stored(home: Path, run_id: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    """A run's events by type (in order) and its check executions, as Dagster's stock storage reads them."""
    import sqlite3

    with dg.DagsterInstance.from_config(str(home)) as stock:
        events = [str(r.event_log_entry.dagster_event_type) for r in stock.get_records_for_run(run_id).records]
    con = sqlite3.connect(home / "history" / "runs" / "index.db")
    try:
        checks = con.execute(
            "SELECT asset_key, check_name, execution_status FROM asset_check_executions WHERE run_id = ?", (run_id,)
        ).fetchall()
    finally:
        con.close()
    return events, checks


def test_a_runs_planned_events_stored_as_one_batch_are_the_rows_stored_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    one_by_one = _materialize(tmp_path)
    batches: list[int] = []
    store_event_batch = PooledSqliteEventLogStorage.store_event_batch

    def counting(self: PooledSqliteEventLogStorage, events: Any) -> None:
        batches.append(len(events))
        store_event_batch(self, events)

    monkeypatch.setattr(PooledSqliteEventLogStorage, "store_event_batch", counting)
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "1000")  # as `xxgk build` sets it
    batched = _materialize(tmp_path)
    assert batches == [3]  # two materializations and a check planned
    assert _stored(tmp_path, batched) == _stored(tmp_path, one_by_one)
    assert _stored(tmp_path, batched)[1] == [('["numbers"]', "has_three_rows", "SUCCEEDED")]


def test_a_batch_that_fails_part_way_leaves_none_of_its_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    run_id = _materialize(tmp_path)
    with build_instance(tmp_path) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        records = [r.event_log_entry for r in storage.get_records_for_run(run_id).records]
        events = [e._replace(run_id="again") for e in records[:4]]
        store_event = PooledSqliteEventLogStorage.store_event
        stored = [0]

        def failing(self: PooledSqliteEventLogStorage, event: Any) -> None:
            stored[0] += 1
            if stored[0] == 3:
                raise RuntimeError("disk full")
            store_event(self, event)

        monkeypatch.setattr(PooledSqliteEventLogStorage, "store_event", failing)
        with pytest.raises(RuntimeError):
            storage.store_event_batch(events)
        monkeypatch.setattr(PooledSqliteEventLogStorage, "store_event", store_event)
        assert storage.get_records_for_run("again").records == []
        storage.store_event(events[0])  # the storage works on
        assert len(storage.get_records_for_run("again").records) == 1


def test_the_pooled_databases_commit_without_fsync_and_are_checkpointed_when_the_instance_closes(
    tmp_path: Path,
) -> None:
    """synchronous=NORMAL on the run's, the index's and the runs' connections (WAL databases): a
    commit is not synced, a checkpoint is, and the last connection's close checkpoints the WAL into
    the file, so after a build every event is in the database files themselves."""
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with build_instance(tmp_path) as instance:
        run_id = dg.materialize([numbers, doubled], instance=instance).run_id
        storage, runs = instance.event_log_storage, instance.run_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        assert isinstance(runs, PooledSqliteRunStorage)
        for connection in (storage.run_connection(run_id), storage.index_connection(), runs.connect()):
            with connection as conn:
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    history = tmp_path / "history"
    assert not [p for p in history.rglob("*.db-wal") if p.stat().st_size > 0]


def test_telemetry_is_off_for_a_build_unless_dagster_yaml_sets_it(tmp_path: Path) -> None:
    with build_instance(tmp_path) as instance:
        assert not instance.telemetry_enabled
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")
    with build_instance(tmp_path) as instance:
        assert instance.telemetry_enabled
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "dagster.yaml").write_text(f"storage:\n  sqlite:\n    base_dir: {elsewhere}\n")
    with build_instance(tmp_path) as instance:
        assert not instance.telemetry_enabled
        assert not isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)


@dg.asset
def talkative() -> int:
    import os
    import sys

    print("printed to stdout")
    print("printed to stderr", file=sys.stderr)
    os.write(sys.stderr.fileno(), b"written to descriptor 2 by a library\n")  # 2, but under pytest's capfd
    return 1


def test_a_runs_output_is_kept_for_the_ui_and_shown_on_the_terminal_without_a_tail_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")

    def no_process(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a process was started: {args}")

    with build_instance(tmp_path) as instance:
        monkeypatch.setattr(subprocess, "Popen", no_process)
        result = dg.materialize([talkative], instance=instance)
        monkeypatch.undo()
    assert result.success
    shown = capfd.readouterr()
    assert "printed to stdout" in shown.out
    assert "printed to stderr" in shown.err
    assert "written to descriptor 2 by a library" in shown.err
    with dg.DagsterInstance.from_config(str(tmp_path)) as stock:  # the UI's reading of the files
        [captured] = stock.get_records_for_run(result.run_id, of_type=dg.DagsterEventType.LOGS_CAPTURED).records
        data = captured.event_log_entry.get_dagster_event().event_specific_data
        assert data is not None
        manager = stock.compute_log_manager
        log_key = manager.build_log_key_for_run(result.run_id, data.file_key)  # type: ignore[attr-defined]
        assert type(manager).__name__ == "LocalComputeLogManager"
        assert manager.is_capture_complete(log_key)
        logs = manager.get_log_data(log_key)
    assert logs.stdout is not None
    assert logs.stderr is not None
    assert b"printed to stdout" in logs.stdout
    assert b"printed to stderr" in logs.stderr
    assert b"written to descriptor 2 by a library" in logs.stderr


def test_a_home_without_dagster_yaml_gets_no_warning_about_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Dagster warns (on its own stderr handler) only where DAGSTER_HOME is set, as `xxgk build` sets it.
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    heard: list[str] = []

    class Heard(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(record.getMessage())

    listener = Heard()
    logging.getLogger("dagster").addHandler(listener)
    try:
        with build_instance(tmp_path):
            pass
        dagster_instance_config(str(tmp_path))  # Dagster's own reading still warns: the handler hears
    finally:
        logging.getLogger("dagster").removeHandler(listener)
    # Heard once: from Dagster's own reading, not from the build's instance.
    assert len(heard) == 1
    assert heard[0].startswith("No dagster instance configuration file")
    assert not logging.getLogger("dagster").filters  # the filter is gone after the instance is made


def test_the_defs_state_storage_is_dagsters_default_made_on_first_use(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    state = tmp_path / "state.json"
    state.write_text('{"a": 1}')
    with build_instance(tmp_path) as instance:
        storage = instance.defs_state_storage
        assert isinstance(storage, LazyDefsStateStorage)
        assert storage._upath is None  # no UPath (fsspec) while nothing asks for the state
        storage.upload_state_from_path("my_component", "v1", state)
    # Where Dagster's default storage keeps it, and read back by the stock instance's.
    assert (tmp_path / "defs_state" / "my_component" / "v1").read_text() == '{"a": 1}'
    with dg.DagsterInstance.from_config(str(tmp_path)) as stock:
        stock_storage = stock.defs_state_storage
        assert type(stock_storage).__name__ == "UPathDefsStateStorage"
        info = stock_storage.get_latest_defs_state_info()
        assert info is not None
        assert info.get_version("my_component") == "v1"
        copy = tmp_path / "copy.json"
        stock_storage.download_state_to_path("my_component", "v1", copy)
        assert copy.read_text() == '{"a": 1}'
