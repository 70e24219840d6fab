"""The Parquet export: every folder reads as one table, with the same column types, in pandas,
polars, DuckDB, pyarrow and Spark; counts are integers; every column is described, in the files'
schema and in a data dictionary whose Markdown renders as the tables it means."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from pipelines.cli import main

# Each warehouse type (as the dictionary names it) and what each reader must make of it.
# pandas: a count is a nullable integer (Int64), never float64 (which prints 8 as 8.0).
READ_AS: dict[str, dict[str, str]] = {
    "VARCHAR": {"pandas": "str", "polars": "String", "pyarrow": "string", "spark": "StringType()"},
    "TINYINT": {"pandas": "Int8", "polars": "Int8", "pyarrow": "int8", "spark": "ByteType()"},
    "INTEGER": {"pandas": "Int32", "polars": "Int32", "pyarrow": "int32", "spark": "IntegerType()"},
    "BIGINT": {"pandas": "Int64", "polars": "Int64", "pyarrow": "int64", "spark": "LongType()"},
    "DOUBLE": {"pandas": "float64", "polars": "Float64", "pyarrow": "double", "spark": "DoubleType()"},
    "BOOLEAN": {"pandas": "boolean", "polars": "Boolean", "pyarrow": "bool", "spark": "BooleanType()"},
    "DECIMAL(18,4)": {
        "pandas": "object",  # decimal.Decimal values, exact
        "polars": "Decimal(precision=18, scale=4)",
        "pyarrow": "decimal128(18, 4)",
        "spark": "DecimalType(18,4)",
    },
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, warehouse: Path) -> Path:
    root = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(main, ["export", "--out", str(root / "out"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return root / "out"


@pytest.fixture(scope="module")
def dictionary(exported: Path) -> dict:
    return json.loads((exported / "dictionary.json").read_text(encoding="utf-8"))


def _expected(dictionary: dict, reader: str) -> dict[str, dict[str, str]]:
    return {t["name"]: {c["name"]: READ_AS[c["type"]][reader] for c in t["columns"]} for t in dictionary["tables"]}


def test_a_table_with_a_year_has_one_file_per_year_with_the_year_inside(exported: Path) -> None:
    assert sorted(p.name for p in (exported / "facts").iterdir()) == ["facts-2021.parquet", "facts-2023.parquet"]
    assert pq.read_schema(exported / "facts" / "facts-2021.parquet").field("year").type == "int32"
    assert sorted(p.name for p in (exported / "rejected").iterdir()) == ["rejected.parquet"]


def test_pandas_reads_every_folder_with_the_warehouse_types(exported: Path, dictionary: dict) -> None:
    for table, columns in _expected(dictionary, "pandas").items():
        frame = pd.read_parquet(exported / table)
        assert {c: str(t) for c, t in frame.dtypes.items()} == columns, table


def test_polars_reads_every_folder_with_the_warehouse_types(exported: Path, dictionary: dict) -> None:
    for table, columns in _expected(dictionary, "polars").items():
        frame = pl.read_parquet(exported / table)
        assert {c: str(t) for c, t in frame.schema.items()} == columns, table


def test_pyarrow_reads_every_folder_with_the_warehouse_types(exported: Path, dictionary: dict) -> None:
    for table, columns in _expected(dictionary, "pyarrow").items():
        schema = ds.dataset(exported / table, format="parquet").schema
        assert {f.name: str(f.type) for f in schema} == columns, table


def test_duckdb_reads_every_folder_with_the_warehouse_types(exported: Path, dictionary: dict) -> None:
    con = duckdb.connect()
    for t in dictionary["tables"]:
        rel = con.sql("SELECT * FROM read_parquet(?)", params=[str(exported / t["name"] / "*.parquet")])
        assert dict(zip(rel.columns, map(str, rel.types), strict=True)) == {
            c["name"]: c["type"] for c in t["columns"]
        }, t["name"]


@pytest.mark.slow
def test_spark_reads_every_folder_with_the_warehouse_types(exported: Path, dictionary: dict) -> None:
    if shutil.which("java") is None:
        pytest.skip("PySpark needs a Java runtime (Debian: openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("xxgk-export")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    try:
        for table, columns in _expected(dictionary, "spark").items():
            frame = spark.read.parquet(str(exported / table))
            assert {f.name: str(f.dataType) for f in frame.schema.fields} == columns, table
        facts = spark.read.parquet(str(exported / "facts"))
        assert facts.count() == 986
    finally:
        spark.stop()


def test_every_reader_sees_all_rows_of_a_folder(exported: Path) -> None:
    # 4 × 200 cells, and 186 of 004 (its （六）其他处理 is one row)
    assert len(pd.read_parquet(exported / "facts")) == 986
    assert pl.read_parquet(exported / "facts").height == 986
    assert ds.dataset(exported / "facts", format="parquet").count_rows() == 986
    pattern = str(exported / "facts" / "*.parquet")
    total = duckdb.sql(
        "SELECT sum(value) FROM read_parquet(?) WHERE row_key = 'new_requests' AND column_key = 'total'",
        params=[pattern],
    ).fetchall()
    assert total == [(8.0,)]


def test_counts_are_integers_and_print_without_a_decimal_point(exported: Path) -> None:
    marts = pd.read_parquet(exported / "mart_agency_year")
    row = marts[marts["agency"] == "海东市生态环境局"].iloc[0]
    assert str(row["received"]) == "8"
    assert str(row["handled"]) == "7"
    assert str(pl.read_parquet(exported / "mart_agency_year").get_column("received").max()) == "8"


def test_every_column_of_every_table_view_and_mart_is_described(dictionary: dict) -> None:
    undescribed = [
        f"{t['name']}.{c['name']}" for t in dictionary["tables"] for c in t["columns"] if not c["description"].strip()
    ]
    assert undescribed == []
    assert [t["name"] for t in dictionary["tables"] if not t["description"].strip()] == []
    names = {t["name"] for t in dictionary["tables"]}
    assert {"facts", "facts_labeled", "duplicate_reports", "mart_agency_year", "mart_requests_wide"} <= names


def test_the_files_carry_the_descriptions_in_their_schema(exported: Path, dictionary: dict) -> None:
    for t in dictionary["tables"]:
        for path in sorted((exported / t["name"]).glob("*.parquet")):
            schema = pq.read_schema(path)
            assert schema.metadata[b"description"].decode() == t["description"], path.name
            described = {f.name: f.metadata[b"description"].decode() for f in schema}
            assert described == {c["name"]: c["description"] for c in t["columns"]}, path.name
    kv = duckdb.sql(
        "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'description'",
        params=[str(exported / "reports" / "reports-2023.parquet")],
    ).fetchall()
    assert kv[0][0].startswith("One row per report")


def test_the_markdown_dictionary_renders_every_column_as_one_table_row(exported: Path, dictionary: dict) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse((exported / "DICTIONARY.md").read_text(encoding="utf-8"))
    rows: list[list[str]] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and tokens[i - 1].type in ("td_open", "th_open"):
            rows[-1].append(token.content)
    # Every column's row is three cells whose last is its description, | and all.
    by_column = {(r[0], r[2]) for r in rows if len(r) == 3}
    for t in dictionary["tables"]:
        for c in t["columns"]:
            text = " ".join(c["description"].split())
            assert (c["name"], text) in by_column, f"{t['name']}.{c['name']}"
    widths = {len(r) for r in rows}
    assert widths <= {2, 3, 5, 6}  # rules; columns; template columns; template rows


def test_the_dictionary_takes_its_descriptions_from_the_models(dictionary: dict) -> None:
    from models.schemas import WAREHOUSE_MODELS, column_descriptions, table_description

    for table in dictionary["tables"]:
        model = WAREHOUSE_MODELS.get(table["name"])
        if model is None:  # a view or a mart: described by its SQL
            continue
        assert table["description"] == table_description(model)
        assert {c["name"]: c["description"] for c in table["columns"]} == column_descriptions(model)
    labeled = next(t for t in dictionary["tables"] if t["name"] == "facts_labeled")
    described = {c["name"]: c["description"] for c in labeled["columns"]}
    # The view passes facts and catalog columns through, and says so with their descriptions.
    assert described["value"] == column_descriptions(WAREHOUSE_MODELS["facts"])["value"]
    assert described["row_label"] == column_descriptions(WAREHOUSE_MODELS["catalog_rows"])["row_label"]
    assert {r["id"] for r in dictionary["rules"]} >= {"C1", "C7", "D1"}
    assert any(r["row_label"] == "1.本机关不掌握相关政府信息" for r in dictionary["template_rows"])
