"""Every SQL file parses with sqlglot and builds on an empty DuckDB."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from pipelines.warehouse.sqlfiles import SQL_DIR, statements

SQL_FILES = sorted(str(p.relative_to(SQL_DIR)) for p in SQL_DIR.rglob("*.sql"))


@pytest.mark.parametrize("name", SQL_FILES)
def test_sql_file_parses_with_sqlglot(name: str) -> None:
    parsed = sqlglot.parse((SQL_DIR / name).read_text(encoding="utf-8"), read="duckdb")
    assert parsed
    assert all(e is not None for e in parsed)


def test_schema_and_views_build_on_an_empty_database() -> None:
    from pipelines.warehouse.facts_store import view_sql

    con = duckdb.connect()
    for stmt in statements((SQL_DIR / "warehouse/schema.sql").read_text(encoding="utf-8")):
        con.execute(stmt)
    con.execute(view_sql([]))  # the facts with no Parquet file yet
    for stmt in statements((SQL_DIR / "warehouse/views.sql").read_text(encoding="utf-8")):
        con.execute(stmt)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {
        "reports",
        "facts",
        "rejected",
        "repairs",
        "findings",
        "catalog_rows",
        "catalog_columns",
        "facts_labeled",
    } <= tables
