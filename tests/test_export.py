"""The Parquet export opens in DuckDB, polars and pyarrow, with the data dictionary beside it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pytest
from click.testing import CliRunner

from pipelines.cli import main


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, warehouse: Path) -> Path:
    root = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(main, ["export", "--out", str(root / "out"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_facts_are_partitioned_by_year(exported: Path) -> None:
    assert sorted(p.name for p in (exported / "facts").iterdir()) == ["year=2021", "year=2023"]


def test_duckdb_reads_the_export(exported: Path) -> None:
    pattern = str(exported / "facts" / "**" / "*.parquet")
    con = duckdb.connect()
    total = con.execute(
        "SELECT sum(value) FROM read_parquet(?, hive_partitioning = true) "
        "WHERE row_key = 'new_requests' AND column_key = 'total'",
        [pattern],
    ).fetchone()
    assert total == (8.0,)
    # 4 × 200 cells, and 186 of 004 (its （六）其他处理 is one row)
    count = con.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning = true)", [pattern]).fetchone()
    assert count == (986,)


def test_polars_reads_the_export(exported: Path) -> None:
    frame = pl.read_parquet(exported / "mart_agency_year", hive_partitioning=True)
    assert frame.height == 5
    assert frame.filter(pl.col("agency") == "海东市生态环境局").get_column("year").to_list() == [2023]


def test_pyarrow_reads_the_export(exported: Path) -> None:
    table = ds.dataset(exported / "facts", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 986


def test_the_dictionary_describes_every_exported_table(exported: Path) -> None:
    dictionary = json.loads((exported / "dictionary.json").read_text(encoding="utf-8"))
    names = {t["name"] for t in dictionary["tables"]}
    assert {"facts", "reports", "dim_agency", "mart_agency_year", "quality", "findings"} <= names
    assert names == {p.name for p in exported.iterdir() if p.is_dir()}
    facts = next(t for t in dictionary["tables"] if t["name"] == "facts")
    value = next(c for c in facts["columns"] if c["name"] == "value")
    assert value["type"] == "DOUBLE"
    assert "blank" in value["description"]
    assert facts["description"]
    assert facts["partitioned_by"] == ["year"]
    assert {r["id"] for r in dictionary["rules"]} >= {"C1", "C7"}
    assert any(r["row_label"] == "1.本机关不掌握相关政府信息" for r in dictionary["template_rows"])
    assert "## facts" in (exported / "DICTIONARY.md").read_text(encoding="utf-8")


def test_the_dictionary_takes_its_descriptions_from_the_models(exported: Path) -> None:
    from models.schemas import WAREHOUSE_MODELS, column_descriptions, table_description

    dictionary = json.loads((exported / "dictionary.json").read_text(encoding="utf-8"))
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
