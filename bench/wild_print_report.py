"""How the parser reads the layout classes of real publishers (tests.wild_print, tests.wild_html), per class.

    .venv-test/bin/python -m bench.wild_print_report --n 20 [--classes html-word pdf-wps] [--examples 5]

Per class: share of truth cells read right (an absent cell is right only if the parser gives it
no value), files read exactly (every cell, agency, year and template), agency right, year right,
and silent errors: reports with a wrong cell, agency or year while the reading is as_printed or
repaired and no problem names it (the row key or the section for a cell, "agency"/"year").
A file the parser refuses (an exception) is counted as loud, not silent.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from models.catalog import CellKey
from pipelines.template.report import ParsedReport, parse_file
from tests.wild_html import CLASSES as HTML_CLASSES
from tests.wild_html import draw, render_with_features
from tests.wild_print import CLASSES as PRINT_CLASSES
from tests.wild_print import WildTruth

# The print layouts (tests.wild_print) and the markup CMS pages serve (tests.wild_html).
CLASSES = PRINT_CLASSES + HTML_CLASSES


@dataclass
class Score:
    cls: str
    seed: int
    feats: frozenset[str]
    cells: int = 0
    correct: int = 0
    agency_ok: bool = False
    year_ok: bool = False
    template_ok: bool = False
    reading: str = "error"
    silent: bool = False
    error: str | None = None
    # (row_key, column_key, read value, raw text, true value or "absent")
    wrong: list[tuple[str, str, float | None, str | None, float | str]] = field(default_factory=list)
    truth_meta: tuple[str, int, str] = ("", 0, "")
    read_meta: tuple[str | None, int | None, str | None] = (None, None, None)
    problems: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return (
            self.error is None and self.correct == self.cells and self.agency_ok and self.year_ok and self.template_ok
        )


def _named(key: CellKey, problems: list[str]) -> bool:
    """A problem names a cell by its row key or its section."""
    return any(
        key.row_key in p or p.startswith((f"section {key.section}:", f"section {key.section} ")) for p in problems
    )


def score(
    truth: WildTruth, report: ParsedReport, cls: str = "", seed: int = 0, feats: frozenset[str] = frozenset()
) -> Score:
    out = Score(
        cls,
        seed,
        feats,
        truth_meta=(truth.agency, truth.year, truth.template),
        read_meta=(report.agency, report.year, report.template),
        problems=list(report.problems),
    )
    unnamed = False
    for key, true in [*truth.values.items(), *((k, None) for k in truth.absent)]:
        out.cells += 1
        cell = report.cells.get(key)
        got = None if cell is None or cell.status == "missing" else cell.value
        if got == true:
            out.correct += 1
            continue
        out.wrong.append(
            (
                key.row_key,
                key.column_key,
                got,
                None if cell is None else cell.raw_text,
                "absent" if true is None else true,
            )
        )
        unnamed = unnamed or not _named(key, report.problems)
    out.agency_ok = report.agency == truth.agency
    out.year_ok = report.year == truth.year
    out.template_ok = report.template == truth.template
    unnamed = unnamed or (not out.agency_ok and not any("agency" in p for p in report.problems))
    unnamed = unnamed or (not out.year_ok and not any("year" in p for p in report.problems))
    out.reading = report.reading
    out.silent = unnamed and report.reading in ("as_printed", "repaired")
    return out


def run_one(args: tuple[str, int, str]) -> Score:
    cls, k, tmp = args
    rng = random.Random(f"{cls}:{k}")
    truth = draw(cls, rng)
    suffix, data, feats = render_with_features(cls, truth, rng)
    path = Path(tmp) / f"{cls}-{k}{suffix}"
    path.write_bytes(data)
    try:
        report = parse_file(path)
    except Exception as exc:  # counted as loud, never hidden
        cells = len(truth.values) + len(truth.absent)
        return Score(
            cls,
            k,
            feats,
            cells=cells,
            error=f"{type(exc).__name__}: {exc}",
            truth_meta=(truth.agency, truth.year, truth.template),
        )
    finally:
        path.unlink()
    return score(truth, report, cls, k, feats)


def table(scores: list[Score]) -> str:
    by_class: dict[str, list[Score]] = defaultdict(list)
    for s in scores:
        by_class[s.cls].append(s)
    lines = [
        f"{'class':22s} {'reports':>7s} {'cells right':>11s} {'exact':>6s} {'agency':>7s} {'year':>5s} "
        f"{'template':>8s} {'errors':>6s} {'silent':>6s}"
    ]
    for cls, group in by_class.items():
        cells = sum(s.cells for s in group)
        correct = sum(s.correct for s in group)
        lines.append(
            f"{cls:22s} {len(group):7d} {correct / cells:11.2%} {sum(s.exact for s in group):6d} "
            f"{sum(s.agency_ok for s in group):7d} {sum(s.year_ok for s in group):5d} "
            f"{sum(s.template_ok for s in group):8d} "
            f"{sum(s.error is not None for s in group):6d} {sum(s.silent for s in group):6d}"
        )
    return "\n".join(lines)


def breakdown(scores: list[Score]) -> str:
    """Per class and damage feature: files with it, and how many of those were read exactly."""
    lines = []
    for cls in dict.fromkeys(s.cls for s in scores):
        group = [s for s in scores if s.cls == cls]
        feats = Counter(f for s in group for f in s.feats)
        exact = Counter(f for s in group if s.exact for f in s.feats)
        lines.append(f"{cls}: " + ", ".join(f"{f} {exact[f]}/{n}" for f, n in sorted(feats.items())))
    return "\n".join(lines)


def examples(scores: list[Score], n: int) -> str:
    lines = []
    for s in [s for s in scores if not s.exact][:n]:
        lines.append(f"- {s.cls} #{s.seed} [{', '.join(sorted(s.feats))}] reading={s.reading} silent={s.silent}")
        if s.error:
            lines.append(f"    error: {s.error}")
        if s.read_meta != s.truth_meta:
            lines.append(f"    meta read {s.read_meta}, true {s.truth_meta}")
        for w in s.wrong[:6]:
            lines.append(f"    {w[0]}/{w[1]}: read {w[2]} (printed {w[3]!r}), true {w[4]}")
        if len(s.wrong) > 6:
            lines.append(f"    … {len(s.wrong) - 6} more wrong cells")
        for p in s.problems[:3]:
            lines.append(f"    problem: {p[:160]}")
    return "\n".join(lines)


def measure(classes: list[str], n: int, workers: int = 2) -> list[Score]:
    jobs = [(cls, k) for cls in classes for k in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        if workers <= 1:
            return [run_one((c, k, tmp)) for c, k in jobs]
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(run_one, [(c, k, tmp) for c, k in jobs], chunksize=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="reports per class")
    parser.add_argument("--classes", nargs="+", default=list(CLASSES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--examples", type=int, default=0, help="print this many failing reports per class")
    args = parser.parse_args()
    scores = measure(args.classes, args.n, args.workers)
    print(table(scores))
    print()
    print(breakdown(scores))
    if args.examples:
        for cls in args.classes:
            print()
            print(examples([s for s in scores if s.cls == cls], args.examples))


if __name__ == "__main__":
    main()
