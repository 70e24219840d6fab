"""Placement: which printed figure fills which cell, and when the rules alone prove it."""

from __future__ import annotations

import random
from pathlib import Path

from models.rules import RuleInstance, rule_instances
from pipelines.formats import read_document
from pipelines.formats.document import Row
from pipelines.template.metadata import read_metadata
from pipelines.template.placement import _best_placement, _proven_reading
from pipelines.template.printed_lines import PrintedLine
from pipelines.template.section_tables import read_section3, read_section4
from pipelines.template.sections import split_sections
from tests.generator import Damage, random_report, render
from tests.wild_text import render_wild, wild_report

_SECTION4_HEAD = (
    "行政复议行政诉讼",
    "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉",
    "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计",
)


def _ruled(path: Path) -> tuple[list[PrintedLine], list[RuleInstance]]:
    """A report's section-3 and section-4 lines and the rules over the cells they print."""
    doc = read_document(path)
    template = read_metadata(doc).template
    assert template is not None
    parts = split_sections(doc)
    s3 = read_section3(parts.get(3, []), template)
    s4 = read_section4(parts.get(4, []), template)
    lines = s3.lines + s4.lines
    present = {t for line in lines for t in line.targets}
    rules = rule_instances(template, [line.targets[0].row_key for line in s3.lines])
    return lines, [r for r in rules if present.issuperset(r.cell_tuple)]


def _section4(run: str) -> tuple[list[PrintedLine], list[RuleInstance]]:
    """Section 4 printed as one run of digits, and C4 over its cells."""
    lines = read_section4([Row((line,), is_text=True) for line in (*_SECTION4_HEAD, run)], "2021").lines
    present = {t for line in lines for t in line.targets}
    return lines, [r for r in rule_instances("2021", []) if present.issuperset(r.cell_tuple)]


def test_a_reading_the_rules_prove_unique_is_the_solvers_best_with_no_other(tmp_path: Path) -> None:
    proven = 0
    for k in range(12):
        rng = random.Random(10_000 + k)
        _, data, _ = render_wild("web-runtogether", wild_report(rng), rng)
        path = tmp_path / f"runtogether-{k}.txt"
        path.write_bytes(data)
        lines, rules = _ruled(path)
        reading = _proven_reading(lines, rules)
        assert reading is not None, k
        solved = _best_placement(lines, rules, {})
        assert solved is not None
        assert (reading.positions, reading.cuts) == (solved.positions, solved.cuts), k
        assert reading.alternative is None, k
        assert solved.alternative is None, k
        proven += 1
    # Section 4's fifteen cells in one digit string: 25 cuts, C4 leaves one.
    lines, rules = _section4("10203120001200000")
    reading = _proven_reading(lines, rules)
    assert reading is not None
    solved = _best_placement(lines, rules, {})
    assert solved is not None
    assert reading.cuts == solved.cuts
    (cut,) = reading.cuts
    assert cut is not None
    assert [s.value.value for s in lines[0].readings[cut]] == [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]
    assert proven == 12


def test_a_reading_the_rules_leave_open_is_left_to_the_solver(tmp_path: Path) -> None:
    # 11|0|10|1|22 and 1|10|10|1|22 both satisfy C4: the solver names the alternative.
    lines, rules = _section4("110101220101102120002")
    assert _proven_reading(lines, rules) is None
    solved = _best_placement(lines, rules, {})
    assert solved is not None
    assert solved.alternative is not None
    # Text that lost its blank cells: the figures of a row fit several columns.
    open_reports = 0
    for k in range(4):
        truth = random_report(random.Random(k), template="2021")
        suffix, data = render(truth, "text-tabs", Damage(blank_zero=True, drop_blanks=True), seed=k)
        path = tmp_path / f"dropped-{k}{suffix}"
        path.write_bytes(data)
        lines, rules = _ruled(path)
        solved = _best_placement(lines, rules, {})
        if solved is not None and solved.alternative is not None:
            assert _proven_reading(lines, rules) is None, k
            open_reports += 1
    assert open_reports > 0


def test_a_print_no_reading_of_which_satisfies_the_rules_is_left_to_the_solver() -> None:
    # Section 4 with its totals off by one: no cut of the run satisfies C4.
    lines, rules = _section4("10203120001300000")
    assert _proven_reading(lines, rules) is None
    assert _best_placement(lines, rules, {}) is None
