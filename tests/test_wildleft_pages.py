"""Classes that earlier real-page rounds left open (docs/real-pages.md, "Real pages: the classes left open"):
one test per behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.vocab import ValueStatus
from pipelines.template.report import NotAReport, parse_file
from tests.text_pages import cell_value, write_page

_HEADER = (
    "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结果 结果 其他 尚未 总\n"
    "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n"
    "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n"
)


def _flip_page(figures: str, before: str = "") -> str:
    """A flip-book's page 8 of a 2022 report: section 4 alone, then section 5."""
    return (
        "Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告\nP. 8\n"
        + before
        + "四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n"
        + _HEADER
        + figures
        + "\n五、政府信息公开工作存在的主要问题及改进情况\n本局将继续改进政府信息公开工作。\n"
    )


def test_a_page_of_section_4_alone_gives_its_cells_and_says_the_rest_is_missing(tmp_path: Path) -> None:
    report = parse_file(write_page(tmp_path, _flip_page("1 0 0 1 2 0 0 0 0 0 0 1 0 0 1")))
    assert (report.agency, report.year, report.template) == ("威海市文登区信访局", 2022, "2021")
    assert cell_value(report, 4, "review_litigation", "administrative_review", "total") == 2
    assert cell_value(report, 4, "review_litigation", "litigation_after_review", "corrected") == 1
    # the page's header (…信访局…) is no row of section 3 (信访举报投诉类申请): sections 2 and 3 missing
    assert all(c.status == ValueStatus.MISSING for k, c in report.cells.items() if k.section in (2, 3))
    assert any("only section 4's table is printed" in p for p in report.problems)


def test_section_4_labels_without_a_figure_are_no_report(tmp_path: Path) -> None:
    with pytest.raises(NotAReport):
        parse_file(write_page(tmp_path, _flip_page("")))


def test_a_page_of_section_4_that_opens_on_section_3s_last_row_reads_that_row(tmp_path: Path) -> None:
    page = _flip_page("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", before="四、结转下年度继续办理 2 0 0 0 0 0 2\n")
    report = parse_file(write_page(tmp_path, page))
    assert cell_value(report, 3, "requests", "carried_forward", "natural_person") == 2
    assert cell_value(report, 3, "requests", "carried_forward", "total") == 2
    assert cell_value(report, 4, "review_litigation", "administrative_review", "total") == 0


