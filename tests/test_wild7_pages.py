"""Layouts and names found on real pages, round 7 (docs/real-pages.md, "Real pages, round 7"): one test per
behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

from pipelines.template.report import parse_file
from tests.text_pages import cell_value, write_page


def _procurement_page(after: str) -> str:
    """A 2019-form township page, one cell per line, that stops after section 2's last row."""
    cells = [
        "第二十条第(一)项",
        "信息内容",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "规章",
        *["0", "0", "0"],
        "规范性文件",
        *["2", "2", "7"],
        "第二十条第(九)项",
        "信息内容",
        "采购项目数量",
        "采购总金额",
        "政府集中采购",
        *["1", "8040"],
    ]
    return "团结乡2020年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n" + "\n\n".join(cells) + after


def test_a_lone_figure_where_the_text_stops_after_the_last_row_is_no_figure(tmp_path: Path) -> None:
    """政府集中采购, its two figures, then 20 (of 2020年…, the sentence after the table, cut)."""
    report = parse_file(write_page(tmp_path, _procurement_page("\n\n20")))
    assert cell_value(report, 2, "art20_9", "centralized_procurement", "procurement_items") == 1
    assert cell_value(report, 2, "art20_9", "centralized_procurement", "procurement_amount") == 8040
    assert any("lone '20'" in p for p in report.problems)


def test_a_lone_figure_before_a_later_part_still_breaks_the_row(tmp_path: Path) -> None:
    # the text goes on: the extra figure is no cut, and the row's cells cannot be told
    page = _procurement_page("\n\n20\n\n三、收到和处理政府信息公开申请情况\n\n本年度未收到申请。\n")
    report = parse_file(write_page(tmp_path, page))
    assert cell_value(report, 2, "art20_9", "centralized_procurement", "procurement_amount") is None
