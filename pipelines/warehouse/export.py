"""Parquet export for researchers, with a data dictionary beside it (`xxgk export`).

Every table, view and mart of the warehouse becomes a folder of Parquet files that pandas,
polars, DuckDB, pyarrow and Spark all read as one table with the same column types:

- Tables with a `year` column get one file per year (`facts/facts-2023.parquet`, and
  `facts-unknown.parquet` for rows without a year), with `year` inside the files. Hive folders
  (`year=2023/`) were given up: a reader then types `year` from the folder name (pandas as a
  dictionary, polars as Int64, Spark as int) and fails or disagrees with the files' own column.
- Column types are the warehouse's: counts INTEGER/BIGINT, money DECIMAL, shares DOUBLE (facts
  keeps DOUBLE: one column holds counts and 万元 amounts). Integer and boolean columns carry
  pandas metadata naming its nullable dtypes (Int64, boolean), so `pandas.read_parquet` keeps a
  count with a NULL an integer instead of turning it into float64.
- Each file's schema carries the descriptions: every field's `description` (Arrow field
  metadata) and the table's `description` in the file's key-value metadata, beside
  dictionary.json and DICTIONARY.md.

Descriptions are declared once: a table's on its pandera model (models/schemas.py), a view's and a
mart's as SQL comments, on the statement and on each of its columns (a view column passing a
table's column through under the same name shares that column's description).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from models.schemas import WAREHOUSE_MODELS, column_descriptions, table_description
from pipelines.checks.findings import RULE_TEXT
from pipelines.warehouse.marts import discover_marts
from pipelines.warehouse.query import connect_read_only
from pipelines.warehouse.sqlfiles import sql_file

# Tables researchers get; rejected_rows (raw rows that failed validation) and facts_files (which
# Parquet files of the warehouse's facts folder its view reads) stay in the warehouse.
_SKIP = {"rejected_rows", "facts_files"}
PARTITION_COLUMN = "year"
_BATCH_ROWS = 256_000  # rows read and written at once (a Parquet row group each)


@dataclass(frozen=True)
class Exported:
    table: str
    rows: int
    path: Path
    partitioned_by_year: bool


@dataclass(frozen=True)
class Descriptions:
    tables: dict[str, str]
    columns: dict[tuple[str, str], str]


def _comment(comments: list[str] | None) -> str:
    return " ".join(" ".join(c.split()) for c in comments or [] if c.strip())


def _describe_select(
    name: str, query: exp.Query, columns: dict[tuple[str, str], str], inherit: bool
) -> dict[tuple[str, str], str]:
    """The columns of a view's or mart's SELECT: each its own comment; with `inherit`, a column
    passed through from a described table under the same name shares that description."""
    found: dict[tuple[str, str], str] = {}
    select = query if isinstance(query, exp.Select) else query.find(exp.Select)
    if select is None:
        return found
    aliases = {t.alias_or_name: t.name for t in select.find_all(exp.Table)}
    for projection in select.expressions:
        # A comment above a column hangs on the expression's first token (a.received in a − b).
        text = _comment(next((n.comments for n in projection.walk() if n.comments), None))
        if not text and inherit and isinstance(projection, exp.Column):
            # `f.value` in `FROM facts AS f`: the qualifier names the table the column comes from.
            source = aliases.get(projection.table, projection.table)
            text = columns.get((source, projection.name), "")
        found[(name, projection.alias_or_name)] = text
    return found


def describe() -> Descriptions:
    """Every table's, view's and mart's description, and every column's."""
    tables = {name: table_description(model) for name, model in WAREHOUSE_MODELS.items()}
    columns = {
        (name, column): text
        for name, model in WAREHOUSE_MODELS.items()
        for column, text in column_descriptions(model).items()
    }
    for stmt in sqlglot.parse(sql_file("warehouse/views.sql"), read="duckdb"):
        if not isinstance(stmt, exp.Create) or not isinstance(stmt.expression, exp.Query):
            continue
        view = stmt.this.name
        tables[view] = _comment(stmt.comments)
        columns.update(_describe_select(view, stmt.expression, columns, inherit=True))
    for mart in discover_marts():
        tables[mart.name] = mart.description
        columns.update(_describe_select(mart.name, mart.query, columns, inherit=False))
    return Descriptions(tables, columns)


def _arrow_schema(arrow_schema: Any, table: str, text: Descriptions) -> Any:
    """The files' schema: plain strings, each field's description, the table's, and pandas
    metadata that names nullable integer and boolean dtypes."""
    import pyarrow as pa

    fields = []
    pandas_columns = []
    for field in arrow_schema:
        kind = field.type
        if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            kind = pa.string()
        description = text.columns.get((table, field.name), "")
        fields.append(pa.field(field.name, kind, nullable=True, metadata={"description": description}))
        if pa.types.is_integer(kind):
            numpy_type = str(kind).capitalize()  # int32 → Int32: pandas' nullable integer dtype
            pandas_type = str(kind)
        elif pa.types.is_boolean(kind):
            numpy_type, pandas_type = "boolean", "bool"
        elif pa.types.is_floating(kind):
            numpy_type = pandas_type = str(kind).replace("double", "float64")
        else:
            numpy_type, pandas_type = "object", "unicode" if pa.types.is_string(kind) else "object"
        pandas_columns.append(
            {
                "name": field.name,
                "field_name": field.name,
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": None,
            }
        )
    # The format pandas itself writes (Arrow's "pandas metadata" spec); only the dtypes matter here.
    pandas = {
        "index_columns": [],
        "column_indexes": [],
        "columns": pandas_columns,
        "creator": {"library": "xxgk-warehouse"},
        "pandas_version": "2.0.0",
    }
    return pa.schema(
        fields,
        metadata={
            "description": text.tables.get(table, ""),
            "table": table,
            "pandas": json.dumps(pandas),
        },
    )


def _write_table(con: Any, table: str, target: Path, text: Descriptions) -> tuple[int, bool]:
    """One table into its folder: a file per year where it has a year. Returns (rows, by year)."""
    import pyarrow.parquet as pq

    source = exp.select("*").from_(exp.to_table(table))
    head = con.sql(source.limit(0).sql(dialect="duckdb")).to_arrow_table()
    schema = _arrow_schema(head.schema, table, text)
    parts: list[tuple[str, str, list[Any]]] = []  # (file name, SQL, parameters)
    if PARTITION_COLUMN in head.column_names:
        years = [
            r[0]
            for r in con.execute(
                exp.select(PARTITION_COLUMN).distinct().from_(exp.to_table(table)).sql(dialect="duckdb")
            ).fetchall()
        ]
        for year in sorted(years, key=lambda y: (y is None, y)):
            where = f"{PARTITION_COLUMN} IS NULL" if year is None else f"{PARTITION_COLUMN} = ?"
            parts.append(
                (
                    f"{table}-{'unknown' if year is None else year}.parquet",
                    source.where(where).sql(dialect="duckdb"),
                    [] if year is None else [year],
                )
            )
    by_year = bool(parts)
    if not parts:  # no year column, or no rows: one file (an empty one still carries the schema)
        parts.append((f"{table}.parquet", source.sql(dialect="duckdb"), []))
    rows = 0
    for name, sql, params in parts:
        # In batches, so a year of 20 million cells never sits in memory whole.
        reader = con.sql(sql, params=params or None).to_arrow_reader(_BATCH_ROWS)
        with pq.ParquetWriter(target / name, schema, compression="zstd") as writer:
            for batch in reader:
                writer.write_batch(batch.cast(schema))
                rows += batch.num_rows
    return rows, by_year


def export(warehouse: Path, out: Path) -> list[Exported]:
    """Write every table, view and mart as Parquet under `out` (replacing an earlier export
    there), with dictionary.json and DICTIONARY.md."""
    out = Path(out)
    text = describe()
    con = connect_read_only(warehouse)
    try:
        out.mkdir(parents=True, exist_ok=True)
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
            target = out / table
            if target.exists():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            target.mkdir(parents=True)
            rows, by_year = _write_table(con, table, target, text)
            exported.append(Exported(table, rows, target, by_year))
    finally:
        con.close()

    columns_of: dict[str, list[dict[str, str]]] = {}
    for table, column, dtype in schema_rows:
        columns_of.setdefault(table, []).append(
            {"name": column, "type": dtype, "description": text.columns.get((table, column), "")}
        )
    dictionary = {
        "tables": [
            {
                "name": e.table,
                "description": text.tables.get(e.table, ""),
                "rows": e.rows,
                "path": f"{e.table}/",
                "partitioned_by": [PARTITION_COLUMN] if e.partitioned_by_year else [],
                "columns": columns_of.get(e.table, []),
            }
            for e in exported
        ],
        "template_rows": catalog_rows.to_dicts(),
        "template_columns": catalog_columns.to_dicts(),
        "rules": [{"id": k, "rule": v} for k, v in RULE_TEXT.items()],
    }
    (out / "dictionary.json").write_text(json.dumps(dictionary, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "DICTIONARY.md").write_text(markdown(dictionary), encoding="utf-8")
    return exported


def _cell(value: object) -> str:
    """A Markdown table cell: a `|` would end the cell and a line break the row."""
    return " ".join(("" if value is None else str(value)).split()).replace("|", "\\|")


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def markdown(d: dict) -> str:
    """DICTIONARY.md: the tables and their columns, the template's labels, the rules."""
    lines = [
        "# Data dictionary",
        "",
        "One folder of Parquet files per table; a table with a `year` column has one file per year",
        "(`facts/facts-2023.parquet`; `-unknown` for rows without a year), `year` inside the files.",
        "Read a folder whole: pandas `pd.read_parquet('facts')`, polars `pl.read_parquet('facts/*.parquet')`,",
        "DuckDB `read_parquet('facts/*.parquet')`, pyarrow `pyarrow.dataset.dataset('facts')`, Spark",
        "`spark.read.parquet('facts')`; all give the types below. Descriptions are also in each file's",
        "schema (field metadata `description`).",
        "",
    ]
    for t in d["tables"]:
        lines += [
            f"## {t['name']}",
            "",
            t["description"],
            "",
            f"{t['rows']} rows" + (", one file per year" if t["partitioned_by"] else ""),
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        lines += [_row(c["name"], c["type"], c["description"]) for c in t["columns"]]
        lines.append("")
    lines += [
        "## Template cells (Chinese labels)",
        "",
        "| template | section | table_key | row_key | row_label | group_label |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        _row(r["template"], r["section"], r["table_key"], r["row_key"], r["row_label"], r["group_label"])
        for r in d["template_rows"]
    ]
    lines += ["", "| template | section | table_key | column_key | column_label |", "| --- | --- | --- | --- | --- |"]
    lines += [
        _row(c["template"], c["section"], c["table_key"], c["column_key"], c["column_label"])
        for c in d["template_columns"]
    ]
    lines += ["", "## Consistency rules", "", "| id | rule |", "| --- | --- |"]
    lines += [_row(r["id"], r["rule"]) for r in d["rules"]]
    return "\n".join(lines) + "\n"
