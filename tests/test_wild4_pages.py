"""Layouts and names found on real pages, round 4 (README "Real pages, round 4"): one test per
behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

from models.catalog import CellKey
from pipelines.template.report import parse_file

_TABLES = (
    "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容本年制发件数本年废止件数现行有效件数\n规章000\n"
    "行政规范性文件0012\n第二十条第(五)项\n信息内容本年处理决定数量\n行政许可7\n"
    "三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况\n"
    "自然人法人或其他组织总计\n商业企业科研机构社会公益组织法律服务机构其他\n一、本年新收政府信息公开申请数量2000002\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _value(report: object, *key: str) -> float | None:
    return report.cells[CellKey(*key)].value  # type: ignore[attr-defined]


def test_a_report_printed_on_one_line_is_read_row_by_row(tmp_path: Path) -> None:
    head = "团结乡人民政府2021年政府信息公开工作年度报告\n"
    for joiner in ("", " "):
        body = joiner.join(("一、总体情况", "2021年,全乡主动公开政府信息9条。", *_TABLES.splitlines()))
        report = parse_file(_write(tmp_path, head + body + "\n"))
        assert report.reading == "as_printed"
        assert _value(report, 2, "art20_1", "normative_documents", "in_force") == 12
        assert _value(report, 2, "art20_5", "administrative_licensing", "decisions") == 7
        assert _value(report, 3, "requests", "new_requests", "total") == 2
