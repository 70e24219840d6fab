"""`xxgk query` as an analyst uses it: quick to start, one-line errors with an exit status, every
type printable, wide columns cut to the terminal, a row cap that says what it left out, results
saved to CSV or Parquet."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.warehouse.query import run_query
from pipelines.warehouse.tabular import display_width
from tests.conftest import ROOT

HEAVY = ("dagster", "pandera", "pandas", "polars", "pyarrow")


def xxgk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process, as a shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def invoke(warehouse: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["query", *args, "--warehouse", str(warehouse)], env=env)


def test_importing_the_cli_and_the_query_path_loads_no_heavy_library() -> None:
    probe = (
        "import json, sys; import pipelines.cli, pipelines.warehouse.query, pipelines.warehouse.tabular; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(
        json.loads(
            subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        )
    )
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_help_prints_the_default_limits() -> None:
    shown = xxgk("query", "--help")
    assert shown.returncode == 0
    help_text = " ".join(shown.stdout.split())
    for default in (
        "--timeout FLOAT RANGE Seconds the query may run. [default: 60.0",
        "[default: 2GB]",
        "[default: 100;",
    ):
        assert default in help_text


@pytest.mark.parametrize(
    ("sql", "status", "message"),
    [
        ("select 'unterminated", 2, "refused: not valid SQL: an unterminated string"),
        ('select "x', 2, "refused: not valid SQL: an unterminated string"),
        ("SELECT * FROM read_csv('/etc/passwd')", 2, "refused: table function read_csv() is not allowed"),
        ("SELECT * FROM no_such_table", 1, "error: Catalog Error: Table with name no_such_table does not exist!"),
        (
            "SELECT count(*) FROM range(1000000000000)",
            1,
            "error: stopped: the query ran longer than the time limit of 1 s",
        ),
    ],
)
def test_a_failure_is_one_line_and_an_exit_status_in_the_real_command(
    sql: str, status: int, message: str, warehouse: Path
) -> None:
    run = xxgk("query", sql, "--warehouse", str(warehouse), "--timeout", "1")
    assert run.returncode == status
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(message), run.stderr


def test_without_a_warehouse_the_command_says_how_to_build_one(tmp_path: Path) -> None:
    run = xxgk("query", "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb"))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    assert "run `xxgk build` first" in run.stderr


def test_a_bad_memory_limit_is_a_usage_error(warehouse: Path) -> None:
    result = invoke(warehouse, "SELECT 1", "--memory-limit", "lots")
    assert result.exit_code == 2
    assert "'lots' is not a size like 512MB or 2GB" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_intervals_unions_lists_and_structs_print_in_every_format(fmt: str, warehouse: Path) -> None:
    sql = "SELECT interval 1 day AS i, union_value(k := 'hi') AS u, [1, 2] AS l, {'a': 1} AS s, NULL AS n"
    result = invoke(warehouse, sql, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "1 day" in result.stdout
    assert "hi" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout) == [{"i": "1 day", "u": "hi", "l": [1, 2], "s": {"a": 1}, "n": None}]
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(result.stdout))) == [
            ["i", "u", "l", "s", "n"],
            ["1 day", "hi", "[1, 2]", "{'a': 1}", ""],
        ]


@pytest.mark.parametrize("sql", ["DESCRIBE facts", "SHOW TABLES", "SUMMARIZE facts"])
def test_describe_show_and_summarize_run(sql: str, warehouse: Path) -> None:
    result = invoke(warehouse, sql)
    assert result.exit_code == 0, result.output
    assert "value" in result.stdout or "facts" in result.stdout


def test_the_row_cap_says_how_many_rows_were_not_shown(warehouse: Path) -> None:
    result = invoke(warehouse, "SELECT * FROM facts ORDER BY source_file, row_key, column_key", "--max-rows", "3")
    assert result.exit_code == 0
    body = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(body) == 1 + 3  # the header and three rows
    assert result.stdout.splitlines()[-1] == "986 rows, 3 shown (--max-rows for more, --out FILE for all)"


def test_csv_output_with_a_row_cap_says_so_on_stderr_only(warehouse: Path) -> None:
    result = invoke(warehouse, "SELECT * FROM range(10)", "--format", "csv", "--max-rows", "4")
    assert result.stdout.splitlines() == ["range", "0", "1", "2", "3"]
    assert result.stderr.strip() == "10 rows, 4 shown (--max-rows for more, --out FILE for all)"


def test_max_rows_zero_prints_every_row(warehouse: Path) -> None:
    result = invoke(warehouse, "SELECT * FROM range(250)", "--format", "csv", "--max-rows", "0")
    assert len(result.stdout.splitlines()) == 251
    assert result.stderr == ""


def test_wide_columns_are_cut_to_a_narrow_terminal(warehouse: Path) -> None:
    sql = "SELECT agency, source_sha256 FROM reports ORDER BY agency"
    result = invoke(warehouse, sql, env={"COLUMNS": "60"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(display_width(line) <= 60 for line in lines)
    assert "…" in result.stdout
    sha = run_query(sql, warehouse).rows[0][1]
    assert sha not in result.stdout


def test_full_prints_wide_values_whole(warehouse: Path) -> None:
    sql = "SELECT agency, source_sha256 FROM reports ORDER BY agency"
    result = invoke(warehouse, sql, "--full", env={"COLUMNS": "60"})
    sha = run_query(sql, warehouse).rows[0][1]
    assert sha in result.stdout
    assert sum(line.count("│") for line in result.stdout.splitlines()) == 2 * (1 + 5)  # one line per row


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_out_saves_every_row_and_reads_back_the_same(suffix: str, warehouse: Path, tmp_path: Path) -> None:
    sql = "SELECT agency, year, row_key, column_key, value FROM facts ORDER BY source_file, row_key, column_key"
    out = tmp_path / f"facts{suffix}"
    result = invoke(warehouse, sql, "--out", str(out), "--max-rows", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"986 rows written to {out}"
    reader = "read_csv" if suffix == ".csv" else "read_parquet"
    back = duckdb.sql(f"SELECT * FROM {reader}(?)", params=[str(out)]).fetchall()
    assert back == run_query(sql, warehouse).rows


def test_out_refuses_a_file_that_is_neither_csv_nor_parquet(warehouse: Path, tmp_path: Path) -> None:
    result = invoke(warehouse, "SELECT 1", "--out", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert "must end in .csv or .parquet" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_a_query_stopped_while_saving_leaves_no_file(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "big.csv"
    result = invoke(warehouse, "SELECT * FROM range(1000000000000)", "--out", str(out), "--timeout", "1")
    assert result.exit_code == 1
    assert "time limit of 1 s" in result.output
    assert list(tmp_path.iterdir()) == []


def test_sql_dash_reads_the_query_from_standard_input(warehouse: Path) -> None:
    result = CliRunner().invoke(
        main, ["query", "-", "--warehouse", str(warehouse), "--format", "csv"], input="SELECT 42 AS answer\n"
    )
    assert result.stdout.splitlines() == ["answer", "42"]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_out_writes_types_the_format_lacks_as_text(suffix: str, warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / f"types{suffix}"
    sql = "SELECT interval 1 day AS i, union_value(k := 'hi') AS u, [1, 2] AS l, 3 AS n"
    result = invoke(warehouse, sql, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"1 row written to {out}"
    row = duckdb.sql(
        "SELECT i, u, n FROM " + ("read_csv" if suffix == ".csv" else "read_parquet") + "(?)", params=[str(out)]
    ).fetchall()
    assert row == [("1 day", "hi", 3)]
