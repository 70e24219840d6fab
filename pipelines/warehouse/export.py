"""Parquet export for researchers, with a data dictionary beside it (`xxgk export`).

Every table and mart of the warehouse becomes a Parquet dataset; those with a `year` column are
partitioned by it (hive style: `facts/year=2023/…`), so DuckDB, polars, pyarrow and Spark read
them as one table. The dictionary (dictionary.json and DICTIONARY.md) lists tables, columns,
types and descriptions (a table's from its pandera model in models/schemas.py, the one place a
column is declared; a view's and a mart's from the comments of their SQL), the template's Chinese
labels, and the consistency rules.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

from models.schemas import WAREHOUSE_MODELS, column_descriptions, table_description
from pipelines.checks.findings import RULE_TEXT
from pipelines.warehouse.marts import discover_marts
from pipelines.warehouse.query import connect_read_only
from pipelines.warehouse.sqlfiles import sql_file

# Tables researchers get; rejected_rows (raw rows that failed validation) stays in the warehouse.
_SKIP = {"rejected_rows"}


@dataclass(frozen=True)
class Exported:
    table: str
    rows: int
    path: Path
    partitioned_by_year: bool


def _descriptions() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Table and column descriptions: a table's from its pandera model (the one declaration of
    it), a view's from the comment above it in views.sql, a mart's from its file's comments. A
    view's column that passes a table's column through (same name) shares its description."""
    tables = {name: table_description(model) for name, model in WAREHOUSE_MODELS.items()}
    columns = {
        (name, column): text
        for name, model in WAREHOUSE_MODELS.items()
        for column, text in column_descriptions(model).items()
    }
    for stmt in sqlglot.parse(sql_file("warehouse/views.sql"), read="duckdb"):
        if not isinstance(stmt, exp.Create) or stmt.expression is None:
            continue
        view = stmt.this.name
        tables[view] = " ".join(c.strip() for c in stmt.comments or [])
        for select in stmt.expression.find_all(exp.Select):
            # `f.value` in `FROM facts AS f`: the qualifier names the table the column comes from.
            aliases = {t.alias_or_name: t.name for t in select.find_all(exp.Table)}
            for projection in select.expressions:
                if isinstance(projection, exp.Column):
                    source = aliases.get(projection.table, projection.table)
                    if (source, projection.name) in columns:
                        columns.setdefault((view, projection.name), columns[(source, projection.name)])
    for mart in discover_marts():
        lines = [
            ln.removeprefix("--").strip()
            for ln in mart.path.read_text(encoding="utf-8").splitlines()
            if ln.startswith("--")
        ]
        tables[mart.name] = " ".join(lines)
    return tables, columns


def export(warehouse: Path, out: Path) -> list[Exported]:
    """Write every table as Parquet under `out` (replacing an earlier export there)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table_text, column_text = _descriptions()
    con = connect_read_only(warehouse)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
            if r[0] not in _SKIP
        ]
        schema_rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall()
        catalog_rows = con.sql("SELECT * FROM catalog_rows ORDER BY section, row_order").pl()
        catalog_columns = con.sql("SELECT * FROM catalog_columns ORDER BY section, table_key, column_order").pl()
        exported = []
        for table in tables:
            frame = con.sql(exp.select("*").from_(exp.to_table(table)).sql(dialect="duckdb")).pl()
            target = out / table
            if target.exists():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            by_year = "year" in frame.columns
            if by_year:
                frame.write_parquet(target, partition_by="year")
            else:
                target.mkdir(parents=True)
                frame.write_parquet(target / "data.parquet")
            exported.append(Exported(table, frame.height, target, by_year))
    finally:
        con.close()

    columns_of: dict[str, list[dict[str, str]]] = {}
    for table, column, dtype in schema_rows:
        columns_of.setdefault(table, []).append(
            {"name": column, "type": dtype, "description": column_text.get((table, column), "")}
        )
    dictionary = {
        "tables": [
            {
                "name": e.table,
                "description": table_text.get(e.table, ""),
                "rows": e.rows,
                "path": f"{e.table}/",
                "partitioned_by": ["year"] if e.partitioned_by_year else [],
                "columns": columns_of.get(e.table, []),
            }
            for e in exported
        ],
        "template_rows": catalog_rows.to_dicts(),
        "template_columns": catalog_columns.to_dicts(),
        "rules": [{"id": k, "rule": v} for k, v in RULE_TEXT.items()],
    }
    (out / "dictionary.json").write_text(json.dumps(dictionary, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "DICTIONARY.md").write_text(_markdown(dictionary), encoding="utf-8")
    return exported


def _markdown(d: dict) -> str:
    lines = [
        "# Data dictionary",
        "",
        "Parquet datasets, one folder per table; those with a `year` column are",
        "partitioned by it (hive style). Read them with DuckDB (`read_parquet('facts/**/*.parquet',",
        "hive_partitioning = true)`), polars (`pl.read_parquet('facts/')`) or pyarrow (`pyarrow.dataset`).",
        "",
    ]
    for t in d["tables"]:
        lines += [
            f"## {t['name']}",
            "",
            t["description"] or "",
            "",
            f"{t['rows']} rows" + (", partitioned by year" if t["partitioned_by"] else ""),
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {c['name']} | {c['type']} | {c['description']} |" for c in t["columns"]]
        lines.append("")
    lines += [
        "## Template cells (Chinese labels)",
        "",
        "| template | section | table_key | row_key | row_label | group_label |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['template']} | {r['section']} | {r['table_key']} | {r['row_key']} | {r['row_label']} "
        f"| {r['group_label'] or ''} |"
        for r in d["template_rows"]
    ]
    lines += ["", "| template | section | table_key | column_key | column_label |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {c['template']} | {c['section']} | {c['table_key']} | {c['column_key']} | {c['column_label']} |"
        for c in d["template_columns"]
    ]
    lines += ["", "## Consistency rules", "", "| id | rule |", "| --- | --- |"]
    lines += [f"| {r['id']} | {r['rule']} |" for r in d["rules"]]
    return "\n".join(lines) + "\n"
