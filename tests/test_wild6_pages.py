"""Layouts and names found on real pages, round 6 (docs/real-pages.md, "Real pages, round 6"): one test per
behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

from pipelines.template.report import parse_file
from tests.text_pages import cell_value, write_page

_S2 = (
    "二、主动公开政府信息情况\n第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    "规章 | 0 | 0 | 0 |\n行政规范性文件 | 1 | 0 | 3 |\n第二十条第(五)项 | |||\n信息内容 | 本年处理决定数量 | ||\n"
    "行政许可 | 12 | ||\n"
)


def _page(tmp_path: Path, head: str) -> Path:
    return write_page(tmp_path, head + _S2)


def test_the_opening_sentence_after_its_items_heading_names_the_publisher(tmp_path: Path) -> None:
    head = (
        "本报告按条例要求编制,统计期限为2024年1月1日至2024年12月31日。如有疑问,请与城南街道党政办公室联系"
        "(地址:兰陵县城南街道府前路8号)。\n一、总体情况\n(一)主动公开。2024年,城南街道在政府网站上发布信息68条。\n"
    )
    report = parse_file(_page(tmp_path, head))
    assert report.agency == "兰陵县城南街道办事处"
    assert cell_value(report, 2, "art20_1", "normative_documents", "in_force") == 3


def test_a_countys_portal_named_menhuwang_is_not_the_publisher(tmp_path: Path) -> None:
    """本报告可在兰陵县人民政府门户网查阅: a website (门户网, without 站), not the county's government."""
    head = (
        "本报告可在兰陵县人民政府门户网(http://www.example.gov.cn)查阅。请与新华镇人民政府联系(地址:兰陵县新华镇中心街1号)。\n"
        "一、总体情况\n(一)贯彻落实条例规定。2020年,新华镇认真贯彻落实条例及上级相关规定。\n"
    )
    assert parse_file(_page(tmp_path, head)).agency == "兰陵县新华镇人民政府"


def test_a_townships_office_without_its_county_stands_for_the_township(tmp_path: Path) -> None:
    """请与石门乡党政办公室联系, 石门乡 named alone: the office is the township's, not a rival body."""
    head = (
        "请与石门乡党政办公室联系,电话:0539-1234567。\n一、总体情况\n2023年,石门乡人民政府认真落实条例。"
        "石门乡党政办公室负责日常工作,石门乡党政办公室每月更新专栏。\n"
    )
    agency = parse_file(_page(tmp_path, head)).agency
    assert agency is not None
    assert agency.endswith("石门乡人民政府")


def test_a_districts_party_committee_is_no_rival_to_the_opening_name(tmp_path: Path) -> None:
    """浦沿街道办事处严格按照滨江区委…: 滨江区委 is the district's party committee, never a publisher."""
    head = (
        "一、总体情况\n2024年,东城街道办事处严格按照赫山区委、区政府的工作部署要求,深化政务公开工作。\n"
        "全年在赫山区委的坚强领导下,街道主动公开信息200条。\n"
    )
    assert parse_file(_page(tmp_path, head)).agency == "东城街道办事处"


def test_an_organ_of_informatization_is_a_name(tmp_path: Path) -> None:
    """工业和信息化局 holds 信息 (the word of 信息公开), and is a bureau's name all the same."""
    head = "一、总体情况\n本年度报告根据条例要求,由乌海市工业和信息化局编制而成,统计期限自2020年1月1日起。\n"
    assert parse_file(_page(tmp_path, head)).agency == "乌海市工业和信息化局"


def test_a_name_over_a_title_line_without_its_year_is_the_title(tmp_path: Path) -> None:
    head = "桃江县教育局\n政府信息公开工作年度报告\n现将我局2021年度政府信息公开工作情况报告如下。\n一、总体情况\n"
    report = parse_file(_page(tmp_path, head))
    assert (report.agency, report.year) == ("桃江县教育局", 2021)
    assert not any("probable" in p for p in report.problems)  # the title's, not the body's (medium)


