"""Facts benchmark: what a night writes into the facts files, base + delta against one file a partition.

    .venv-test/bin/python -m bench.facts_night --reports 10000 --nights 16

Writes a facts store of --reports reports (200 facts each: agencies reporting over 2016-2023,
generated here, not parsed) as a full build does (facts_store.write_streamed), then replays
--nights nights, each adding --new (1%) new reports of existing agencies and years, once for each
of --layouts: `spread`, each partition a base and a delta folded at the base's own share
(facts_store.FOLD_FRACTION, FOLD_SPREAD); `one-share`, every base folded at FOLD_FRACTION (the
layout before the spread); `one-file`, one file a partition (a fold fraction of 0: the layout
before deltas). Prints, per night and layout, the facts rows and files written, the most files a
reader opens in one partition, and the process CPU seconds of facts_store.write_partitions (CPU,
not wall time: the machine is shared), then the means and the largest night. Superseded files are
deleted between nights (no sweep: the night's write is what is measured).
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from pipelines.tables.frames import FACT_SCHEMA
from pipelines.warehouse import facts_store
from pipelines.warehouse.facts_paths import pinned_dir

YEARS = range(2016, 2024)
# name, fold fraction, fold spread (write_partitions)
LAYOUTS = {
    "spread": ("base+delta", facts_store.FOLD_FRACTION, facts_store.FOLD_SPREAD),
    "one-share": ("base+delta, one share", facts_store.FOLD_FRACTION, 0.0),
    "one-file": ("one file a partition", 0.0, 0.0),
}
CELLS = 200
_BATCH_REPORTS = 2_000  # as the parse store's segments: 400,000 facts a batch


def _cells() -> pl.DataFrame:
    c = pl.int_range(CELLS, eager=True).alias("cell")
    return pl.DataFrame(c).with_columns(
        table_key=pl.format("t{}", pl.col("cell") // 50),
        row_key=pl.format("r{}", pl.col("cell") // 5),
        column_key=pl.format("c{}", pl.col("cell") % 5),
        section=(pl.col("cell") // 50 + 2).cast(pl.Int8),
    )


def facts_of(reports: pl.DataFrame) -> pl.DataFrame:
    """The generated facts of `reports` (seq, agency, year): 200 cells each, small counts."""
    frame = reports.join(_cells(), how="cross").with_columns(
        value=((pl.col("cell") * 7 + pl.col("seq") * 13) % 23).cast(pl.Float64),
        source_sha256=pl.col("seq").hash(17).cast(pl.String).str.zfill(64),
        source_file=pl.format("r{}.pdf", pl.col("seq")),
        template=pl.lit("2021"),
        value_status=pl.lit("number"),
        ocr_confidence=pl.lit(None, dtype=pl.Float64),
    )
    frame = frame.with_columns(raw_text=pl.col("value").cast(pl.Int64).cast(pl.String))
    return frame.select(list(FACT_SCHEMA)).cast(FACT_SCHEMA)  # type: ignore[arg-type]


def store_reports(n: int) -> pl.DataFrame:
    """n reports: agencies reporting every year of YEARS (the last agency perhaps fewer)."""
    seq = pl.int_range(n, eager=True).alias("seq")
    return pl.DataFrame(seq).with_columns(
        agency=pl.format("机构{}", pl.col("seq") // len(YEARS)),
        year=(pl.col("seq") % len(YEARS) + YEARS.start).cast(pl.Int32),
    )


def night_reports(rng: random.Random, start: int, count: int, agencies: int) -> pl.DataFrame:
    """`count` new reports (seq from `start`) of existing agencies and years, at random."""
    picks = [(f"机构{rng.randrange(agencies)}", rng.choice(YEARS)) for _ in range(count)]
    return pl.DataFrame(
        {
            "seq": range(start, start + count),
            "agency": [a for a, _ in picks],
            "year": [y for _, y in picks],
        },
        schema={"seq": pl.Int64, "agency": pl.String, "year": pl.Int32},
    )


def _batches(reports: pl.DataFrame) -> Iterator[pl.DataFrame]:
    for i in range(0, reports.height, _BATCH_REPORTS):
        yield facts_of(reports.slice(i, _BATCH_REPORTS))


def _full(root: Path, reports: pl.DataFrame, in_memory_rows: int) -> tuple[list[facts_store.FactsFile], float]:
    start = time.process_time()
    files = facts_store.write_streamed(root, "full", _batches(reports), in_memory_rows=in_memory_rows)
    return files, time.process_time() - start


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000, help="reports in the store")
    parser.add_argument("--nights", type=int, default=16)
    parser.add_argument("--new", type=float, default=0.01, help="new reports a night, a share of --reports")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--layouts", nargs="+", choices=list(LAYOUTS), default=list(LAYOUTS))
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; {_load()}")
    work = Path(tempfile.mkdtemp(prefix="xxgk-facts-night-"))
    try:
        reports = store_reports(args.reports)
        facts = reports.height * CELLS
        held, cpu_held = _full(work / "held.facts", reports, facts_store.IN_MEMORY_FACTS)
        print(
            f"store: {reports.height:,} reports, {facts:,} facts, {len(held)} files; full write "
            f"{'held and written at once' if facts <= facts_store.IN_MEMORY_FACTS else 'streamed'}: {cpu_held:.1f} CPU s, "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB"
        )
        if facts <= facts_store.IN_MEMORY_FACTS:
            _, cpu_streamed = _full(work / "streamed.facts", reports, 0)
            shutil.rmtree(pinned_dir(work / "streamed.facts"))
            print(f"  the same through the scratch streams (in_memory_rows=0): {cpu_streamed:.1f} CPU s ({_load()})")
        per_night = max(1, round(args.reports * args.new))
        summary = {}
        for layout in args.layouts:
            name, fraction, spread = LAYOUTS[layout]
            root = work / layout
            shutil.copytree(pinned_dir(work / "held.facts"), pinned_dir(root), copy_function=os.link)
            current = held
            rng = random.Random(args.seed)  # the same nights for both layouts
            seq, total = args.reports, facts
            written_rows, cpus, widest = [], [], 0
            print(f"{name} (fold at {fraction:g} × 1 ± {spread:g} of the base):")
            for night in range(1, args.nights + 1):
                new = facts_of(night_reports(rng, seq, per_night, args.reports // len(YEARS)))
                seq += per_night
                token = f"n{night}"
                start, wall = time.process_time(), time.perf_counter()
                after = facts_store.write_partitions(
                    root, token, current, new, fold_fraction=fraction, fold_spread=spread
                )
                cpu, wall = time.process_time() - start, time.perf_counter() - wall
                written = [f for f in after if facts_store.written_by(f.file, token)]
                rows = sum(f.rows for f in written)
                total += new.height
                for gone in {f.file for f in current} - {f.file for f in after}:
                    (pinned_dir(root) / gone).unlink()
                current = after
                written_rows.append(rows / total)
                cpus.append(cpu)
                reads = max(collections.Counter((f.year, f.bucket) for f in after).values())
                widest = max(widest, reads)
                print(
                    f"  night {night:2}: {new.height:,} new facts; wrote {rows:,} rows ({rows / total:.1%} of "
                    f"{total:,}) in {len(written)} files, {sum(f.delta for f in written)} deltas; "
                    f"at most {reads} files a partition; {cpu:.2f} CPU s, {wall:.2f} s wall; {_load()}"
                )
            summary[name] = (written_rows, cpus, widest)
        for name, (shares, cpus, widest) in summary.items():
            print(
                f"{name}: {sum(shares) / len(shares):.1%} of the facts written a night on average "
                f"(largest night {max(shares):.1%}); CPU s a night {sum(cpus) / len(cpus):.2f} "
                f"(min {min(cpus):.2f}, max {max(cpus):.2f}); at most {widest} files a partition"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
