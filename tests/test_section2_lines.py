"""Section 2 printed as a line a row, not as a table (round 19, sec2lines19): each figure read under
the column its word names, only for rows no table prints, never from section 1's narrative."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from models.catalog import CellKey, cells_for
from pipelines.formats.document import Row
from pipelines.template.report import ParsedReport, parse_file
from pipelines.template.section_tables import section2_lines
from tests.generator import TrueReport
from tests.wild_text import HEADINGS, _page_cell_pipe, render_wild, wild_report


def _report(template: str, year: int | None = None) -> tuple[TrueReport, random.Random]:
    """A drawn report of the template (and year), and the rng that drew it."""
    for seed in range(200):
        rng = random.Random(seed)
        report = wild_report(rng)
        if report.template == template and year in (None, report.year):
            return report, rng
    raise AssertionError(template)


def _page(tmp_path: Path, template: str, section1: list[str], section2: list[str] | None) -> tuple[Path, TrueReport]:
    """A pipe-table page whose section 1 gains `section1`'s paragraphs and whose section 2 is
    `section2`'s lines instead of its tables (None: the tables kept)."""
    report, rng = _report(template)
    text = _page_cell_pipe(report, rng).text()
    one = text.index("\n", text.index(HEADINGS[1])) + 1
    text = text[:one] + "".join(p + "\n" for p in section1) + text[one:]
    if section2 is not None:
        start = text.index("\n", text.index(HEADINGS[2])) + 1
        text = text[:start] + "".join(line + "\n" for line in section2) + text[text.index(HEADINGS[3]) :]
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return path, report


def _s2(report: ParsedReport, row: str) -> dict[str, float | None]:
    return {k.column_key: c.value for k, c in report.cells.items() if k.section == 2 and k.row_key == row}


_LINES_2021 = [
    "二、主动公开政府信息情况",
    "（一）规章：本年新制发0件，本年新废止0件，现行有效0件。",
    "（二）行政规范性文件：本年制发3件，废止1件，现行有效12件。",
    "（三）行政许可：本年处理决定数量125件",
    "（四）行政处罚：本年处理决定数量123,456件；行政强制：本年处理决定数量0件",
    "（五）行政事业性收费：本年收费金额（单位：万元）35.65万元",
][1:]


@pytest.mark.parametrize("seed", range(8))
def test_section2_printed_as_lines_is_read_exactly(tmp_path: Path, seed: int) -> None:
    """The generated class: both templates, with the columns' words, a row that lost its grid, no
    words; every printed cell read, a column a line leaves out missing, agency, year and template right."""
    rng = random.Random(seed)
    suffix, data, truth = render_wild("section2-lines", wild_report(rng), rng)
    path = tmp_path / f"r{suffix}"
    path.write_bytes(data)
    report = parse_file(path)
    assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
    assert {k: report.cells[k].value for k in cells_for(truth.template)} == {
        k: truth.values.get(k) for k in cells_for(truth.template)
    }
    assert not any("rows not found" in p for p in report.problems if p.startswith("section 2"))


def test_each_figure_is_read_under_the_column_its_word_names(tmp_path: Path) -> None:
    path, _ = _page(tmp_path, "2021", [], _LINES_2021)
    report = parse_file(path)
    assert _s2(report, "regulations") == {"issued": 0, "repealed": 0, "in_force": 0}
    assert _s2(report, "normative_documents") == {"issued": 3, "repealed": 1, "in_force": 12}
    assert _s2(report, "administrative_licensing") == {"decisions": 125}
    assert _s2(report, "administrative_penalty") == {"decisions": 123456}
    assert _s2(report, "administrative_coercion") == {"decisions": 0}
    assert _s2(report, "administrative_fees") == {"amount_10k_yuan": 35.65}
    assert any("printed as a line a row" in p for p in report.problems)


