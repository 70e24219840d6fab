"""Accuracy on real reports: the five seeds (hand-transcribed golden files) and the nine real
excerpts (cells transcribed by hand in tests/test_real_excerpts.py, agency and year from their
manifest). Printed by `bench.accuracy --real`.

Every cell of the template is scored: a cell the file does not print is right only if read as
missing. A report is exact when every cell, the agency, the year and the template are right; a
silent error is a wrong cell or agency in a report whose reading claims to be clean (as_printed or
repaired) and whose problems do not name that row or the agency.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from pipelines.template.report import ParsedReport, parse_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw"
GOLDEN = ROOT / "tests" / "golden"
EXCERPTS = ROOT / "tests" / "fixtures" / "real_excerpts"


@dataclass(frozen=True)
class RealOutcome:
    group: str
    file: str
    cells: int
    correct: int
    exact: bool
    agency_ok: bool
    year_ok: bool
    silent: bool


def _score(
    group: str,
    report: ParsedReport,
    truth: dict[tuple[str, str, str], float | None],
    agency: str,
    year: int,
    template: str,
) -> RealOutcome:
    keys = {(k.table_key, k.row_key, k.column_key): k for k in report.cells}
    wrong = [
        key
        for key in set(keys) | set(truth)
        if (report.cells[keys[key]].value if key in keys else None) != truth.get(key)
    ]
    agency_ok, year_ok = report.agency == agency, report.year == year
    clean = report.reading in ("as_printed", "repaired")
    said = " ".join(report.problems)
    silent = clean and (
        any(k[1] not in said for k in wrong) or (not agency_ok and report.agency is not None and "agency" not in said)
    )
    exact = not wrong and agency_ok and year_ok and report.template == template
    return RealOutcome(
        group,
        report.source_file,
        len(set(keys) | set(truth)),
        len(set(keys) | set(truth)) - len(wrong),
        exact,
        agency_ok,
        year_ok,
        silent,
    )


def seed_outcomes() -> list[RealOutcome]:
    with open(GOLDEN / "metadata.csv", encoding="utf-8", newline="") as fh:
        meta = {r["file"]: r for r in csv.DictReader(fh)}
    out = []
    for name, m in sorted(meta.items()):
        with open(GOLDEN / f"{Path(name).stem}.csv", encoding="utf-8", newline="") as fh:
            truth: dict[tuple[str, str, str], float | None] = {
                (r["table_key"], r["row_key"], r["column_key"]): float(r["value"]) for r in csv.DictReader(fh)
            }
        out.append(_score("seeds", parse_file(SEEDS / name), truth, m["agency"], int(m["year"]), m["template"]))
    return out


def excerpt_outcomes() -> list[RealOutcome]:
    from tests.test_real_excerpts import PRINTED

    with open(EXCERPTS / "manifest.csv", encoding="utf-8", newline="") as fh:
        meta = {r["file"]: r for r in csv.DictReader(fh)}
    out = []
    for name, m in sorted(meta.items()):
        report = parse_file(EXCERPTS / name)
        by_row: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for k in report.cells:
            by_row.setdefault((k.table_key, k.row_key), []).append((k.table_key, k.row_key, k.column_key))
        truth: dict[tuple[str, str, str], float | None] = dict.fromkeys(
            (k.table_key, k.row_key, k.column_key) for k in report.cells
        )
        for row, values in PRINTED[name].items():
            truth.update(zip(by_row[row], values, strict=False))
        out.append(_score("real excerpts", report, truth, m["agency"], int(m["year"]), m["template"]))
    return out


def real_table() -> None:
    outcomes = [*seed_outcomes(), *excerpt_outcomes()]
    print(
        f"{'real reports':16s} {'files':>6s} {'cells':>7s} {'cells ok':>9s} {'exact':>6s} {'agency':>7s} {'year':>5s} {'silent':>7s}"
    )
    for group in ("seeds", "real excerpts"):
        g = [o for o in outcomes if o.group == group]
        cells = sum(o.cells for o in g)
        print(
            f"{group:16s} {len(g):6d} {cells:7d} {sum(o.correct for o in g) / cells:9.2%} {sum(o.exact for o in g):6d} "
            f"{sum(o.agency_ok for o in g):7d} {sum(o.year_ok for o in g):5d} {sum(o.silent for o in g):7d}"
        )
    for o in outcomes:
        if not o.exact:
            print(
                f"  not exact: {o.group}/{o.file}: {o.correct}/{o.cells} cells, agency {'ok' if o.agency_ok else 'wrong'}"
            )
