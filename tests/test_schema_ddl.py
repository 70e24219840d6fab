"""The DuckDB DDL cannot drift from the pandera models, the one declaration of each table.

sql/warehouse/schema.sql is parsed with sqlglot; for every CREATE TABLE the columns (names, order,
types, nullability) must be those of the table's model in models/schemas.WAREHOUSE_MODELS, with
DuckDB types mapped to polars dtypes below. A column added to a model but not to the DDL (or the
other way round, or typed differently) fails here, not in an analyst's query.
"""

from __future__ import annotations

import polars as pl
import pytest
import sqlglot
from sqlglot import exp

from models.schemas import MODELS, WAREHOUSE_MODELS, column_descriptions, polars_schema, table_description
from pipelines.warehouse.sqlfiles import sql_file

# DuckDB type (as sqlglot names it) → the polars dtype DuckDB reads it back as and writes it from.
DUCKDB_TO_POLARS: dict[exp.DataType.Type, type[pl.DataType]] = {
    exp.DataType.Type.VARCHAR: pl.String,
    exp.DataType.Type.TEXT: pl.String,
    exp.DataType.Type.TINYINT: pl.Int8,
    exp.DataType.Type.SMALLINT: pl.Int16,
    exp.DataType.Type.INT: pl.Int32,
    exp.DataType.Type.BIGINT: pl.Int64,
    exp.DataType.Type.DOUBLE: pl.Float64,
    exp.DataType.Type.FLOAT: pl.Float32,
    exp.DataType.Type.BOOLEAN: pl.Boolean,
}


Columns = list[tuple[str, type[pl.DataType], bool]]


def ddl_tables(sql: str) -> dict[str, Columns]:
    """(column, polars dtype, nullable) per CREATE TABLE of a DDL script, in the DDL's order."""
    tables: dict[str, Columns] = {}
    for stmt in sqlglot.parse(sql, read="duckdb"):
        if not isinstance(stmt, exp.Create) or stmt.kind != "TABLE":
            continue
        schema = stmt.this
        assert isinstance(schema, exp.Schema), f"{stmt.sql()[:60]}: expected a column list"
        # A table-level PRIMARY KEY (a, b) makes its columns NOT NULL, as a column-level one does.
        key_columns = {c.name for pk in schema.find_all(exp.PrimaryKey) for c in pk.expressions}
        columns = []
        for col in schema.expressions:
            if not isinstance(col, exp.ColumnDef):
                continue
            kind = col.args["kind"].this
            assert kind in DUCKDB_TO_POLARS, f"{schema.this.name}.{col.name}: no polars dtype mapped for DuckDB {kind}"
            constraints = {type(c.args.get("kind")) for c in col.constraints}
            not_null = (
                bool(constraints & {exp.NotNullColumnConstraint, exp.PrimaryKeyColumnConstraint})
                or col.name in key_columns
            )
            columns.append((col.name, DUCKDB_TO_POLARS[kind], not not_null))
        tables[schema.this.name] = columns
    return tables


def model_columns(table: str) -> Columns:
    """The same triples from the table's pandera model."""
    model = WAREHOUSE_MODELS[table]
    nullable = {name: col.nullable for name, col in model.to_schema().columns.items()}
    return [
        (name, dtype if isinstance(dtype, type) else dtype.__class__, nullable[name])
        for name, dtype in polars_schema(model).items()
    ]


def drift(ddl: dict[str, Columns]) -> list[str]:
    """Every difference between a parsed DDL and the models, one line each."""
    problems = [f"{t}: table in the DDL, no model" for t in ddl if t not in WAREHOUSE_MODELS]
    problems += [f"{t}: model, no table in the DDL" for t in WAREHOUSE_MODELS if t not in ddl]
    for table in ddl.keys() & WAREHOUSE_MODELS.keys():
        if ddl[table] != model_columns(table):
            problems.append(f"{table}: DDL {ddl[table]} != model {model_columns(table)}")
    return sorted(problems)


def warehouse_ddl() -> str:
    """The tables of the DuckDB file (schema.sql), then the facts, Parquet files beside it (facts.sql)."""
    return sql_file("warehouse/schema.sql") + "\n" + sql_file("warehouse/facts.sql")


DDL = ddl_tables(warehouse_ddl())


def test_every_ddl_table_has_a_model_in_the_ddl_order() -> None:
    assert list(DDL) == list(WAREHOUSE_MODELS)
    assert set(MODELS) <= set(WAREHOUSE_MODELS)


@pytest.mark.parametrize("table", list(WAREHOUSE_MODELS))
def test_the_ddl_declares_the_models_columns(table: str) -> None:
    assert DDL[table] == model_columns(table), (
        f"sql/warehouse/schema.sql or facts.sql `{table}` differs from {WAREHOUSE_MODELS[table].__name__} "
        "(the model is the declaration: change the DDL to match it)"
    )


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("    value         DOUBLE,", "    value         BIGINT,", "a retyped column"),
        ("    template          VARCHAR NOT NULL,", "    template          VARCHAR,", "a dropped NOT NULL"),
        ("    raw_text      VARCHAR,", "", "a dropped column"),
        (
            "    reason        VARCHAR NOT NULL\n);",
            "    reason        VARCHAR NOT NULL,\n    extra INTEGER\n);",
            "an added column",
        ),
    ],
)
def test_a_drifted_ddl_is_noticed(old: str, new: str, what: str) -> None:
    sql = warehouse_ddl()
    assert old in sql, f"the sample edit for {what} no longer applies to schema.sql or facts.sql"
    assert drift(ddl_tables(sql)) == []
    assert drift(ddl_tables(sql.replace(old, new, 1))), f"{what} went unnoticed"


@pytest.mark.parametrize("table", list(WAREHOUSE_MODELS))
def test_every_table_and_column_is_described_for_analysts(table: str) -> None:
    model = WAREHOUSE_MODELS[table]
    assert table_description(model), f"{model.__name__} has no docstring (the table's description)"
    undescribed = [name for name, text in column_descriptions(model).items() if not text.strip()]
    assert not undescribed, f"{model.__name__}: columns without a description: {undescribed}"


def test_the_catalog_csv_files_have_the_catalog_models_columns() -> None:
    from models.catalog import CATALOG_DIR

    for name, table in (("rows.csv", "catalog_rows"), ("columns.csv", "catalog_columns")):
        header = (CATALOG_DIR / name).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == list(polars_schema(WAREHOUSE_MODELS[table]))
