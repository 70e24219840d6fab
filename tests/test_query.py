"""`xxgk query` runs one read-only query and refuses everything else, leaving the warehouse as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.warehouse.query import RefusedQuery, check_query


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        "WITH t AS (SELECT 1 AS a) SELECT a FROM t",
        "SELECT agency FROM reports UNION ALL SELECT agency FROM reports",
    ],
)
def test_queries_are_accepted(sql: str) -> None:
    check_query(sql)


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("DROP TABLE facts", "DROP"),
        ("DELETE FROM facts", "DELETE"),
        ("INSERT INTO reports SELECT * FROM reports", "INSERT"),
        ("UPDATE facts SET value = 0", "UPDATE"),
        ("CREATE TABLE x AS SELECT 1", "CREATE"),
        ("ATTACH 'other.duckdb' AS o", "ATTACH"),
        ("COPY facts TO 'out.csv'", "COPY"),
        ("INSTALL httpfs", "only queries"),
        ("LOAD httpfs", "only queries"),
        ("PRAGMA version", "only queries"),
        ("SET threads = 1", "SET"),
        ("SELECT 1; DROP TABLE facts", "one statement at a time"),
        ("", "no SQL statement"),
    ],
)
def test_anything_but_one_query_is_refused(sql: str, why: str) -> None:
    with pytest.raises(RefusedQuery, match=why):
        check_query(sql)


def test_a_refused_write_leaves_the_warehouse_unchanged(warehouse: Path) -> None:
    before = warehouse.read_bytes()
    result = CliRunner().invoke(main, ["query", "DELETE FROM facts", "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    assert "refused" in result.output
    assert warehouse.read_bytes() == before


def test_a_query_cannot_read_files_outside_the_warehouse(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["query", "SELECT * FROM read_csv('/etc/passwd')", "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    assert "refused: table function read_csv() is not allowed" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_output_formats(warehouse: Path, fmt: str) -> None:
    sql = "SELECT agency, year, value FROM facts WHERE row_key='new_requests' AND column_key='total' ORDER BY agency"
    result = CliRunner().invoke(main, ["query", sql, "--warehouse", str(warehouse), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "海东市生态环境局" in result.output
    if fmt == "json":
        rows = json.loads(result.output)
        assert {r["agency"]: r["value"] for r in rows}["海东市生态环境局"] == 8.0
    if fmt == "csv":
        assert result.output.splitlines()[0] == "agency,year,value"


def test_query_without_a_warehouse_says_how_to_build_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "xxgk build" in result.output
