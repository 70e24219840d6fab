"""Classes that earlier real-page rounds left open (README "Real pages: the classes left open"):
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
        + "\n五、政府信息公开工作存在的主要问题及改进情况\n总结我局本年度政府信息公开工作。\n"
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
