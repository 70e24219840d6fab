"""Build benchmark: full build, nightly runs, and analyst-query latency at scale.

    .venv-test/bin/python -m bench.build --n 10000 --query-reports 100000

1. Generates N synthetic reports in a mix of formats (not timed), once: the corpus is cached
   in --cache (default /tmp/xxgk-bench-corpus) and hard-linked into each run's raw folder.
   Every report is generated from its own known truth (tests.generator), none derived from
   another, in a process per core: 8.1 CPU ms a report on average (DOCX 126 ms, PDF 30 ms, text
   and HTML 2 ms), so 100,000 reports are about 810 CPU s, 7 minutes on two idle cores (2,900 CPU
   s before the DOCX writer looked its cells up once; a run at 100,000 reuses the 10,000's files).
2. Full build (`xxgk build`: scan, parse in parallel, assemble, validate, load, marts, publish):
   wall time, reports per second, peak memory (this process and its parsing processes).
3. Nightly runs, each `xxgk build` as a user would run it, with its ratio to the full build:
   nothing new, 1% new files, 10 files removed, one file added.
4. A warehouse of --query-reports reports (the parsed reports replicated under new agencies and
   years) and the latency of the ten documented analyst queries on it (median of --repeat runs).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bumped whenever the generated reports change (v2: agency names the grammar reads whole).
CORPUS_VERSION = "v2"
# Share of each format in the corpus (DOCX and PDF are slow to generate, not to parse).
MIX = [
    ("text-tabs", 25),
    ("text-spaces", 10),
    ("text-cells", 10),
    ("text-pipes", 10),
    ("html", 30),
    ("pdf-ruled", 8),
    ("pdf-unruled", 5),
    ("docx", 2),
]


def _render(args: tuple[int, str, str]) -> None:
    from tests.generator import Damage, random_report, render

    k, fmt, out = args
    rng = random.Random(k)
    truth = random_report(rng, template="2021" if k % 4 else "2019")
    # A numbered sub-bureau of one of the generator's organs (…局第三分局, as 成都市公安局交通管理局
    # 第一分局 is named): about 8,000 agencies, so a nightly change reaches a few reports, as in
    # the wild. A sub-bureau of a sub-bureau (…乌苏市分局第三分局) is not a real name: such a base
    # is cut back to its organ.
    organ = _SUB_BUREAU.sub("局", truth.agency)
    truth.agency = f"{organ}第{_numeral(k % 997 + 1)}分局"
    suffix, data = render(truth, fmt, Damage(blank_zero=rng.random() < 0.5, split_labels=rng.random() < 0.3), seed=k)
    Path(out, f"r{k:06d}{suffix}").write_bytes(data)


_SUB_BUREAU = re.compile(r"局[^局]+分局$")


def _numeral(n: int) -> str:
    """1–999 in Chinese numerals (agency names are Han characters)."""
    digits = "零一二三四五六七八九"
    out = ""
    for value, unit in ((100, "百"), (10, "十")):
        if n >= value:
            out += digits[n // value] + unit
            n %= value
        elif out and n:
            out += "零"
    return out + (digits[n] if n else "")


def generate(numbers: list[int], out: Path, workers: int | None = None) -> None:
    formats = [f for f, w in MIX for _ in range(w)]
    jobs = [(k, formats[k % len(formats)], str(out)) for k in numbers]
    if not jobs:
        return
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_render, jobs, chunksize=16))


def _build(raw: Path, warehouse: Path, home: Path) -> tuple[float, float, float]:
    """Run `xxgk build` as a user would, through ./xxgk (its environment's bytecode compiled once:
    where PYTHONDONTWRITEBYTECODE is set, a Python without it compiles Dagster, pandas and pandera
    again at every start, 10–60 s); (seconds, peak MiB, CPU seconds of it and its parsing processes)."""
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    # The wrapper is a subreaper (Linux): the parse pool's fork server, orphaned when the build
    # exits, is reaped here, so its workers' CPU time and memory count too.
    script = (
        "import ctypes, os, resource, subprocess, sys\n"
        "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
        "p = subprocess.run(sys.argv[1:])\n"
        "while True:\n"
        "    try:\n"
        "        os.wait()\n"
        "    except ChildProcessError:\n"
        "        break\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(r.ru_maxrss, r.ru_utime + r.ru_stime, file=sys.stderr)\n"
        "sys.exit(p.returncode)\n"
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(ROOT / "xxgk"),
            "build",
            "--raw",
            str(raw),
            "--warehouse",
            str(warehouse),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit(f"build failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    peak_kb, cpu = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, int(peak_kb) / 1024, float(cpu)


def replicate(warehouse: Path, target: Path, reports: int) -> None:
    """A warehouse of `reports` reports: the built one, its reports copied under new agencies and
    years inside DuckDB (out of core), then the marts rebuilt."""
    import duckdb

    from pipelines.warehouse import facts_store
    from pipelines.warehouse.facts_paths import facts_dir
    from pipelines.warehouse.load import build_marts, publish, staging_path

    staging = staging_path(target)
    token = staging.name.rpartition("-")[2]
    shutil.copy(warehouse, staging)
    con = duckdb.connect(str(staging))
    try:
        # DuckDB takes 80% of the machine's memory by default: the copies of the facts (a temporary
        # table) spill to disk past this instead.
        con.execute("SET memory_limit = '2GB'")
        con.execute("SET preserve_insertion_order = false")
        base = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        con.execute("CREATE TEMP TABLE originals AS SELECT source_sha256 FROM reports")
        con.execute("CREATE TEMP TABLE all_facts AS SELECT * FROM facts")  # the Parquet files' rows
        # Keys and foreign keys would slow the copies down; the copies keep them by construction.
        statements = [
            s for s in (ROOT / "bench" / "replicate.sql").read_text(encoding="utf-8").split(";\n") if s.strip()
        ]
        copy = 1
        while base * copy < reports:
            for stmt in statements:
                params = [copy, min(base, reports - base * copy)] if "$2" in stmt else ([copy] if "$1" in stmt else [])
                con.execute(stmt, params)
            copy += 1
        root = facts_dir(target)
        facts_store.save_files(con, root, facts_store.write_all(con, "all_facts", root, token), token)
    finally:
        con.close()
    build_marts(staging)
    publish(staging, target)


def query_latency(warehouse: Path, repeat: int = 5) -> list[tuple[str, float]]:
    """Each documented question's median time over `repeat` runs (after one that warms the cache)."""
    from docs.questions import questions
    from pipelines.warehouse.query import run_query

    out = []
    for q in questions():
        run_query(q.sql, warehouse)  # warm the file cache
        p50 = statistics.median(_timed(functools.partial(run_query, q.sql, warehouse)) for _ in range(repeat))
        out.append((q.title.split(".")[0], p50))
    return out


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cached_corpus(cache: Path, name: str, n: int, start: int) -> list[Path]:
    """N generated reports numbered from `start`, generated once into cache/name and kept.

    Report k is the same file whatever N (its seed is k), so the files of any other cached corpus
    of this version are linked in and only the missing numbers are generated."""
    folder = cache / f"{CORPUS_VERSION}-{name}-{start}-{n}"
    done = folder / ".complete"
    if not done.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        wanted = range(start, start + n)
        have = {int(p.name[1:7]) for p in folder.iterdir() if p.name.startswith("r") and p.stat().st_size}
        for other in cache.glob(f"{CORPUS_VERSION}-*"):
            if other == folder or not (other / ".complete").is_file():
                continue
            _link(
                [
                    p
                    for p in other.iterdir()
                    if p.name.startswith("r") and int(p.name[1:7]) in wanted and int(p.name[1:7]) not in have
                ],
                folder,
            )
            have |= {int(p.name[1:7]) for p in other.iterdir() if p.name.startswith("r")} & set(wanted)
        generate([k for k in wanted if k not in have], folder)
        done.write_text(str(n))
    return sorted(p for p in folder.iterdir() if p.name.startswith("r"))


