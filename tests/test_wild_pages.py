"""Layouts found on real pages (December 2026 survey, docs/real-pages.md, "Layouts found on real pages"): one
test per behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

from models.catalog import CellKey
from models.vocab import ValueStatus
from pipelines.formats import read_document
from pipelines.template.labels import parse_cell
from pipelines.template.metadata import find_year
from pipelines.template.placement import token_cell
from pipelines.template.printed_lines import Slot
from pipelines.template.report import parse_file
from pipelines.template.sections import split_sections
from tests.text_pages import write_page

_TABLES = """二、主动公开政府信息情况
第二十条第(一)项 |
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | 0 | 0 | 0 |
行政规范性文件 | 3 | 1 | 12 |
第二十条第(五)项 |
信息内容 | 本年处理决定数量 |
行政许可 | 7 |
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |
自然人 | 法人或其他组织 | 总计 |
一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
"""


def test_an_item_of_section_1_naming_a_later_part_does_not_open_that_part(tmp_path: Path) -> None:
    text = (
        "团结乡2020年政府信息公开工作年度报告\n一、总体情况\n(一)主动公开政府信息情况\n全年发布信息9条。\n"
        "5.因政府信息公开申请提起行政复议、行政诉讼的情况\n2020年，全乡未发生行政复议和行政诉讼案件。\n" + _TABLES
    )
    parts = split_sections(read_document(write_page(tmp_path, text)))
    assert sorted(parts) == [1, 2, 3]
    assert any("行政规范性文件" in c for row in parts[2] for c in row.cells)
    assert any("本年新收" in c for row in parts[3] for c in row.cells)


def test_a_part_numbered_in_arabic_as_itself_still_opens_it(tmp_path: Path) -> None:
    text = "一、总体情况\n全年发布信息9条。\n" + _TABLES.replace("二、主动公开", "2、主动公开")
    assert sorted(split_sections(read_document(write_page(tmp_path, text)))) == [1, 2, 3]


def test_last_years_report_cited_in_the_narrative_does_not_set_the_year(tmp_path: Path) -> None:
    text = (
        "根据《中华人民共和国政府信息公开条例》有关规定，编制本报告。\n一、总体情况\n"
        "2022年，我署公开发布《国家新闻出版署2021年政府信息公开工作年度报告》。\n" + _TABLES
    )
    assert find_year(read_document(write_page(tmp_path, text))) == 2022


def test_the_reports_own_title_in_quotes_still_sets_the_year(tmp_path: Path) -> None:
    text = "现编制形成了《西柳镇人民政府2023年政府信息公开工作年度报告》。\n一、总体情况\n" + _TABLES
    assert find_year(read_document(write_page(tmp_path, text))) == 2023


def test_a_change_printed_in_words_reads_signed() -> None:
    assert parse_cell("减4").value == -4.0  # type: ignore[union-attr]
    assert parse_cell("增3").value == 3.0  # type: ignore[union-attr]
    assert parse_cell("减少12").value == -12.0  # type: ignore[union-attr]


def test_a_change_in_words_where_a_count_belongs_is_unreadable() -> None:
    slot = Slot("增3", parse_cell("增3"), None)  # type: ignore[arg-type]
    count = CellKey(2, "art20_5", "administrative_licensing", "decisions")
    change = CellKey(2, "art20_5", "administrative_licensing", "change")
    assert token_cell(slot, count).status == ValueStatus.UNREADABLE
    assert token_cell(slot, change).value == 3.0


def test_a_2019_table_with_changes_in_words_reads_them(tmp_path: Path) -> None:
    text = (
        "2020年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n"
        "第二十条第(五)项 |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
        "行政许可 | 6 | 减4 | 2 |\n其他对外管理服务事项 | 1 | 增2 | 3 |\n"
    )
    report = parse_file(write_page(tmp_path, text))
    licensing = CellKey(2, "art20_5", "administrative_licensing", "change")
    other = CellKey(2, "art20_5", "other_external_services", "change")
    assert (report.cells[licensing].value, report.cells[other].value) == (-4.0, 2.0)
    assert report.reading != "unreadable_cells"


def test_a_lone_pipe_between_figures_is_an_empty_cell(tmp_path: Path) -> None:
    from pipelines.formats.text import text_rows

    text = "信息内容 |\n本年制发件数 |\n||\n一、本年新收政府信息公开申请数量 |\n|\n|\n3 |\n|\n|\n|\n3 |\n||\n"
    _, rows = text_rows(text, "page.txt")
    assert rows[-1].cells == ("一、本年新收政府信息公开申请数量", "", "", "3", "", "", "", "3")


def test_a_lone_pipe_before_a_label_opens_the_row_on_pages_that_open_rows_so() -> None:
    from pipelines.formats.text import text_rows

    text = "|\n规章 |\n0 |\n0 |\n|\n|\n行政规范性文件 |\n5 |\n|\n8 |\n|\n结果维持 |\n总计 | ||\n|\n|\n0 |\n2 |\n"
    _, rows = text_rows(text, "page.txt")
    cells = [r.cells for r in rows]
    assert cells == [("规章", "0", "0", ""), ("行政规范性文件", "5", "", "8"), ("结果维持", "总计"), ("", "0", "2")]


def test_carried_over_with_its_characters_swapped_is_read(tmp_path: Path) -> None:
    text = _TABLES + "二、上年转结政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    report = parse_file(write_page(tmp_path, "2022年政府信息公开工作年度报告\n一、总体情况\n" + text))
    assert report.cells[CellKey(3, "requests", "carried_over", "total")].value == 1.0


def test_the_issuer_of_a_cited_notice_is_not_the_publisher(tmp_path: Path) -> None:
    text = (
        "根据《中华人民共和国政府信息公开条例》和《平武县人民政府办公室关于2021年度政府信息公开工作年度报告编制工作的通知》"
        "要求，现将2021年度政府信息公开工作情况报告如下:\n一、总体情况\n" + _TABLES
    )
    assert parse_file(write_page(tmp_path, text)).agency is None


def test_a_website_is_not_an_agency(tmp_path: Path) -> None:
    text = "一、总体情况\n2021年我局通过“略阳县人民政府网站”公开政务信息111条。\n" + _TABLES
    assert parse_file(write_page(tmp_path, text)).agency is None


def test_a_title_worded_otherwise_still_names_the_publisher(tmp_path: Path) -> None:
    for title, name in (
        ("2022年湖口县卫生健康委员会信息公开年报", "湖口县卫生健康委员会"),
        ("宁强县自然资源局关于2021年度政府信息公开情况的报告", "宁强县自然资源局"),
        ("长桥乡2019年政府信息公开年度工作报告", "广昌县长桥乡人民政府"),
    ):
        assert parse_file(write_page(tmp_path, f"{title}\n一、总体情况\n" + _TABLES)).agency == name, title


def test_a_cited_notices_title_does_not_name_the_publisher(tmp_path: Path) -> None:
    text = "根据《平武县人民政府办公室关于2021年度政府信息公开工作年度报告编制工作的通知》要求，现报告如下:\n一、总体情况\n"
    assert parse_file(write_page(tmp_path, text + _TABLES)).agency is None


def test_a_national_body_is_named_without_a_region(tmp_path: Path) -> None:
    text = "国家新闻出版署2022年政府信息公开工作年度报告\n一、总体情况\n" + _TABLES
    assert parse_file(write_page(tmp_path, text)).agency == "国家新闻出版署"


def test_a_title_inside_a_title_does_not_make_the_line_page_chrome(tmp_path: Path) -> None:
    text = (
        "根据《国务院办公厅政府信息与政务公开办公室关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》规定,"
        "编制我单位2021年政府信息公开工作年度报告。如有疑问请与来凤县政务服务和大数据管理局"
        "(地址:来凤县政务服务中心501室,联系电话:0718-6277499)联系。\n一、总体情况\n" + _TABLES
    )
    assert parse_file(write_page(tmp_path, text)).agency == "来凤县政务服务和大数据管理局"


def test_a_lone_pipe_ending_the_last_row_before_a_heading_is_an_empty_cell() -> None:
    from pipelines.formats.text import text_rows

    text = "|\n规章 |\n0 |\n|\n|\n行政规范性文件 |\n5 |\n|\n五、存在的主要问题及改进情况\n"
    _, rows = text_rows(text, "page.txt")
    assert [r.cells for r in rows][:2] == [("规章", "0", ""), ("行政规范性文件", "5", "")]


def test_a_report_numbering_its_parts_in_brackets_still_has_them(tmp_path: Path) -> None:
    text = "(一)总体情况\n全年发布信息9条。\n" + _TABLES.replace("二、主动", "(二)主动").replace("三、收到", "(三)收到")
    assert sorted(split_sections(read_document(write_page(tmp_path, text)))) == [1, 2, 3]
