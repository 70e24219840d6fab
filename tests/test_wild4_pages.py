"""Layouts and names found on real pages, round 4 (docs/real-pages.md, "Real pages, round 4"): one test per
behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

from pipelines.template.report import parse_file
from tests.text_pages import cell_value, write_page

_TABLES = (
    "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容本年制发件数本年废止件数现行有效件数\n规章000\n"
    "行政规范性文件0012\n第二十条第(五)项\n信息内容本年处理决定数量\n行政许可7\n"
    "三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况\n"
    "自然人法人或其他组织总计\n商业企业科研机构社会公益组织法律服务机构其他\n一、本年新收政府信息公开申请数量2000002\n"
)


def test_a_report_printed_on_one_line_is_read_row_by_row(tmp_path: Path) -> None:
    head = "团结乡人民政府2021年政府信息公开工作年度报告\n"
    for joiner in ("", " "):
        body = joiner.join(("一、总体情况", "2021年,全乡主动公开政府信息9条。", *_TABLES.splitlines()))
        report = parse_file(write_page(tmp_path, head + body + "\n"))
        assert report.reading == "as_printed"
        assert cell_value(report, 2, "art20_1", "normative_documents", "in_force") == 12
        assert cell_value(report, 2, "art20_5", "administrative_licensing", "decisions") == 7
        assert cell_value(report, 3, "requests", "new_requests", "total") == 2


def _agency(tmp_path: Path, head: str) -> str | None:
    return parse_file(write_page(tmp_path, head + "\n一、总体情况\n" + _TABLES)).agency


def test_a_tax_bureau_keeps_its_systems_name(tmp_path: Path) -> None:
    head = "本年度报告根据《中华人民共和国政府信息公开条例》要求,由国家税务总局广州市白云区税务局编制。"
    assert _agency(tmp_path, head) == "国家税务总局广州市白云区税务局"


def test_a_short_form_defined_by_yixia_jiancheng_stands_for_the_whole_name(tmp_path: Path) -> None:
    head = (
        "本报告结合国家税务总局芜湖市镜湖区税务局(以下简称“镜湖区税务局”)政府信息公开工作有关统计数据撰写。\n"
        "一、总体情况\n2022年,镜湖区税务局认真贯彻落实《条例》主要内容。"
    )
    assert parse_file(write_page(tmp_path, head + "\n" + _TABLES)).agency == "国家税务总局芜湖市镜湖区税务局"


def test_a_management_committee_is_named_whole_in_the_body(tmp_path: Path) -> None:
    head = "2022年,在区委区政府的正确领导下,广东从化经济开发区管理委员会认真贯彻执行《条例》。"
    assert _agency(tmp_path, head) == "广东从化经济开发区管理委员会"


def test_a_branch_named_after_a_development_zone_is_a_name(tmp_path: Path) -> None:
    assert _agency(tmp_path, "淄博市公安局高新区分局2022年政府信息公开工作年度报告") == "淄博市公安局高新区分局"


def test_a_townships_office_as_the_contact_stands_for_its_government(tmp_path: Path) -> None:
    head = (
        "如对本报告有任何疑问,请与青阳县杜村乡办公室联系,电话:0566-5592103。\n"
        "一、总体情况\n2024年,杜村乡收到依申请公开申请0条。"
    )
    assert parse_file(write_page(tmp_path, head + "\n" + _TABLES)).agency == "青阳县杜村乡人民政府"


def test_a_party_committee_leading_the_publisher_is_not_a_candidate(tmp_path: Path) -> None:
    head = (
        "如有疑问,请与杭州市公安局滨江区分局联系,联系电话:0571-89520677。\n一、总体情况\n"
        "2022年,滨江区公安分局在区委区政府和杭州市公安局党委的坚强领导下,不断完善政务公开工作运行机制。"
    )
    assert parse_file(write_page(tmp_path, head + "\n" + _TABLES)).agency == "杭州市公安局滨江区分局"


def test_a_row_label_carrying_the_forms_note_is_still_its_row(tmp_path: Path) -> None:
    text = (
        "胡市镇人民政府2019年政府信息公开工作年度报告\n一、总体情况\n全年公开政府信息60条。\n二、主动公开政府信息情况\n"
        "第二十条第(一)项 | |||\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n"
        "规范性文件(指各行政机关印发的有正式文号的文件) | 2 | 0 | 83 |\n第二十条第(五)项 | |||\n"
        "信息内容 | 上一年项目数量 (指2018年事项数) | 本年增/减 (指2019年增加或减少的事项数,减用负值表示,如-8) "
        "| 处理决定数量 (指2019年办件量) |\n行政许可 | 71 | -11 | 0 |\n"
        "其他对外管理服务事项(指行政许可以 | 3 | 1 | 9 |\n"
    )
    report = parse_file(write_page(tmp_path, text))
    assert cell_value(report, 2, "art20_1", "normative_documents", "total_published") == 83
    assert cell_value(report, 2, "art20_5", "other_external_services", "decisions") == 9


def test_an_office_of_a_zones_committee_is_named_with_its_city(tmp_path: Path) -> None:
    title = "武汉市东湖生态旅游风景区管理委员会 卫生健康办公室2023年政府信息公开工作年度报告"
    assert _agency(tmp_path, title) == "武汉市东湖生态旅游风景区管理委员会卫生健康办公室"


def test_a_school_named_in_the_title_it_releases_is_the_publisher(tmp_path: Path) -> None:
    head = (
        "涡阳三中\n您现在所在的位置: 网站首页 > 政府信息公开 > 涡阳三中 > 政府信息公开年报\n"
        "发布时间:2023-01-15 21:27 来源:涡阳三中 字体:[ ]\n"
        "根据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室关于印发<中华人民共和国政府信息"
        "公开工作年度报告格式>的通知》要求,现发布《安徽省涡阳第三中学2022年政府信息公开工作年度报告》。"
    )
    assert _agency(tmp_path, head) == "安徽省涡阳第三中学"


def test_a_title_without_region_takes_it_from_the_contact_naming_the_same_organ(tmp_path: Path) -> None:
    head = (
        "2020年卫生健康委员会政府信息公开工作年度报告\n2020年,我委严格按照《政府信息公开条例》的要求编制本报告。"
        "如对本报告有任何疑问,请与绵阳市卫生健康委办公室联系(地址:绵阳市园艺山集中办公区4号楼)。"
    )
    assert _agency(tmp_path, head) == "绵阳市卫生健康委员会"


def test_a_pipe_rows_label_over_lone_bars_is_a_row_of_empty_cells(tmp_path: Path) -> None:
    text = (
        "胡市镇人民政府2019年政府信息公开工作年度报告\n一、总体情况\n全年公开政府信息60条。\n二、主动公开政府信息情况\n"
        "第二十条第(一)项 | |||\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "规章 |\n|\n|\n|\n规范性文件 | 2 | 0 | 83 |\n第二十条第(五)项 | |||\n"
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 71 | -11 | 0 |\n"
    )
    report = parse_file(write_page(tmp_path, text))
    regulations = [c for k, c in report.cells.items() if k.row_key == "regulations"]
    assert [c.status for c in regulations] == ["blank"] * 3
    assert cell_value(report, 2, "art20_1", "normative_documents", "total_published") == 83