def _link(files: list[Path], raw: Path) -> None:
    for f in files:
        try:
            os.link(f, raw / f.name)
        except OSError:  # another file system: copy, keeping the mtime
            shutil.copy2(f, raw / f.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="reports in the generated corpus")
    parser.add_argument(
        "--query-reports", type=int, default=100_000, help="reports in the warehouse the queries run on"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (the median is printed)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xxgk-bench-corpus")
    parser.add_argument("--keep", type=Path, default=None, help="keep the raw folder and warehouse here")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    raw, warehouse, home = work / "raw", work / "wh" / "xxgk.duckdb", work / "dagster_home"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    raw.mkdir(parents=True)
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}, {platform.platform()}"
    )
    t = time.perf_counter()
    new = max(1, args.n // 100)
    base = cached_corpus(args.cache, "base", args.n, 0)
    extra = cached_corpus(args.cache, "extra", new + 1, args.n)
    _link(base, raw)
    size = sum(p.stat().st_size for p in raw.iterdir()) / 2**20
    print(
        f"corpus: {args.n} reports, {size:.0f} MiB ({', '.join(f'{f} {w}%' for f, w in MIX)}), "
        f"ready in {time.perf_counter() - t:.0f} s (cached in {args.cache})"
    )

    # ./xxgk sets up its environment on first use: not part of any build's time.
    subprocess.run([str(ROOT / "xxgk"), "--help"], cwd=ROOT, check=True, capture_output=True)
    full, peak, full_cpu = _build(raw, warehouse, home)
    print(
        f"full build:                {full:8.1f} s  {args.n / full:8.1f} reports/s  peak memory {peak:,.0f} MiB"
        f"  CPU {full_cpu:7.1f} s"
    )

    def nightly(label: str) -> None:
        seconds, peak_mib, cpu = _build(raw, warehouse, home)
        ratio = 100 * seconds / full
        print(
            f"{label:<26}{seconds:8.1f} s  {ratio:6.2f}% of the full build  peak memory {peak_mib:,.0f} MiB"
            f"  CPU {cpu:6.1f} s ({100 * cpu / full_cpu:.2f}%)"
        )

    nightly("nightly, nothing new:")
    _link(extra[:new], raw)
    nightly(f"nightly, 1% new ({new}):")
    for gone in base[:10]:
        (raw / gone.name).unlink()
    nightly("nightly, 10 removed:")
    _link(extra[new:], raw)
    nightly("adding one report:")

    big = work / "wh" / "big.duckdb"
    t = time.perf_counter()
    replicate(warehouse, big, args.query_reports)
    con_size = big.stat().st_size / 2**20
    print(
        f"query warehouse: {args.query_reports} reports ({con_size:,.0f} MiB) built in {time.perf_counter() - t:.0f} s"
    )
    for title, seconds in query_latency(big, args.repeat):
        print(f"  question {title:>2}: p50 {seconds * 1000:8.1f} ms")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark process peak memory: {usage:,.0f} MiB")


if __name__ == "__main__":
    main()
