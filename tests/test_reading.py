"""Choosing which figure fills which cell: the print where it is clear, the rules where not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from models.catalog import CellKey
from pipelines.checks.findings import check_report
from pipelines.template.report import parse_file
from tests.generator import random_report, render_tabs


def _write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("blank_zero", [False, True])
def test_a_clean_tab_layout_is_read_exactly_as_printed(tmp_path: Path, seed: int, blank_zero: bool) -> None:
    truth = random_report(random.Random(seed))
    report = parse_file(_write(tmp_path, render_tabs(truth, blank_zero=blank_zero)))
    assert report.reading == "as_printed"
    assert {k: v.value for k, v in report.cells.items()} == truth.values
    assert report.agency == truth.agency
    assert report.year == truth.year


@pytest.mark.parametrize("seed", range(12))
def test_dropped_blank_cells_never_give_a_silent_wrong_reading(tmp_path: Path, seed: int) -> None:
    truth = random_report(random.Random(seed))
    report = parse_file(_write(tmp_path, render_tabs(truth, blank_zero=True, drop_blanks=True)))
    wrong = [k for k, v in truth.values.items() if report.cells[k].value != v]
    if wrong:
        assert report.reading in ("ambiguous", "unresolved")
        assert report.problems


def test_a_report_whose_printed_figures_break_c1_is_kept_as_printed_with_a_finding(tmp_path: Path) -> None:
    truth = random_report(random.Random(3))
    new = CellKey(3, "requests", "new_requests", "natural_person")
    total = CellKey(3, "requests", "new_requests", "total")
    truth.values[new] += 5
    truth.values[total] += 5  # C2 still holds for the row; C1 breaks for two columns
    report = parse_file(_write(tmp_path, render_tabs(truth)))
    assert report.reading == "unresolved"
    assert report.cells[new].value == truth.values[new]
    assert report.repairs == []
    rules = {(f.rule, f.scope) for f in check_report(report).findings}
    assert ("C1", "column natural_person") in rules
    assert ("C1", "column total") in rules


def test_a_shifted_row_is_moved_back_by_the_rules_and_the_repair_recorded(tmp_path: Path) -> None:
    truth = random_report(random.Random(5), density=0.0)
    for col, v in (("natural_person", 2.0), ("total", 2.0)):
        truth.values[CellKey(3, "requests", "new_requests", col)] = v
        truth.values[CellKey(3, "requests", "granted", col)] = v
        truth.values[CellKey(3, "requests", "total_handled", col)] = v
    lines = render_tabs(truth).split("\n")
    n = next(i for i, ln in enumerate(lines) if "（一）予以公开" in ln)
    cells = lines[n].split("\t")
    first = cells.index("2")
    assert cells[first:] == ["2", "0", "0", "0", "0", "0", "2"]
    # Extraction lost one 0 and put a stray empty cell first: the row reads one column right.
    lines[n] = "\t".join([*cells[:first], "", "2", "0", "0", "0", "0", "2"])
    report = parse_file(_write(tmp_path, "\n".join(lines)))
    assert report.cells[CellKey(3, "requests", "granted", "natural_person")].value == 2.0
    assert report.reading in ("repaired", "ambiguous")
    assert any(r.label == "（一）予以公开" for r in report.repairs)
