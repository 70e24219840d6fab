"""Build benchmark: full build, nightly runs, and analyst-query latency at scale.

    .venv-test/bin/python -m bench.build --n 10000 --query-reports 100000

1. Generates N synthetic reports in a mix of formats (not timed), once: the corpus is cached
   in --cache (default /tmp/xxgk-bench-corpus) and hard-linked into each run's raw folder.
   Every report is generated from its own known truth (tests.generator), none derived from
   another, in a process per core: 8.1 CPU ms a report on average (DOCX 126 ms, PDF 30 ms, text
   and HTML 2 ms), so 100,000 reports are about 810 CPU s, 7 minutes on two idle cores (2,900 CPU
   s before the DOCX writer looked its cells up once; a run at 100,000 reuses the 10,000's files).
2. Full build (`xxgk build`: scan, parse in parallel, assemble, validate, load, marts, publish):
   wall time, reports per second, CPU time, and memory: the build's process tree (it and its
   parsing processes) sampled every 0.1 s (bench.proctree), its peak PSS and its largest single
   process, each with the Dagster step it ran in, and a table of the peaks per step.
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
from dataclasses import dataclass
from pathlib import Path

from bench.proctree import TreeSampler

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


@dataclass(frozen=True)
class Built:
    """One `xxgk build`: wall and CPU time, and its process tree's memory, sampled."""

    seconds: float
    cpu: float
    maxrss: float  # ru_maxrss of the reaped processes (MiB): one process's high-water mark, inherited at fork
    sampler: TreeSampler
    step_names: tuple[str, ...] = ()  # the Dagster run's steps, in the order they started

    def memory(self) -> str:
        """The tree's peak (PSS, and when), and the largest single process's (RSS, which, when)."""
        tree, single = self.sampler.peak()
        if tree is None or single is None or single.largest is None:
            return f"memory not sampled (the build ended before a sample saw it); ru_maxrss {self.maxrss:,.0f} MiB"
        big = single.largest
        return (
            f"tree peak {tree.pss:,.0f} MiB PSS ({tree.rss:,.0f} RSS) in {tree.stage}; largest process "
            f"{big.rss:,.0f} MiB RSS ({big.uss:,.0f} USS), {big.name}, in {single.stage}; ru_maxrss {self.maxrss:,.0f} MiB"
        )

    def steps(self) -> str:
        """Per Dagster step (and before and after the run): peak of the tree and largest process."""
        lines = [f"  {'step':<34}{'tree PSS':>9}{'tree RSS':>9}{'largest RSS':>12}  process"]
        for name, p in self.sampler.peaks().items():
            big = p.largest
            lines.append(
                f"  {name:<34}{p.tree_pss:9,.0f}{p.tree_rss:9,.0f}{big.rss if big else 0.0:12,.0f}  "
                f"{big.name if big else ''}"
            )
        peaks = self.sampler.peaks()
        for name in self.step_names:
            if name not in peaks:  # it began and ended between two samples
                lines.append(f"  {name:<34}{'not sampled: shorter than the 0.1 s between samples':>30}")
        return "\n".join(lines)


def _build(raw: Path, warehouse: Path, home: Path) -> Built:
    """Run `xxgk build` as a user would, through ./xxgk (its environment's bytecode compiled once:
    where PYTHONDONTWRITEBYTECODE is set, a Python without it compiles Dagster, pandas and pandera
    again at every start, 10–60 s), sampling its process tree's memory every 0.1 s; the samples
    are labelled with the Dagster step that ran then (from the run's event log)."""
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    # The wrapper is a subreaper (Linux): the parse pool's fork server, orphaned when the build
    # exits, is reaped here, so its workers' CPU time and memory count too (and stay in the tree
    # sampled).
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
    began = time.time()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
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
            stdout=out,
            stderr=err,
            text=True,
        )
        # The wrapper itself (a bare Python) is not the build's: only what it runs is sampled.
        sampler = TreeSampler(root=proc.pid, interval=0.1, include_root=False)
        with sampler.running():
            proc.wait()
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode not in (0, 3):
        raise SystemExit(f"build failed:\n{stdout}\n{stderr[-3000:]}")
    peak_kb, cpu = stderr.strip().splitlines()[-1].split()
    spans = _dagster_steps(home, began)
    if spans:
        sampler.label(spans, before="before the run", after="after the run", between="between steps")
    else:  # nothing to do: the cheap check answered before Dagster started
        sampler.label([], before="no Dagster run")
    names = tuple(dict.fromkeys(name for _, _, name in sorted(spans)))
    return Built(elapsed, float(cpu), int(peak_kb) / 1024, sampler, names)


def _dagster_steps(home: Path, since: float) -> list[tuple[float, float, str]]:
    """(start, end, step) of the steps of the latest Dagster run in `home`, if it started after `since`."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(home))
    try:
        runs = instance.get_runs(limit=1)
        if not runs:
            return []
        kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
        starts: dict[str, float] = {}
        spans = []
        for entry in instance.all_logs(runs[0].run_id, of_type=kinds):
            if entry.timestamp < since or entry.step_key is None or entry.dagster_event is None:
                continue
            if entry.dagster_event.event_type == dg.DagsterEventType.STEP_START:
                starts[entry.step_key] = entry.timestamp
            elif entry.step_key in starts:
                spans.append((starts.pop(entry.step_key), entry.timestamp, entry.step_key))
        return sorted(spans)
    finally:
        instance.dispose()


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
    built = _build(raw, warehouse, home)
    full, full_cpu = built.seconds, built.cpu
    print(f"full build:                {full:8.1f} s  {args.n / full:8.1f} reports/s  CPU {full_cpu:7.1f} s")
    print(f"  {built.memory()}")
    print(built.steps())

    def nightly(label: str) -> None:
        run = _build(raw, warehouse, home)
        ratio = 100 * run.seconds / full
        print(
            f"{label:<26}{run.seconds:8.1f} s  {ratio:6.2f}% of the full build"
            f"  CPU {run.cpu:6.1f} s ({100 * run.cpu / full_cpu:.2f}%)"
        )
        print(f"  {run.memory()}")

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
