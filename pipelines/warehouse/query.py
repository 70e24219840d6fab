"""Read-only SQL for analysts: one query statement, on a read-only connection without file access.

The statement is parsed with sqlglot and refused unless it is a single query (SELECT, WITH …,
UNION …, VALUES). The connection is opened read-only with DuckDB's external access disabled, so
even a query that reaches for files (read_csv('/etc/passwd')) fails.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError


class RefusedQuery(ValueError):
    """A statement that `xxgk query` will not run; the message says why."""


def check_query(sql: str) -> exp.Query:
    """Return the parsed statement if it is one read-only query, else raise RefusedQuery."""
    try:
        parsed = [e for e in sqlglot.parse(sql, read="duckdb") if e is not None]
    except ParseError as exc:
        raise RefusedQuery(f"not valid SQL: {exc.errors[0]['description'] if exc.errors else exc}") from exc
    if not parsed:
        raise RefusedQuery("no SQL statement given")
    if len(parsed) > 1:
        raise RefusedQuery(f"one statement at a time: {len(parsed)} statements given")
    stmt = parsed[0]
    if not isinstance(stmt, exp.Query):
        kind = stmt.key.upper()
        raise RefusedQuery(f"only queries may run; this is a {kind} statement")
    # A query may still hide a write (DuckDB allows e.g. CTEs with DML in some forms).
    for node in stmt.walk():
        if isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Copy)):
            raise RefusedQuery(f"only queries may run; found {node.key.upper()} inside the query")
    return stmt


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `xxgk build` first")
    return duckdb.connect(str(warehouse), read_only=True, config={"enable_external_access": False})


def run_query(sql: str, warehouse: Path) -> pl.DataFrame:
    check_query(sql)
    con = connect_read_only(warehouse)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def format_table(frame: pl.DataFrame, max_str: int = 80) -> str:
    """A query result as a box table, every row and column shown (as `xxgk query` prints it)."""
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        fmt_str_lengths=max_str,
        tbl_width_chars=400,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
    ):
        return str(frame)