def test_words_in_another_order_still_name_their_columns(tmp_path: Path) -> None:
    lines = ["规章：现行有效7件，本年制发2件，本年废止1件", *_LINES_2021[1:]]
    report = parse_file(_page(tmp_path, "2021", [], lines)[0])
    assert _s2(report, "regulations") == {"issued": 2, "repealed": 1, "in_force": 7}


def test_a_line_naming_only_some_columns_gives_only_those_cells_and_says_which_are_missing(tmp_path: Path) -> None:
    lines = ["规章：本年制发2件，现行有效7件。", *_LINES_2021[1:]]
    report = parse_file(_page(tmp_path, "2021", [], lines)[0])
    assert _s2(report, "regulations") == {"issued": 2, "repealed": None, "in_force": 7}
    assert report.cells[CellKey(2, "art20_1", "regulations", "repealed")].status == "missing"
    assert any("regulations.repealed not named in it: missing" in p for p in report.problems)


def test_a_figure_after_no_column_word_is_not_read(tmp_path: Path) -> None:
    lines = ["规章：本年制发2件，累计发布5件，现行有效7件。", "行政规范性文件：共9件", *_LINES_2021[2:]]
    report = parse_file(_page(tmp_path, "2021", [], lines)[0])
    assert _s2(report, "regulations") == {"issued": 2, "repealed": None, "in_force": 7}
    assert _s2(report, "normative_documents") == {"issued": None, "repealed": None, "in_force": None}
    said = " ".join(report.problems)
    assert "5件 after no word of the row's columns: not read" in said
    assert "rows not found: normative_documents" in said


def test_a_line_without_words_is_read_in_order_only_with_one_figure_a_cell(tmp_path: Path) -> None:
    lines = ["规章：0件，1件，12件。", "行政规范性文件：3件，4件", *_LINES_2021[2:]]
    report = parse_file(_page(tmp_path, "2021", [], lines)[0])
    assert _s2(report, "regulations") == {"issued": 0, "repealed": 1, "in_force": 12}
    assert _s2(report, "normative_documents") == {"issued": None, "repealed": None, "in_force": None}


def test_section1_narrative_is_never_read_as_section2(tmp_path: Path) -> None:
    """The narrative says figures in section 2's words; section 2 prints no line for those rows:
    they stay missing, said, whatever the narrative says."""
    narrative = [
        "（一）主动公开情况。全年主动公开政府信息1234条。",
        "行政规范性文件：本年制发3件，废止1件，现行有效12件。",
        "行政许可：本年处理决定数量125件",
    ]
    lines = [_LINES_2021[0], *_LINES_2021[3:]]
    report = parse_file(_page(tmp_path, "2021", narrative, lines)[0])
    assert _s2(report, "normative_documents") == {"issued": None, "repealed": None, "in_force": None}
    assert _s2(report, "administrative_licensing") == {"decisions": None}
    assert "rows not found: normative_documents, administrative_licensing" in " ".join(report.problems)


def test_prose_inside_section2_is_not_a_line(tmp_path: Path) -> None:
    """A sentence that names a row inside it (制发规范性文件3件) is prose, not a row's line."""
    lines = ["本年度我局制发规范性文件3件，废止1件，现行有效规范性文件12件。", _LINES_2021[0], *_LINES_2021[2:]]
    report = parse_file(_page(tmp_path, "2021", [], lines)[0])
    assert _s2(report, "normative_documents") == {"issued": None, "repealed": None, "in_force": None}


def test_a_row_a_table_prints_is_never_read_from_a_line(tmp_path: Path) -> None:
    """Section 2's table is printed; a line after it in section 2's words changes no cell."""
    path, truth = _page(tmp_path, "2021", [], None)
    before = parse_file(path)
    text = path.read_text(encoding="utf-8")
    at = text.index(HEADINGS[3])
    path.write_text(text[:at] + "规章：本年制发99件，现行有效99件。\n" + text[at:], encoding="utf-8")
    after = parse_file(path)
    assert after.cells == before.cells
    assert _s2(after, "regulations")["issued"] == truth.values[CellKey(2, "art20_1", "regulations", "issued")]