def _section2_page(rows: dict[str, list[str]]) -> str:
    """A 2019-form page, one cell per line, whose section-2 rows print only the figures given (the
    empty cells of merged columns not printed), then section 3's first row in full."""
    cells = ["第二十条第(一)项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    for label in ("规章", "规范性文件"):
        cells += [label, *rows.get(label, ["0", "0", "0"])]
    cells += ["第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    cells += ["行政许可", *rows.get("行政许可", ["0", "0", "0"])]
    cells += ["第二十条第(八)项", "信息内容", "上一年项目数量", "本年增/减"]
    cells += ["行政事业性收费", *rows.get("行政事业性收费", ["0", "0"])]
    cells += ["第二十条第(九)项", "信息内容", "采购项目数量", "采购总金额"]
    cells += ["政府集中采购", *rows.get("政府集中采购", ["0", "0"])]
    cells += ["三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量", *["0"] * 7]
    return "前进区教育局2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n" + "\n".join(cells) + "\n"


def _row_values(report, table: str, row: str, columns: tuple[str, ...]) -> list[float | None]:  # type: ignore[no-untyped-def]
    return [cell_value(report, 2, table, row, c) for c in columns]


_ART20_5 = ("prior_year_items", "change", "decisions")


def test_a_lone_zero_under_merged_columns_is_no_guess(tmp_path: Path) -> None:
    # 行政事业性收费 then 0: wherever the 0 sits, both cells are 0 (the other one blank)
    report = parse_file(write_page(tmp_path, _section2_page({"行政事业性收费": ["0"]})))
    assert _row_values(report, "art20_8", "administrative_fees", ("prior_year_items", "change")) == [0, 0]
    assert not any("administrative_fees" in p for p in report.problems)
    assert report.reading == "as_printed"


def test_a_lone_negative_figure_sits_under_the_change_column(tmp_path: Path) -> None:
    # C5: only 本年增/减 may be negative
    report = parse_file(write_page(tmp_path, _section2_page({"行政许可": ["-7"]})))
    assert _row_values(report, "art20_5", "administrative_licensing", _ART20_5) == [0, -7, 0]
    assert report.reading == "as_printed"


def test_a_lone_amount_with_decimals_sits_under_the_amount_column(tmp_path: Path) -> None:
    report = parse_file(write_page(tmp_path, _section2_page({"政府集中采购": ["477.35"]})))
    row = ("procurement_items", "procurement_amount")
    assert _row_values(report, "art20_9", "centralized_procurement", row) == [0, 477.35]


def test_a_lone_count_under_columns_of_counts_is_a_guess_said(tmp_path: Path) -> None:
    report = parse_file(write_page(tmp_path, _section2_page({"行政许可": ["270"]})))
    assert report.reading == "ambiguous"
    assert any("administrative_licensing" in p and "cannot be told apart" in p for p in report.problems)


def test_a_lone_paragraph_of_digits_where_figures_print_apart_is_one_figure(tmp_path: Path) -> None:
    # the page prints one figure per line: 规章 then 100 is one figure, never 1|0|0 run together
    report = parse_file(write_page(tmp_path, _section2_page({"规章": ["100"]})))
    values = _row_values(report, "art20_1", "regulations", ("newly_made", "newly_published", "total_published"))
    assert sorted(values) == [0, 0, 100]  # type: ignore[type-var]
    assert report.reading == "ambiguous"


def test_a_run_glued_to_its_label_is_still_cut_where_other_figures_print_apart(tmp_path: Path) -> None:
    # 规章555 runs its figures together: the text is no page of one figure per line
    page = _section2_page({"规章": []}).replace("规章\n", "规章555\n")
    report = parse_file(write_page(tmp_path, page))
    values = _row_values(report, "art20_1", "regulations", ("newly_made", "newly_published", "total_published"))
    assert values == [5, 5, 5]


def _runtogether_page(narrative: str) -> str:
    """A 2021 report copied from a web page, each row's figures run together after its label."""
    return (
        "宜城市教育局2022年政府信息公开工作年度报告\n一、总体情况\n"
        + narrative
        + "\n二、主动公开政府信息情况\n第二十条第(一)项\n信息内容本年制发件数本年废止件数现行有效件数\n"
        "规章000\n行政规范性文件141414\n第二十条第(五)项\n信息内容本年处理决定数量\n行政许可5\n"
    )


_ND = ("issued", "repealed", "in_force")


def test_a_run_is_cut_where_the_narratives_figures_leave_one_cut(tmp_path: Path) -> None:
    # 141414 cuts ten ways; only 14|14|14 has 14 issued and 14 repealed (C7)
    page = _runtogether_page("2022年,本局共制定规范性文件14件,废止规范性文件14件。")
    report = parse_file(write_page(tmp_path, page))
    assert _row_values(report, "art20_1", "normative_documents", _ND) == [14, 14, 14]
    assert report.reading == "repaired"
    assert any("C7" in r.reason for r in report.repairs)


def test_a_run_the_narrative_does_not_decide_stays_a_guess_said(tmp_path: Path) -> None:
    # 1 issued leaves 1|4|1414, 1|41|414, 1|414|14 and 1|4141|4
    report = parse_file(write_page(tmp_path, _runtogether_page("2022年,本局共制定规范性文件1件。")))
    assert report.reading == "ambiguous"
    assert any("normative_documents" in p and "a guess" in p for p in report.problems)
