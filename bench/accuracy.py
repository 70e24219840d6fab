"""Cell accuracy of the parser per format and damage profile, over a generated corpus.

    .venv-test/bin/python -m bench.accuracy --n 500

Every report is drawn at random (consistent with C1–C4), rendered in one format with one damage
profile, parsed back and compared cell by cell with the figures it was drawn from. A report that
is not read exactly must be flagged (reading `ambiguous`/`unresolved`, or the missing cells listed
as problems); the last column counts those that are not: silent errors.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipelines.template.report import parse_file
from tests.generator import FORMATS, Damage, random_report, render

PROFILES = ("clean", "blank-zero", "messy", "dropped-blanks")


def damage_for(profile: str, rng: random.Random, fmt: str) -> Damage:
    text = fmt.startswith("text-")
    if profile == "clean":
        return Damage()
    if profile == "blank-zero":
        return Damage(blank_zero=True)
    if profile == "messy":
        return Damage(
            blank_zero=rng.random() < 0.5, dash_zero=True, split_labels=True, variants=True,
            fullwidth_digits=rng.random() < 0.3,
            encoding=rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"]) if text else "utf-8",
        )
    if profile == "dropped-blanks":
        return Damage(blank_zero=True, drop_blanks=True)
    raise ValueError(profile)


@dataclass
class Outcome:
    fmt: str
    profile: str
    cells: int
    correct: int
    exact: bool
    flagged: bool
    error: str | None = None


def run_one(args: tuple[int, str, str, str]) -> Outcome:
    k, fmt, profile, tmp = args
    rng = random.Random(k)
    truth = random_report(rng, template="2021" if k % 3 else "2019")
    suffix, data = render(truth, fmt, damage_for(profile, rng, fmt), seed=k)
    path = Path(tmp) / f"r{k}{suffix}"
    path.write_bytes(data)
    try:
        report = parse_file(path)
    except Exception as exc:  # counted, not hidden
        return Outcome(fmt, profile, len(truth.values), 0, False, True, f"{type(exc).__name__}: {exc}")
    finally:
        path.unlink()
    correct = sum(1 for key, v in truth.values.items() if report.cells[key].value == v)
    correct_meta = (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
    exact = correct == len(truth.values) and correct_meta
    missing_listed = all(report.cells[k].status == "missing" for k, v in truth.values.items() if report.cells[k].value != v) and bool(report.problems)
    flagged = report.reading in ("ambiguous", "unresolved") or missing_listed
    return Outcome(fmt, profile, len(truth.values), correct, exact, flagged)


def corpus(n: int, formats: list[str]) -> list[tuple[int, str, str]]:
    jobs = []
    combos = [(f, p) for p in PROFILES for f in formats if p != "dropped-blanks" or f in ("text-tabs", "text-pipes", "text-cells")]
    for k in range(n):
        fmt, profile = combos[k % len(combos)]
        jobs.append((k, fmt, profile))
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    formats = list(FORMATS) + (["text-pdftotext"] if shutil.which("pdftotext") else [])
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.workers) as pool:
        outcomes = list(pool.map(run_one, [(k, f, p, tmp) for k, f, p in corpus(args.n, formats)], chunksize=4))
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.fmt, o.profile)].append(o)
    print(f"{'format':16s} {'profile':15s} {'reports':>7s} {'cells':>7s} {'cell acc':>9s} {'exact':>6s} {'flagged':>8s} {'silent':>7s}")
    total_cells = total_correct = silent_total = 0
    for (fmt, profile), group in sorted(groups.items(), key=lambda kv: (PROFILES.index(kv[0][1]), kv[0][0])):
        cells = sum(o.cells for o in group)
        correct = sum(o.correct for o in group)
        exact = sum(o.exact for o in group)
        flagged = sum(1 for o in group if not o.exact and o.flagged)
        silent = sum(1 for o in group if not o.exact and not o.flagged)
        total_cells, total_correct, silent_total = total_cells + cells, total_correct + correct, silent_total + silent
        print(f"{fmt:16s} {profile:15s} {len(group):7d} {cells:7d} {correct / cells:9.2%} {exact:6d} {flagged:8d} {silent:7d}")
    print(f"{'all':16s} {'':15s} {len(outcomes):7d} {total_cells:7d} {total_correct / total_cells:9.2%} "
          f"{sum(o.exact for o in outcomes):6d} {sum(1 for o in outcomes if not o.exact and o.flagged):8d} {silent_total:7d}")
    for o in outcomes:
        if o.error:
            print(f"error: {o.fmt} {o.profile}: {o.error}")


if __name__ == "__main__":
    main()
