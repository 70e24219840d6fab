"""Export benchmark: `xxgk export` on a large warehouse, and reading its biggest folder back.

    .venv-test/bin/python -m bench.export --reports 20000

Builds the five sample reports, copies them inside DuckDB under new agencies and years until the
warehouse holds --reports reports (about 200 facts each), rebuilds the marts, then times `xxgk
export` (wall time and the export process's peak memory) and reading the whole `facts` folder
with pandas, polars and DuckDB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def large_warehouse(target: Path, reports: int) -> int:
    """A warehouse of about `reports` reports: the samples, copied under new agencies (·k) and
    years (+k % 4). Returns the number of reports."""
    import duckdb

    from pipelines.ingest.stage import build_warehouse
    from pipelines.warehouse import facts_store
    from pipelines.warehouse.facts_paths import facts_dir
    from pipelines.warehouse.load import build_marts

    build_warehouse(ROOT / "data" / "raw", target, workers=1)
    con = duckdb.connect(str(target))
    try:
        base = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        copies = max(1, -(-reports // base))
        renamed = (
            "substr({t}.source_sha256, 1, 56) || printf('%08x', c.i) AS source_sha256, "
            "{t}.agency || '·' || (c.i // 4) AS agency, {t}.year + (c.i % 4) AS year"
        )
        con.execute("CREATE TEMP TABLE all_facts AS SELECT * FROM facts")  # the Parquet files' rows
        for table in ("reports", "all_facts", "quality"):
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT t.* REPLACE ({renamed.format(t='t')}) "
                f"FROM {table} AS t, range(1, {copies}) AS c(i)"
            )
        root = facts_dir(target)
        facts_store.save_files(con, root, facts_store.write_all(con, "all_facts", root, "bench"), "bench")
        facts_store.publish_files(facts_store.read_files(con), target, "bench")
        con.execute("CHECKPOINT")
        total = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    finally:
        con.close()
    facts_store.sweep(target)  # the facts files of the build the copies replaced
    build_marts(target)
    return int(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports in the warehouse exported")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}, {platform.platform()}"
    )
    work = Path(tempfile.mkdtemp(prefix="xxgk-export-bench-"))
    try:
        warehouse = work / "wh" / "xxgk.duckdb"
        t = time.perf_counter()
        reports = large_warehouse(warehouse, args.reports)
        size = warehouse.stat().st_size / 2**20
        print(f"warehouse: {reports} reports ({size:,.0f} MiB), made in {time.perf_counter() - t:.0f} s")

        out = work / "export"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pipelines.warehouse.export"], cwd=ROOT, check=True)
        imports = time.perf_counter() - t
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "export", "--out", str(out), "--warehouse", str(warehouse)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - t
        if proc.returncode != 0:
            raise SystemExit(f"export failed:\n{proc.stderr[-3000:]}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        files = list(out.rglob("*.parquet"))
        mib = sum(p.stat().st_size for p in files) / 2**20
        print(
            f"export: {elapsed:.1f} s (of which {imports:.1f} s start-up: importing the export module), "
            f"{len(files)} files, {mib:,.0f} MiB, peak memory {peak:,.0f} MiB"
        )
        print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

        import duckdb
        import pandas as pd
        import polars as pl

        facts = out / "facts"
        for name, read in (
            ("pandas", lambda: len(pd.read_parquet(facts))),
            ("polars", lambda: pl.read_parquet(facts).height),
            ("duckdb", lambda: duckdb.sql(f"SELECT count(*) FROM read_parquet('{facts}/*.parquet')").fetchall()[0][0]),
        ):
            t = time.perf_counter()
            rows = read()
            print(f"read facts with {name}: {rows:,} rows in {time.perf_counter() - t:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
