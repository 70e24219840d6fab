"""Storage benchmark: the facts as Hive-partitioned Parquet on a large warehouse.

    .venv-test/bin/python -m bench.storage --reports 20000

Makes a warehouse of --reports reports (bench.export's: the five samples copied inside DuckDB
under new agencies and years), then prints: the facts folder (files, size) beside the DuckDB
file; what a nightly change of one agency costs (its reports' rows replaced: the partitions
rewritten, against rewriting every file); and a query on the view and the folder read whole by
DuckDB, polars and pyarrow.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path


def _size(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 2**20


def main() -> None:
    import duckdb
    import polars as pl
    import pyarrow.dataset as ds

    from bench.export import large_warehouse
    from pipelines.warehouse import facts_store
    from pipelines.warehouse.facts_paths import facts_dir, pinned_dir
    from pipelines.warehouse.query import run_query

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports in the warehouse")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    work = Path(tempfile.mkdtemp(prefix="xxgk-storage-bench-"))
    try:
        warehouse = work / "wh" / "xxgk.duckdb"
        t = time.perf_counter()
        reports = large_warehouse(warehouse, args.reports)
        made = time.perf_counter() - t
        root = facts_dir(warehouse)
        files = sorted(root.rglob("*.parquet"))
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            facts = con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
            current = facts_store.read_files(con)
            agency = con.execute(
                "SELECT agency FROM reports GROUP BY agency ORDER BY count(*) DESC, agency LIMIT 1"
            ).fetchall()[0][0]
            reports_of = con.sql(
                "SELECT source_sha256, agency, year FROM reports WHERE agency = ?", params=[agency]
            ).pl()
            changed = con.sql(
                "SELECT * REPLACE (value + 1 AS value) FROM facts WHERE source_sha256 IN (SELECT source_sha256 FROM"
                " reports WHERE agency = ?)",
                params=[agency],
            ).pl()
        finally:
            con.close()
        print(
            f"warehouse: {reports:,} reports, {facts:,} facts, made in {made:.0f} s; DuckDB file "
            f"{warehouse.stat().st_size / 2**20:,.1f} MiB, facts folder {len(files)} files {_size(files):,.1f} MiB"
        )

        # A nightly change of one agency: its reports' rows replaced in the partitions they are in.
        t = time.perf_counter()
        after = facts_store.write_partitions(
            root,
            "night",
            current,
            changed,
            drop=reports_of.get_column("source_sha256").to_list(),
            touched=facts_store.partitions_of(reports_of),
        )
        night = time.perf_counter() - t
        written = [pinned_dir(root) / f.file for f in after if facts_store.written_by(f.file, "night")]
        print(
            f"nightly change of one agency ({reports_of.height} reports, {changed.height:,} facts): "
            f"{len(written)} of {len(after)} files rewritten ({_size(written):,.2f} MiB) in {night:.2f} s"
        )
        for path in written:
            path.unlink()

        # The same change by rewriting every file (what an unpartitioned store would do).
        everything = pl.read_parquet(files, hive_partitioning=False)
        t = time.perf_counter()
        whole = work / "whole.parquet"
        everything.write_parquet(whole, compression="zstd")
        print(
            f"rewriting every fact instead: {whole.stat().st_size / 2**20:,.2f} MiB in {time.perf_counter() - t:.2f} s"
        )
        del everything

        sql = "SELECT year, count(*) AS cells, sum(value) AS total FROM facts WHERE year = 2023 GROUP BY year"
        run_query(sql, warehouse)
        t = time.perf_counter()
        rows = run_query(sql, warehouse).rows
        print(f"xxgk query on the view (one year): {rows} in {time.perf_counter() - t:.2f} s")
        for name, read in (
            (
                "duckdb",
                lambda: duckdb.sql(f"SELECT count(*) FROM read_parquet('{root}/**/*.parquet')").fetchall()[0][0],
            ),
            ("polars", lambda: pl.scan_parquet(root, hive_partitioning=True).select(pl.len()).collect().item()),
            ("pyarrow", lambda: ds.dataset(root, format="parquet", partitioning="hive").count_rows()),
        ):
            t = time.perf_counter()
            n = read()
            print(f"folder read whole by {name}: {n:,} rows counted in {time.perf_counter() - t:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