def test_the_title_after_a_pages_index_fields_names_the_publisher(tmp_path: Path) -> None:
    """Index fields one per line push the title past the first lines; the preface, copied from
    another body's report, names that body: the title decides."""
    fields = "登录 | 注册\n• 索引号\nabc/2024-00001\n• 发布机构\n兰陵县新华镇人民政府\n• 文号\n• 发布日期\n2024-01-21\n• 时效性\n有效\n"
    head = (
        fields + "兰陵县新华镇2023年政府信息公开工作年度报告\n"
        "根据条例规定,现公布兰陵县司法局2023年度政府信息公开工作年度报告。\n一、总体情况\n"
    )
    assert parse_file(_page(tmp_path, head)).agency == "兰陵县新华镇人民政府"


def test_every_row_whose_legal_persons_figure_could_sit_in_several_columns_is_named(tmp_path: Path) -> None:
    """Rows printing natural persons, the legal persons' one figure and the total (7 | 1 | 8 then
    empty cells), on a page that stops before the column arithmetic: the 1 may sit under any of five
    columns in each row, so each row is named, not only the one another whole reading moves."""
    s3 = (
        "三、收到和处理政府信息公开申请情况\n"
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
        "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
        "一、本年新收政府信息公开申请数量 | 7 | 1 | 8 | | | | |\n"
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | | | | |\n"
        "三、本年度办理结果 | (一)予以公开 | 0 | 1 | 1 | | | | |\n"
    )
    report = parse_file(write_page(tmp_path, "桃江县教育局2021年政府信息公开工作年度报告\n" + _S2 + s3))
    assert report.reading == "ambiguous"
    said = " ".join(report.problems)
    assert "本年新收政府信息公开申请数量" in said
    assert "予以公开" in said


def _cut_page(tail: str) -> str:
    cells = [
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "一、本年新收政府信息公开申请数量",
        *["3", "0", "0", "0", "0", "0", "3"],
        "(三)不予公开",
        "1.属于国家秘密",
        *["1", "0", "0", "0", "0", "0", "1"],
        tail,
    ]
    return "迁安市大五里镇2020年政府信息公开工作年度报告\n" + _S2 + "\n\n".join(cells) + "\n"


def test_a_lone_number_of_the_next_label_where_the_text_stops_is_no_figure(tmp_path: Path) -> None:
    """…1.属于国家秘密, its seven figures, then 2 (of 2.其他法律…), where the stored page stops."""
    report = parse_file(write_page(tmp_path, _cut_page("2")))
    assert cell_value(report, 3, "requests", "denied_state_secret", "natural_person") == 1
    assert cell_value(report, 3, "requests", "denied_state_secret", "total") == 1
    assert any("lone '2'" in p for p in report.problems)


def test_a_figure_other_than_the_next_labels_number_still_breaks_the_row(tmp_path: Path) -> None:
    report = parse_file(write_page(tmp_path, _cut_page("5")))
    assert cell_value(report, 3, "requests", "denied_state_secret", "total") is None


def test_a_name_before_the_verb_that_releases_the_reports_title_is_the_publisher(tmp_path: Path) -> None:
    """岐山县教育体育局现向社会公开《2023年…》, then 请联系岐山县教体局: the name before the verb, not a tie
    with its short form."""
    head = (
        "根据条例要求,桃江县教育体育局现向社会公开《2023年政府信息公开工作年度报告》。\n"
        "如对本报告有异议,请联系桃江县教体局(电话:0737-1234567)。\n一、总体情况\n"
    )
    assert parse_file(_page(tmp_path, head)).agency == "桃江县教育体育局"


def test_a_ministry_named_alone_is_a_name(tmp_path: Path) -> None:
    """交通运输部 has no region and no 国家; its preface says 交通运输部编制了本级行政机关…."""
    head = (
        "按照条例,交通运输部编制了本级行政机关2019年政府信息公开工作年度报告。如有疑问,请与交通运输部政府信息公开办公室联系。\n"
        "一、总体情况\n"
    )
    assert parse_file(_page(tmp_path, head)).agency == "交通运输部"


def test_a_ministrys_title_names_it(tmp_path: Path) -> None:
    head = "财政部2022年政府信息公开工作年度报告\n一、总体情况\n"
    report = parse_file(_page(tmp_path, head))
    assert report.agency == "财政部"
    assert not any("agency" in p for p in report.problems)


def test_words_ending_in_bu_are_no_ministry(tmp_path: Path) -> None:
    """全部, 内部: 部 ends too many words for an organ's suffix; only the ministries' names count."""
    head = "一、总体情况\n2022年,全部内部信息均已编制了目录。\n"
    assert parse_file(_page(tmp_path, head)).agency is None
