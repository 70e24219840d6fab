"""SQL safety of `xxgk query`: what may not run is refused, what runs away is stopped.

Every statement below is one an analyst (or a pasted snippet) might send. Those that write, read
files or the environment, change settings, load extensions, attach, copy, export, reach secrets
or send several statements are refused by the gate, before the warehouse is opened; the ones that
matter most are also refused by the connection alone (the gate switched off), so either lock holds
without the other. The resource bombs pass the gate (they are queries) and are stopped by the
time or memory limit within seconds. Afterwards the warehouse is byte for byte what it was.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse.limits import Limits
from pipelines.warehouse.query import QueryFailed, RefusedQuery, check_query, connect_for_query, run_query

WRITES = [
    "INSERT INTO facts SELECT * FROM facts",
    "INSERT OR REPLACE INTO reports SELECT * FROM reports",
    "UPDATE facts SET value = 0",
    "UPDATE facts SET value = f.value FROM facts f",
    "DELETE FROM facts",
    "DELETE FROM facts USING reports",
    "MERGE INTO facts USING reports ON false WHEN NOT MATCHED THEN INSERT VALUES (1)",
    "CREATE TABLE x AS SELECT 1",
    "CREATE OR REPLACE TABLE facts AS SELECT 1",
    "CREATE TEMP TABLE x (a INT)",
    "CREATE VIEW v AS SELECT 1",
    "CREATE MACRO m(a) AS a + 1",
    "CREATE SEQUENCE s",
    "CREATE TYPE mood AS ENUM ('ok')",
    "CREATE INDEX i ON facts (agency)",
    "CREATE SCHEMA s",
    "DROP TABLE facts",
    "DROP VIEW facts_labeled",
    "ALTER TABLE facts ADD COLUMN x INT",
    "ALTER TABLE facts RENAME TO f",
    "TRUNCATE facts",
    "WITH x AS (INSERT INTO facts SELECT * FROM facts RETURNING *) SELECT * FROM x",
    "COMMENT ON TABLE facts IS 'x'",
    "SELECT 1 INTO t",
]
FILE_READS = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_parquet('data/warehouse/x.parquet')",
    "SELECT * FROM parquet_scan('x.parquet')",
    "SELECT * FROM read_json('x.json')",
    "SELECT * FROM read_json_auto('x.json')",
    "SELECT * FROM read_ndjson('x.json')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/passwd')",
    "SELECT * FROM read_xlsx('x.xlsx')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM parquet_metadata('x.parquet')",
    "SELECT * FROM parquet_schema('x.parquet')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'data/raw/manifest.csv'",
    'SELECT * FROM "x.parquet"',
    "SELECT * FROM 'https://example.org/x.parquet'",
    "SELECT * FROM sqlite_scan('x.db', 't')",
    "SELECT * FROM postgres_scan('host=x', 'public', 't')",
    "SELECT * FROM iceberg_scan('s3://b/t')",
    "SELECT * FROM delta_scan('s3://b/t')",
    "SELECT * FROM st_read('x.shp')",
    "SELECT f.agency FROM facts f JOIN read_csv('/etc/passwd') p ON true",
    "SELECT * FROM facts WHERE agency IN (SELECT * FROM read_csv('/etc/passwd'))",
    "SELECT (SELECT count(*) FROM read_text('/etc/passwd'))",
    "WITH p AS (FROM read_csv('/etc/passwd')) SELECT * FROM p",
    "FROM read_csv('/etc/passwd')",
    "DESCRIBE SELECT * FROM read_csv('/etc/passwd')",
    "DESCRIBE '/etc/passwd'",
    "SUMMARIZE read_csv('/etc/passwd')",
    "SUMMARIZE '/etc/passwd'",
    "SELECT getenv('HOME')",
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM query_table('facts')",
]
SETTINGS = [
    "SET memory_limit = '100GB'",
    "SET GLOBAL threads = 64",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET memory_limit",
    "SET VARIABLE x = 1",
    "PRAGMA memory_limit = '100GB'",
    "PRAGMA enable_profiling",
    "PRAGMA version",
    "CALL pragma_version()",
]
MULTI = [
    "SELECT 1; DROP TABLE facts",
    "SELECT 1; SELECT 2",
    "SELECT ';'; DELETE FROM facts",
    "SELECT 1 /* ; */; DELETE FROM facts",
    "DESCRIBE facts; DROP TABLE facts",
]
MALFORMED = [
    "select 'unterminated",
    'select "x',
    "select /* unterminated comment",
    "SELEC 1",
    "SELECT FROM WHERE",
    "SELECT (1",
    "SELECT 1 +",
    ")",
    "",
    "   ",
    "-- only a comment",
    "SELECT " + "(" * 3000 + "1" + ")" * 3000,
]
EXTENSIONS = [
    "INSTALL httpfs",
    "FORCE INSTALL httpfs",
    "INSTALL x FROM community",
    "LOAD httpfs",
    "LOAD '/tmp/x.duckdb_extension'",
    "UPDATE EXTENSIONS",
    "SELECT * FROM duckdb_extensions()",
]
ATTACH_COPY_EXPORT = [
    "ATTACH 'other.duckdb' AS o",
    "ATTACH ':memory:' AS m",
    "ATTACH 'other.duckdb' (READ_ONLY)",
    "DETACH xxgk",
    "USE memory",
    "COPY facts TO 'out.csv'",
    "COPY (SELECT * FROM facts) TO 'out.parquet' (FORMAT parquet)",
    "COPY facts FROM '/etc/passwd'",
    "COPY FROM DATABASE xxgk TO memory",
    "EXPORT DATABASE '/tmp/xxgk-export'",
    "IMPORT DATABASE '/tmp/xxgk-export'",
    "EXPLAIN DELETE FROM facts",
    "EXPLAIN ANALYZE COPY facts TO 'out.csv'",
]
SECRETS_AND_SESSION = [
    "CREATE SECRET (TYPE s3, KEY_ID 'k', SECRET 's')",
    "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')",
    "DROP SECRET s",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM which_secret('s3://b/x', 's3')",
    "BEGIN TRANSACTION",
    "COMMIT",
    "ROLLBACK",
    "CHECKPOINT",
    "VACUUM",
    "ANALYZE",
    "PREPARE p AS SELECT 1",
    "EXECUTE p",
    "DEALLOCATE p",
]
REFUSED = WRITES + FILE_READS + SETTINGS + MULTI + MALFORMED + EXTENSIONS + ATTACH_COPY_EXPORT + SECRETS_AND_SESSION

# What an analyst explores with: these run.
ALLOWED = [
    "SELECT 1",
    "FROM facts LIMIT 1",
    "DESCRIBE facts",
    "DESCRIBE",
    "SHOW TABLES",
    "SHOW ALL TABLES",
    "SHOW facts",
    "SUMMARIZE facts",
    "SUMMARIZE SELECT value FROM facts",
    "EXPLAIN SELECT count(*) FROM facts",
    "EXPLAIN ANALYZE SELECT count(*) FROM facts",
    "PIVOT facts ON section USING count(*) GROUP BY agency",
    "VALUES (1, 'a'), (2, 'b')",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT * FROM t",
    "SELECT * FROM range(3)",
    "SELECT * FROM generate_series(1, 3)",
    "SELECT * FROM duckdb_tables()",
    "SELECT * FROM pragma_table_info('facts')",
    "SELECT current_setting('memory_limit')",
    "SELECT interval 1 day, union_value(k := 'x'), [1, 2], {'a': 1}, 'x'::BLOB, uuid()",
]

# Resource bombs: queries, so they pass the gate; the limits stop them.
BOMBS = [
    "SELECT * FROM range(1000000000000)",
    "SELECT count(*) FROM range(1000000000000)",
    "SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c",
    "SELECT count(*) FROM facts a, facts b, facts c, facts d",
    "SELECT repeat('x', 1000000000)",
    "SELECT length(repeat('x', 1000000000))",
    "SELECT repeat('x', 100000000) FROM range(100)",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t",
    "SELECT length(string_agg(repeat('x', 200), ',')) FROM range(20000000)",
    "SELECT list(range) FROM range(1000000000)",
    "SELECT unnest(range(1000000000))",
    "SELECT count(*) FROM (SELECT * FROM range(1000000000) ORDER BY random())",
    "SELECT count(*) FROM range(100000000) a JOIN range(100000000) b USING (range)",
    "SELECT count(DISTINCT range) FROM range(1000000000)",
    "SELECT sum(x) OVER (ORDER BY x) FROM range(1000000000) t(x)",
]
BOMB_LIMITS = Limits(seconds=1.0, memory="256MB", threads=2)
# Stopped "in seconds": the limit is 1 s; the bound leaves room for a loaded CI machine.
STOPPED_WITHIN_S = 20.0

# The statements the connection refuses by itself, the gate switched off.
CONNECTION_REFUSES = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT getenv('HOME')",
    "INSERT INTO facts SELECT * FROM facts",
    "DELETE FROM facts",
    "DROP TABLE facts",
    "CREATE TABLE x AS SELECT 1",
    "SET memory_limit = '100GB'",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET memory_limit",
    "ATTACH 'other.duckdb' AS o",
    "COPY facts TO 'out.csv'",
    "EXPORT DATABASE 'xxgk-export'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')",
    "SELECT * FROM duckdb_secrets()",
]


def test_the_suite_has_at_least_eighty_statements() -> None:
    assert len(REFUSED) + len(BOMBS) >= 80
    assert len(set(REFUSED)) == len(REFUSED)


@pytest.mark.parametrize("sql", REFUSED)
def test_the_gate_refuses_it(sql: str) -> None:
    with pytest.raises(RefusedQuery) as refused:
        check_query(sql)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("sql", ALLOWED)
def test_what_an_analyst_explores_with_runs(sql: str, warehouse: Path) -> None:
    result = run_query(sql, warehouse, max_rows=5)
    assert result.columns
    assert result.total_rows >= 1


@pytest.fixture
def own_warehouse(warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the sample warehouse, so running the suite against it cannot touch the shared one."""
    copy = tmp_path / "xxgk.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


