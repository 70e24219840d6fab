"""Layouts and names found on real pages, round 5 (docs/real-pages.md, "Real pages, round 5"): one test per
behaviour, on text written here with known truth."""

from __future__ import annotations

from pathlib import Path

from pipelines.template.report import parse_file
from tests.text_pages import cell_value, write_page
from tests.wild_text import to_traditional

_S2 = (
    "第二十条第(一)项 | |||\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n"
    "规范性文件 | 2 | 2 | 19 |\n第二十条第(五)项 | |||\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
    "行政许可 | 8 | 5 | 93 |\n"
)
_S3 = (
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
    "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
    "一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
)
_S4 = (
    "行政复议 | 行政诉讼 |\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
    "1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
)
_HEAD = "武汉市生态环境局2020年政府信息公开工作年度报告\n现将我局2020年度政府信息公开情况报告如下。\n"


def test_tables_without_their_parts_headings_still_open_their_parts(tmp_path: Path) -> None:
    report = parse_file(write_page(tmp_path, _HEAD + _S2 + _S3 + _S4))
    assert cell_value(report, 2, "art20_1", "normative_documents", "total_published") == 19
    assert cell_value(report, 2, "art20_5", "administrative_licensing", "decisions") == 93
    assert cell_value(report, 3, "requests", "new_requests", "total") == 2
    assert cell_value(report, 4, "review_litigation", "administrative_review", "upheld") == 1
    assert not any("heading not found" in p for p in report.problems)


def test_a_sentence_citing_article_20_opens_no_part(tmp_path: Path) -> None:
    text = _HEAD + "一、总体情况\n按照第二十条第(一)项公开规章。\n二、主动公开政府信息情况\n" + _S2
    report = parse_file(write_page(tmp_path, text))
    assert cell_value(report, 2, "art20_1", "regulations", "total_published") == 0
    assert cell_value(report, 2, "art20_1", "normative_documents", "newly_published") == 2


def test_a_label_with_a_provinces_note_not_worded_zhi_is_its_row(tmp_path: Path) -> None:
    s2 = _S2.replace("规章 |", "规章(设区的市、自治州人民政府应提供相关数据) |").replace(
        "规范性文件 |", "规范性文件(行政机关制定发布的决定、公告、通告、意见、通知) |"
    )
    report = parse_file(write_page(tmp_path, _HEAD + "二、主动公开政府信息情况\n" + s2))
    assert cell_value(report, 2, "art20_1", "regulations", "newly_made") == 0
    assert cell_value(report, 2, "art20_1", "normative_documents", "total_published") == 19


def test_a_mirrors_dangan_for_wenjian_is_still_normative_documents(tmp_path: Path) -> None:
    """Traditional mirrors converted with Taiwan's words print 規範性檔案 for 规范性文件."""
    page = to_traditional(_HEAD + "二、主动公开政府信息情况\n" + _S2).replace("文件", "檔案")
    assert "規範性檔案 |" in page
    report = parse_file(write_page(tmp_path, page))
    assert cell_value(report, 2, "art20_1", "normative_documents", "total_published") == 19


def _agency(tmp_path: Path, head: str) -> str | None:
    page = head + "\n一、总体情况\n" + "二、主动公开政府信息情况\n" + _S2
    return parse_file(write_page(tmp_path, page)).agency


def test_the_opening_subject_may_follow_a_clause_of_who_leads_it(tmp_path: Path) -> None:
    head = "2021年,在县委县政府的正确领导下,大东坝镇人民政府根据省、市、县下发的关于政务公开的系列文件要求,较好地完成了政务公开工作。"
    assert _agency(tmp_path, head) == "松阳县大东坝镇人民政府"  # the only 大东坝镇 (probable)


def test_the_verb_after_the_opening_subject_is_not_read_into_its_name(tmp_path: Path) -> None:
    head = "2022年,在区委、区政府的坚强领导下,太平镇人民政府严格依照区委、区政府针对政务公开工作的要求与安排。"
    assert _agency(tmp_path, head) == "太平镇人民政府"


def test_the_opening_names_own_start_read_short_is_no_rival(tmp_path: Path) -> None:
    """西湖街道办 (西湖 as 西湖区's short form) is 西湖街道办事处 read short, not another body."""
    head = "2019年,在县委县政府的正确领导下,西湖街道办事处根据省、市、县下发的关于政务公开的系列文件要求。"
    assert _agency(tmp_path, head) == "西湖街道办事处"


def test_a_townships_office_that_compiled_the_report_stands_for_its_government(tmp_path: Path) -> None:
    head = "本报告是根据《条例》要求,由两城镇人民政府党政办公室编制。"
    assert _agency(tmp_path, head) == "微山县两城镇人民政府"  # the only 两城镇 (probable)
    head = "本报告由东亭街道综合办公室编制,全文包括总体情况。"
    assert _agency(tmp_path, head) == "锡山区东亭街道办事处"  # the only 东亭街道 (probable)


def test_a_streets_office_named_with_its_county_is_not_a_body_of_its_own(tmp_path: Path) -> None:
    head = "本报告是根据《条例》要求,由兰陵县城南街道党政综合办公室编制。"
    assert _agency(tmp_path, head) == "兰陵县城南街道办事处"


def test_a_name_followed_by_its_website_is_not_counted_even_read_short(tmp_path: Path) -> None:
    """来宾市卫生健康委员会网站 is a website; read short (来宾市卫生健康委 + 员会网站) it tied with the name."""
    head = (
        "结合来宾市卫生健康委员会政府信息公开工作实际,现编制2023年政府信息公开工作年度报告。本报告的电子版在"
        "来宾市卫生健康委员会网站全文公开。如有疑问,请与来宾市卫生健康委员会办公室联系。\n"
        "2023年1—12月,我委在来宾市卫生健康委员会网站累计发布信息313条。"
    )
    assert _agency(tmp_path, head) == "来宾市卫生健康委员会"


def test_a_street_named_after_the_new_area_that_administers_it_is_a_whole_name(tmp_path: Path) -> None:
    title = "西咸新区底张街道办事处2024年度政府\n信息公开工作年度报告"
    assert _agency(tmp_path, title) == "西咸新区底张街道办事处"


def test_a_report_named_after_its_region_alone_is_the_regions_government(tmp_path: Path) -> None:
    assert _agency(tmp_path, "桐乡市2023年度政府信息公开工作年度报告") == "桐乡市人民政府"
    head = "根据《条例》相关要求,现公布辽阳市2023年政府信息公开工作年度报告。"
    assert _agency(tmp_path, head) == "辽阳市人民政府"
