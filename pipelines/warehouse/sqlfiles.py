"""The project's SQL files (sql/): read them and split them into statements with sqlglot."""

from __future__ import annotations

from pathlib import Path

import sqlglot

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def sql_file(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def statements(sql: str) -> list[str]:
    """Split a SQL file into statements with sqlglot (which also proves that it parses)."""
    return [e.sql(dialect="duckdb") for e in sqlglot.parse(sql, read="duckdb") if e is not None]