def test_the_2019_form_is_told_by_its_lines_words(tmp_path: Path) -> None:
    """A 2019-form report for 2021 whose tables print no label of either template: section 2's
    words (新制作, 上一年项目) tell the template, not the year."""
    report, rng = _report("2019", 2021)
    text = _page_cell_pipe(report, rng).text()
    start = text.index("\n", text.index(HEADINGS[2])) + 1
    lines = [
        "规章：本年新制作0件，本年新公开0件，对外公开0件",
        "规范性文件：新制作2件，新公开2件，对外公开19件",
        "行政许可：上一年项目12项，本年增/减-3项，处理决定125件",
    ]
    text = text[:start] + "\n".join(lines) + "\n" + text[text.index(HEADINGS[3]) :]
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    parsed = parse_file(tmp_path / "p.txt")
    assert parsed.template == "2019"
    assert _s2(parsed, "administrative_licensing") == {"prior_year_items": 12, "change": -3, "decisions": 125}


def test_full_width_commas_part_figures_and_half_width_ones_group_thousands() -> None:
    rows = [Row(("行政处罚：0项，6，281件",), is_text=True), Row(("行政强制: 处理决定数量1,234件",), is_text=True)]
    found = section2_lines(rows, "2019", ["administrative_penalty", "administrative_coercion"])
    assert [s.text for s in found["administrative_penalty"][0].slots] == ["0项", "6", "281件"]
    assert [s.value.value for s in found["administrative_coercion"][0].slots] == [1234.0]


def test_a_label_alone_on_its_line_takes_the_words_and_figures_of_the_next(tmp_path: Path) -> None:
    """规章 on a line of its own and its words and figures on the next: the row's figures, never a
    row printed blank (0s, as printed) because nothing figure-like follows the label."""
    lines = [
        "1.规章",
        "本年制发件数3件，本年废止件数1件，现行有效件数12件；",
        "2.行政规范性文件",
        "本年制发2件，废止0件，现行有效7件",
        "行政许可",
        "本年处理决定数量125件",
        "行政处罚",
        "本年处理决定数量1件",
        "行政强制",
        "本年处理决定数量0件",
        "行政事业性收费",
        "本年收费金额0.5万元",
    ]
    report = parse_file(_page(tmp_path, "2021", [], lines)[0])
    assert _s2(report, "regulations") == {"issued": 3, "repealed": 1, "in_force": 12}
    assert _s2(report, "normative_documents") == {"issued": 2, "repealed": 0, "in_force": 7}
    assert _s2(report, "administrative_licensing") == {"decisions": 125}
    assert _s2(report, "administrative_fees") == {"amount_10k_yuan": 0.5}


def test_a_blank_row_before_a_header_with_a_year_stays_blank(tmp_path: Path) -> None:
    """A table's blank row followed by the next item's header printing a year (本年(2023)处理决定数量):
    no words tie a figure, the row stays as printed (blank)."""
    path, _ = _page(tmp_path, "2021", [], None)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("本年处理决定数量", "本年(2023)处理决定数量", 1), encoding="utf-8")
    before = {k: c.value for k, c in parse_file(path).cells.items()}
    blank = text.replace("本年处理决定数量", "本年(2023)处理决定数量", 1)
    at = blank.index("行政规范性文件")
    row_end = blank.index("第二十条", at)
    figures = "".join("|" if ch == "|" else "" for ch in blank[at:row_end])
    path.write_text(blank[:at] + "行政规范性文件 " + figures + "\n" + blank[row_end:], encoding="utf-8")
    after = parse_file(path)
    assert _s2(after, "normative_documents") == {"issued": 0, "repealed": 0, "in_force": 0}
    assert {k: c.value for k, c in after.cells.items() if k.row_key != "normative_documents"} == {
        k: v for k, v in before.items() if k.row_key != "normative_documents"
    }
