"""The Dagster instance `xxgk build` runs in: Dagster's local SQLite storage, connected once.

Dagster's SQLite run and event-log storages open a new SQLAlchemy engine, and with it a new
SQLite connection, for every statement they run, and close it after: a run with work writes
about 120 events (each into the run's database, and an asset or check event again into the
index database) and its run record, so a nightly build made some 330 engines and connections.
The storages here are Dagster's own SQLite classes with one change: each keeps one engine per
database file for the life of the instance (SQLAlchemy's connection pool, as for any file
database), so a statement reuses the open connection. The files, their tables and their
migrations are Dagster's (`history/runs.db`, `history/runs/<run>.db`, `history/runs/index.db`,
`schedules/`): `xxgk ui` and any `dagster dev` on the same DAGSTER_HOME read them with the stock
classes, and nothing is written to `dagster.yaml`.

Dagster checks each database it opens (the runs, the index, the schedules) against alembic's
migrations: it loads alembic's ~90 migration scripts to learn the head revision, then makes and
stamps the database only if it holds no revision at all (an older revision is left to
`dagster instance migrate`; the head is never compared). The classes here read the stamp first
and leave Dagster's check to a database that has none: 0.04 CPU s of each build's start.

They are used only where `dagster.yaml` names no storage of its own (the default SQLite layout);
a home configured for another storage (Postgres, say) is used as configured. Dagster's telemetry
(usage statistics) is off for a build unless `dagster.yaml` sets `telemetry`.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO

import dagster as dg
import sqlalchemy as db
from dagster._core.events.log import EventLogEntry
from dagster._core.instance.ref import compute_logs_directory
from dagster._core.storage.compute_log_manager import CapturedLogContext, ComputeIOType
from dagster._core.storage.defs_state.blob_storage_state_storage import UPathDefsStateStorage
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.schema import AssetKeyTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME
from dagster._core.storage.local_compute_log_manager import IO_TYPE_EXTENSION, LocalComputeLogManager
from dagster._core.storage.runs import SqliteRunStorage
from dagster._core.storage.schedules import SqliteScheduleStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
from dagster._serdes import ConfigurableClassData
from dagster._utils import ensure_file, touch_file
from dagster_shared.yaml_utils import load_yaml_from_path
from upath import UPath

# What in dagster.yaml chooses the storage; with none of them set the home uses the default SQLite layout.
_STORAGE_KEYS = ("storage", "run_storage", "event_log_storage", "schedule_storage")


def _stamped(path: Path, *tables: str) -> bool:
    """Whether the SQLite database at `path` exists, alembic has stamped it with a revision and it
    holds `tables`: then Dagster's own check of it would do nothing."""
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error:
        return False
    try:
        stamp = con.execute("SELECT version_num FROM alembic_version LIMIT 1").fetchone()
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:  # no alembic_version table: Dagster's check decides
        return False
    finally:
        con.close()
    return bool(stamp and stamp[0]) and names.issuperset(tables)