@pytest.mark.parametrize("sql", CONNECTION_REFUSES)
def test_the_connection_alone_refuses_it(sql: str, own_warehouse: Path) -> None:
    con = connect_for_query(own_warehouse, Limits())
    try:
        with pytest.raises(duckdb.Error):
            con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_connection_is_read_only_without_external_access_and_locked(warehouse: Path) -> None:
    result = run_query(
        "SELECT current_setting('access_mode'), current_setting('enable_external_access'),"
        " current_setting('lock_configuration'), current_setting('temp_directory'),"
        " current_setting('threads'), current_setting('autoload_known_extensions')",
        warehouse,
        Limits(threads=3),
    )
    assert result.rows == [("read_only", False, True, "", 3, False)]


def test_running_every_refused_statement_leaves_the_warehouse_unchanged(own_warehouse: Path) -> None:
    before = hashlib.sha256(own_warehouse.read_bytes()).hexdigest()
    for sql in REFUSED:
        with pytest.raises(RefusedQuery):
            run_query(sql, own_warehouse)
    for sql in CONNECTION_REFUSES:
        con = connect_for_query(own_warehouse, Limits())
        try:
            with pytest.raises(duckdb.Error):
                con.execute(sql).fetchall()
        finally:
            con.close()
    assert hashlib.sha256(own_warehouse.read_bytes()).hexdigest() == before
    assert not (own_warehouse.parent / "out.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("sql", BOMBS)
def test_a_resource_bomb_is_stopped_within_seconds(sql: str, warehouse: Path) -> None:
    start = time.monotonic()
    with pytest.raises(
        QueryFailed, match=r"^stopped: the query (ran longer than the time|needs more than the memory) limit"
    ):
        run_query(sql, warehouse, BOMB_LIMITS, max_rows=100)
    assert time.monotonic() - start < STOPPED_WITHIN_S


@pytest.mark.slow
def test_after_a_bomb_the_process_may_allocate_again(warehouse: Path) -> None:
    with pytest.raises(QueryFailed, match="memory limit"):
        run_query("SELECT repeat('x', 1000000000)", warehouse, BOMB_LIMITS)
    big = bytearray(512 * 2**20)  # the cap on the process is lifted once the query is over
    assert len(big) == 512 * 2**20
    assert run_query("SELECT 42", warehouse).rows == [(42,)]