def _sync_at_checkpoints(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _engine(conn_string: str) -> db.engine.Engine:
    """An engine whose connections, kept for the instance's life, commit without an fsync
    (SQLite's synchronous=NORMAL, which its documentation recommends for WAL databases as
    Dagster's are): the WAL is written at each commit, and synced at each checkpoint, the last
    when the instance is disposed at the run's end. A crash of the process loses nothing; a power
    loss during a run may lose that run's latest events, never corrupts a database. Each commit's
    fsync cost more CPU (ext4's journal) than the rest of storing the event: 144 -> 72 ms a
    night's 119 events."""
    engine = db.create_engine(conn_string, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
    db.event.listen(engine, "connect", _sync_at_checkpoints)
    return engine


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose connections come from one engine per shard (a run's database,
    the index), kept until the instance is disposed."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: dict[str, db.engine.Engine] = {}
        self._tables: dict[str, bool] = {}
        self._batch: dict[str, db.engine.Connection] | None = None  # store_event_batch's, per shard
        self._batch_thread = 0
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[db.engine.Connection]:
        # As the parent's, under its lock (one statement at a time per storage), but the engine kept.
        if self._batch is not None and self._batch_thread == threading.get_ident():
            yield self._batch_connection(shard)  # store_event_batch holds the lock
            return
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def _engine(self, shard: str) -> db.engine.Engine:
        """The shard's engine, made (and its database with it) on first use; under the lock."""
        engine = self._engines.get(shard)
        if engine is None:
            if shard not in self._initialized_dbs and self._copy_new_run(shard):
                self._initialized_dbs.add(shard)
            engine = _engine(self.conn_string_for_shard(shard))
            if shard not in self._initialized_dbs:
                if not _stamped(Path(self.path_for_shard(shard))):
                    self._initdb(engine)
                self._initialized_dbs.add(shard)
            self._engines[shard] = engine
        return engine

    def _batch_connection(self, shard: str) -> db.engine.Connection:
        assert self._batch is not None
        conn = self._batch.get(shard)
        if conn is None:
            conn = self._engine(shard).connect()
            conn.begin()
            self._batch[shard] = conn
        return conn

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Each event stored as store_event stores it (the same rows), the batch in one transaction
        per database rather than one or more per event. Dagster hands a storage a batch only where
        DAGSTER_EVENT_BATCH_SIZE is set (`xxgk build` sets it), and only of events it marks as one:
        a run's planned materializations and checks (29 a build, made as the run is created). On
        an error nothing of the batch is kept, and Dagster stores the events one by one."""
        with self._db_lock:
            self._batch, self._batch_thread = {}, threading.get_ident()
            try:
                for event in events:
                    self.store_event(event)
                for conn in self._batch.values():
                    conn.commit()
            finally:
                for conn in self._batch.values():
                    conn.close()  # a transaction not committed is rolled back
                self._batch = None

    def _copy_new_run(self, shard: str) -> bool:
        """A new run's database as a copy of an empty one Dagster made (its tables, WAL mode, and
        alembic's stamp: Dagster's _initdb, once per Dagster and SQLAlchemy version, kept beside
        the runs' files under a name Dagster's `*.db` globs do not match). _initdb loads alembic's
        migration scripts twice for every new run: 0.05 CPU s; a copy costs 0.5 ms. False for
        the index or a run whose database exists (Dagster's own check then runs)."""
        path = Path(self.path_for_shard(shard))
        if shard == INDEX_SHARD_NAME or path.exists():
            return False
        template = path.with_name(f".xxgk-empty-run-dagster{dg.__version__}-sqlalchemy{db.__version__}.sqlite")
        if not template.exists():
            self._make_empty_run(template)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        shutil.copyfile(template, partial)
        os.replace(partial, path)
        return True

    def _make_empty_run(self, template: Path) -> None:
        partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
        engine = db.create_engine(f"sqlite:///{partial}", connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        try:
            self._initdb(engine)
        finally:
            engine.dispose()  # the last connection closed: SQLite checkpoints the WAL into the file and removes it
        os.replace(partial, template)

    def has_table(self, table_name: str) -> bool:
        # The parent opens an engine of its own to ask, for every asset event and check (and may be
        # asked while the index's connection is held): the index's tables do not change in a run.
        if table_name not in self._tables:
            self._tables[table_name] = super().has_table(table_name)
        return self._tables[table_name]

    def _has_asset_key_col_on_connection(self, conn: db.engine.Connection, column_name: str) -> bool:
        # As has_table: the parent reflects the index's asset_keys table for every asset event.
        key = f"{AssetKeyTable.name}.{column_name}"
        if key not in self._tables:
            self._tables[key] = super()._has_asset_key_col_on_connection(conn, column_name)
        return self._tables[key]

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()


class PooledSqliteRunStorage(SqliteRunStorage):
    """SqliteRunStorage whose connections come from one engine, kept until the instance is disposed."""

    def __init__(self, conn_string: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(conn_string, inst_data)
        self._engine: db.engine.Engine | None = None

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteRunStorage:
        base_dir = str(config_value["base_dir"])
        if _stamped(Path(base_dir, "runs.db"), "runs", "instance_info"):
            return cls(create_db_conn_string(base_dir, "runs"), inst_data)
        return cls.from_local(inst_data=inst_data, base_dir=base_dir)  # Dagster's check, and its set-up

    @contextmanager
    def connect(self) -> Iterator[db.engine.Connection]:
        if self._engine is None:
            self._engine = _engine(self._conn_string)
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        super().dispose()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class StampedSqliteScheduleStorage(SqliteScheduleStorage):
    """SqliteScheduleStorage, Dagster's check skipped where the database is stamped (a build
    reads no schedule: the instance opens it anyway)."""

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> StampedSqliteScheduleStorage:
        base_dir = str(config_value["base_dir"])
        if _stamped(Path(base_dir, "schedules.db"), "jobs", "job_ticks"):
            return cls(create_db_conn_string(base_dir, "schedules"), inst_data)
        storage = cls.from_local(inst_data=inst_data, base_dir=base_dir)  # Dagster's check, and its set-up
        assert isinstance(storage, cls)  # from_local makes a `cls`: typed as its own class only
        return storage


class MirroredComputeLogManager(LocalComputeLogManager):
    """Dagster's LocalComputeLogManager (the same files, which the UI reads as usual), whose
    capture copies them back to the terminal with a thread of this process. Dagster's starts, for
    each of stdout and stderr, a `tail -F` of the file and a Python process that watches for the
    run's process to die (four processes a run, 0.02-0.03 CPU s), and stops the tails without
    waiting for them to copy the last lines. Here the streams are redirected into the files as
    Dagster does, and at the end the thread copies what is left before it stops."""

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> MirroredComputeLogManager:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def capture_logs(self, log_key: Sequence[str]) -> Iterator[CapturedLogContext]:
        outpath = self.get_captured_local_path(log_key, IO_TYPE_EXTENSION[ComputeIOType.STDOUT])
        errpath = self.get_captured_local_path(log_key, IO_TYPE_EXTENSION[ComputeIOType.STDERR])
        with _mirrored(sys.stdout, outpath), _mirrored(sys.stderr, errpath):
            yield CapturedLogContext(log_key)
        touch_file(self.complete_artifact_path(log_key))  # as Dagster's: the capture is complete


_MIRROR_POLL_S = 0.1


@contextmanager
def _mirrored(stream: TextIO, path: str) -> Iterator[None]:
    """Within the body, what is written to `stream`'s file descriptor (by Python, a library or a
    child process) goes to the file at `path`, and a thread copies the file to where the
    descriptor pointed before, every _MIRROR_POLL_S and once more at the end."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # no descriptor (a test's captured stream): as Dagster, not captured
        yield
        return
    ensure_file(path)
    stream.flush()
    terminal = os.dup(fd)
    stop = threading.Event()

    def copy() -> None:
        offset = 0
        with open(path, "rb", buffering=0) as log:
            while True:
                stopping = stop.wait(_MIRROR_POLL_S)
                while chunk := os.pread(log.fileno(), 1 << 16, offset):
                    offset += len(chunk)
                    with suppress(OSError):  # a terminal gone (a closed pipe) must not stop the run
                        while chunk:
                            chunk = chunk[os.write(terminal, chunk) :]
                if stopping:
                    return

    mirror = threading.Thread(target=copy, name="xxgk-compute-log-mirror", daemon=True)
    mirror.start()
    try:
        with open(path, "a", buffering=1, encoding="utf-8") as log:
            os.dup2(log.fileno(), fd)
            try:
                yield
            finally:
                stream.flush()
                os.dup2(terminal, fd)
    finally:
        stop.set()
        mirror.join()
        os.close(terminal)


class LazyDefsStateStorage(UPathDefsStateStorage):
    """Dagster's default defs-state storage (UPathDefsStateStorage on `<home>/defs_state`, the
    same files), its UPath made when first used rather than when the instance is made: a UPath
    loads fsspec and its local filesystem (0.02 CPU s), and a build never reads or writes defs
    state (no state-backed components)."""

    def __init__(self, base_path: str, inst_data: ConfigurableClassData | None = None):
        # The parent's __init__ only keeps these two; its UPath is made by base_path below.
        self._inst_data = inst_data
        self._base_dir = base_path
        self._upath: UPath | None = None

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> LazyDefsStateStorage:
        return cls(str(config_value["base_path"]), inst_data=inst_data)

    @property
    def base_path(self) -> UPath:
        if self._upath is None:
            self._upath = UPath(self._base_dir)
        return self._upath

    def _get_state_path(self, key: str, version: str) -> UPath:
        return self.base_path / self._sanitize_key(key) / version  # the parent's, through base_path


class _MissingConfigUnsaid(logging.Filter):
    """Drops Dagster's warning that DAGSTER_HOME holds no dagster.yaml ("Defaulting to loading and
    storing all metadata with <home>"): for `xxgk build` that default is the intended set-up (the
    project's `.dagster`, or the home the user chose), not a mistake to warn about on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No dagster instance configuration file")


def _pooled_storage(home: Path) -> dict[str, object]:
    """dagster.yaml's storage entries for the default SQLite layout under `home`, pooled."""
    return {
        "run_storage": {
            "module": __name__,
            "class": PooledSqliteRunStorage.__name__,
            "config": {"base_dir": str(home / "history")},
        },
        "event_log_storage": {
            "module": __name__,
            "class": PooledSqliteEventLogStorage.__name__,
            "config": {"base_dir": str(home / "history" / "runs")},
        },
        "schedule_storage": {
            "module": __name__,
            "class": StampedSqliteScheduleStorage.__name__,
            "config": {"base_dir": str(home / "schedules")},
        },
    }


def build_instance(home: Path) -> dg.DagsterInstance:
    """The persistent instance on `home` (DAGSTER_HOME) as dagster.yaml sets it, its default
    SQLite storage (none named there) connected through the pooled classes above. Dagster's
    telemetry is off unless dagster.yaml says otherwise: a build's run then writes no usage
    statistics into `logs/` (20 log actions a run, each reading two YAML files: 0.03 CPU s)."""
    config_file = home / "dagster.yaml"
    config = load_yaml_from_path(str(config_file)) if config_file.is_file() else None
    settings = config if isinstance(config, dict) else {}
    overrides: dict[str, object] = {}
    if not any(key in settings for key in _STORAGE_KEYS):
        overrides.update(_pooled_storage(home))
    if "telemetry" not in settings:
        overrides["telemetry"] = {"enabled": False}
    if "compute_logs" not in settings:
        overrides["compute_logs"] = {
            "module": __name__,
            "class": MirroredComputeLogManager.__name__,
            "config": {"base_dir": compute_logs_directory(str(home))},
        }
    if "defs_state_storage" not in settings and "local_artifact_storage" not in settings:
        overrides["defs_state_storage"] = {  # Dagster's default, its directory included (_defs_state_directory)
            "module": __name__,
            "class": LazyDefsStateStorage.__name__,
            "config": {"base_path": str(home / "defs_state")},
        }
    unsaid = _MissingConfigUnsaid()
    dagster_logger = logging.getLogger("dagster")
    dagster_logger.addFilter(unsaid)
    try:
        # local_temp: Dagster's persistent instance on a folder, with settings over dagster.yaml's
        # (the folder is kept: "temp" is for callers that pass none).
        return dg.DagsterInstance.local_temp(str(home), overrides=overrides)
    finally:
        dagster_logger.removeFilter(unsaid)
