"""The publishing agency's name and the statistics year: every real excerpt, the seeds, the spec's
examples, and one constructed text for each kind of wrong name seen before the grammar."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.formats import read_document
from pipelines.formats.document import Document
from pipelines.formats.simplified import simplified_if_traditional
from pipelines.template.agency_name import find_agency_name, parse_name
from pipelines.template.metadata import find_year, read_metadata

# Copies kept in the repository (shared/real-excerpts and shared/seeds), so the tests run anywhere.
EXCERPTS = Path(__file__).resolve().parent / "fixtures" / "real_excerpts"
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
GOLDEN = Path(__file__).parent / "golden" / "metadata.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _doc(text: str) -> Document:
    return Document(Path("constructed.txt"), "0" * 64, "text/lines", text)


@pytest.mark.parametrize("row", _rows(EXCERPTS / "manifest.csv"), ids=lambda r: r["file"])
def test_excerpt_agency_and_year_as_the_manifest_names_them(row: dict[str, str]) -> None:
    meta = read_metadata(read_document(EXCERPTS / row["file"]))
    assert (meta.agency, meta.year) == (row["agency"], int(row["year"]))


@pytest.mark.parametrize("row", _rows(GOLDEN), ids=lambda r: r["file"])
def test_seed_agency_and_year_as_golden(row: dict[str, str]) -> None:
    meta = read_metadata(read_document(SEEDS / row["file"]))
    assert (meta.agency, meta.year, meta.agency_doubt) == (row["agency"], int(row["year"]), None)


def test_title_without_district_completed_from_body_that_names_only_dongli_and_speaks_of_a_district() -> None:
    # 教育局2019年…: the body names one division in full (东丽区政府信息公开网站) and calls itself a
    # district (区委), so 东丽区教育局 is supported; it is recorded as probable, not certain.
    meta = read_metadata(read_document(EXCERPTS / "dongli_jyj_2019.txt"))
    assert meta.agency == "东丽区教育局"
    assert meta.agency_source == "title+body"
    assert meta.agency_doubt
    assert "东丽区" in meta.agency_doubt


def test_title_without_region_and_no_region_in_body_is_unknown_with_reason() -> None:
    text = "教育局2019年政府信息公开工作年度报告\n一、总体情况\n2019年,我局认真落实条例要求。\n"
    result = find_agency_name(text)
    assert result.name is None
    assert result.confidence == "none"
    assert "教育局" in result.reason


def test_title_without_region_is_unknown_when_body_names_only_a_higher_level() -> None:
    # A county bureau whose body names only its prefecture: 衡水市教育局 would be a wrong name.
    text = "教育局2020年政府信息公开工作年度报告\n一、总体情况\n按照衡水市的部署,县委要求全县推进公开。\n"
    meta = read_metadata(_doc(text))
    assert meta.agency is None
    assert meta.agency_doubt
    assert "衡水市" in meta.agency_doubt


def test_spec_example_city_government_office_is_not_cut_to_the_government() -> None:
    text = "2019年上海市人民政府办公厅政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name == "上海市人民政府办公厅"


def test_spec_example_subbureau_keeps_its_city_bureau() -> None:
    text = "根据条例规定,特向社会公布2022年度十堰市生态环境局郧阳分局政府信息公开工作年度报告。\n一、总体情况\n"
    result = find_agency_name(text)
    assert (result.name, result.source) == ("十堰市生态环境局郧阳分局", "preface")


def test_numbered_subbureau_keeps_its_number() -> None:
    text = "成都市公安局交通管理局第一分局2022年政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name == "成都市公安局交通管理局第一分局"


def test_numbered_subbureaus_of_one_bureau_are_different_agencies() -> None:
    names = {
        find_agency_name(f"2021年,海东市生态环境局{n}认真落实条例。\n一、总体情况\n").name
        for n in ("第二分局", "第十二分局", "第一百零三大队")
    }
    assert names == {"海东市生态环境局第二分局", "海东市生态环境局第十二分局", "海东市生态环境局第一百零三大队"}


def test_a_number_alone_is_not_a_subbureau() -> None:
    text = "海东市生态环境局第分局2021年政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name != "海东市生态环境局第分局"


def test_function_word_you_is_not_glued_on() -> None:
    text = "本年度报告根据有关规定,由江苏省公安厅编制。统计期限自2023年1月1日至2023年12月31日。\n一、总体情况\n"
    assert find_agency_name(text).name == "江苏省公安厅"


def test_function_word_le_is_not_glued_on() -> None:
    text = "2022年,我局印发了海东市生态环境局2022年政府信息公开工作年度报告。\n一、总体情况\n"
    assert find_agency_name(text).name == "海东市生态环境局"


def test_year_fragment_nian_is_not_glued_on() -> None:
    text = "根据条例,现向社会公布2021年石家庄市教育局政府信息公开工作年度报告。\n一、总体情况\n"
    assert find_agency_name(text).name == "石家庄市教育局"


def test_page_greeting_is_not_a_name() -> None:
    text = "欢迎来到故城县人民政府网站\n故城县教育局\n2020年政府信息公开工作年度报告\n一、总体情况\n"
    result = find_agency_name(text)
    assert (result.name, result.source) == ("故城县教育局", "title")


def test_sentence_about_the_website_is_not_a_name() -> None:
    # Only the body names anything here, and it names a website's owner, not the publisher.
    text = "一、总体情况\n2022年,我镇政府网站共发布信息12条,通过故城县人民政府门户网站发布5条。\n"
    result = find_agency_name(text)
    assert result.name is None
    assert result.confidence == "none"


def test_subbureau_named_alone_in_title_is_completed_from_the_text() -> None:
    text = "郧阳分局2022年政府信息公开工作年度报告\n一、总体情况\n2022年,十堰市生态环境局郧阳分局认真落实条例。\n"
    assert find_agency_name(text).name == "十堰市生态环境局郧阳分局"


def test_subbureau_named_alone_without_support_is_unknown() -> None:
    text = "郧阳分局2022年政府信息公开工作年度报告\n一、总体情况\n2022年,我分局认真落实条例。\n"
    result = find_agency_name(text)
    assert result.name is None
    assert "郧阳分局" in result.reason


def test_traditional_characters_give_a_simplified_name() -> None:
    text = "撫遠市自然資源局2022年政府信息公開工作年度報告\n一、總體情況\n"
    assert find_agency_name(text).name == "抚远市自然资源局"


def test_body_fragments_government_website_and_centre_are_not_names() -> None:
    text = (
        "2022年度螅镇政府信息公开工作年度报告\n一、总体情况\n"
        "2022年以来,螅镇政府信息公开工作在县政府办的指导下,围绕镇政府中心工作,在我镇政府网站公开信息。\n"
    )
    name = find_agency_name(text).name
    assert name == "佳县螅镇人民政府"  # the only 螅镇 in the division list is in 佳县


def test_chrome_source_line_is_not_the_agency() -> None:
    text = "【字体:大 中 小】 打印\n来源:榆林市人民政府办公室 发布时间:2023-01-31 浏览次数:12\n2022年度佳县螅镇政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name == "佳县螅镇人民政府"


def test_breadcrumb_and_heading_title_over_two_lines() -> None:
    text = "首页 > 政务公开 > 年度报告\n2022年政府信息公开工作年度报告\n桃江县松木塘镇人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n"
    result = find_agency_name(text)
    assert (result.name, result.source, result.confidence) == ("桃江县松木塘镇人民政府", "title", "high")


def test_township_title_completed_from_preface_county() -> None:
    text = "现将北坡镇2022年政府信息公开工作年度报告进行公开。如有疑问,请与遂溪县北坡镇党政综合办公室联系。\n一、总体情况\n"
    assert find_agency_name(text).name == "遂溪县北坡镇人民政府"


def test_common_township_name_kept_as_titled() -> None:
    # Fifty townships are called 太平镇: the county cannot be told, the title's name stands.
    text = "太平镇人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name == "太平镇人民政府"


def test_signature_names_the_agency_when_there_is_no_title() -> None:
    text = "一、总体情况\n2023年,我局认真落实条例。\n六、其他需要报告的事项\n无。\n楚雄州生态环境局禄丰分局\n2024年1月10日\n"
    result = find_agency_name(text)
    assert (result.name, result.source) == ("楚雄州生态环境局禄丰分局", "signature")


def test_organ_words_that_look_like_sentence_words_are_kept() -> None:
    for name in (
        "杭州市政务服务和数据管理局",
        "德阳市直属机关工作委员会",
        "成都市人力资源和社会保障局",
        "上海市住房和城乡建设管理委员会",
    ):
        parsed = parse_name(name)
        assert parsed is not None, name
        assert (parsed.name, parsed.partial) == (name, None), name


def test_grammar_rejects_words_around_a_name() -> None:
    for span in (
        "由江苏省公安厅",
        "了海东市生态环境局",
        "年石家庄市教育局",
        "欢迎来到故城县教育局",
        "我镇政府网站",
        "关于故城县教育局",
    ):
        parsed = parse_name(span)
        assert parsed is None or parsed.name != span, span


def test_year_is_the_statistics_year_not_the_publication_date() -> None:
    text = "- 发布日期:2024-01-29 09:09\n本年度报告所列数据统计期限自2023年1月1日至2023年12月31日。\n一、总体情况\n"
    assert find_year(_doc(text)) == 2023


def test_year_read_from_traditional_text() -> None:
    assert find_year(_doc("撫遠市自然資源局2022年度政府信息公開工作年度報告\n")) == 2022


def test_simplified_text_is_left_as_printed_and_traditional_text_converted() -> None:
    text = "乾县人民政府显著提升,干部,后续"  # 乾县 is simplified as printed: t2s would make it 干县
    assert simplified_if_traditional(text) == text
    traditional = "總體情況 規範性文件 主動公開政府信息情況 收到和處理政府信息公開申請情況"
    assert (
        simplified_if_traditional(traditional)
        == "总体情况 规范性文件 主动公开政府信息情况 收到和处理政府信息公开申请情况"
    )


def test_unknown_agency_is_recorded_as_a_problem(tmp_path: Path) -> None:
    from pipelines.template.report import parse_file

    text = (EXCERPTS / "gucheng_jyj_2020.txt").read_text(encoding="utf-8")
    path = tmp_path / "no_region.txt"
    path.write_text(text.replace("故城县", ""), encoding="utf-8")  # title 教育局, no region anywhere
    report = parse_file(path)
    assert report.agency is None
    assert any(p.startswith("agency name not confidently found:") for p in report.problems)


def test_traditional_report_tables_are_read_after_conversion() -> None:
    from pipelines.template.report import parse_file

    report = parse_file(EXCERPTS / "fuyuan_zrzyj_2022.txt")  # 信息內容 | 本年制發件數 …
    assert (report.agency, report.year, report.template) == ("抚远市自然资源局", 2022, "2021")
    assert any(c.status != "missing" for c in report.cells.values())


# Where real pages name the publisher when no title does (wild3: 44 pages, December 2026).
def test_verb_before_a_street_is_not_part_of_its_name() -> None:
    # 现公开东城街道办事处…: the generic street reading must not take 现公开 into the street's name.
    text = "根据《条例》规定,现公开东城街道办事处2022年政府信息公开工作年度报告。\n一、总体情况\n"
    result = find_agency_name(text)
    assert (result.name, result.source) == ("东城街道办事处", "preface")


def test_verb_before_a_district_and_street_named_without_its_suffix() -> None:
    text = "根据《条例》的规定,现公布藁城区太平镇2022年政府信息公开工作年度报告,数据统计至12月31日。\n一、总体情况\n"
    assert find_agency_name(text).name == "藁城区太平镇人民政府"


def test_report_said_to_be_reported_names_its_publisher() -> None:
    text = "根据《条例》要求,现将桃江县松木塘镇人民政府2021年度信息公开工作的总体情况报告如下。\n一、总体情况\n"
    assert find_agency_name(text).name == "桃江县松木塘镇人民政府"


def test_opening_sentence_names_a_national_body() -> None:
    text = "按照有关要求,编制本报告。\n一、总体情况\n2022年,国家知识产权局坚持依法公开。\n"
    result = find_agency_name(text)
    assert (result.name, result.source) == ("国家知识产权局", "opening")


def test_opening_sentence_names_a_township_completed_from_the_contact() -> None:
    text = "一、总体情况\n2025年,北坡镇人民政府严格依照条例开展工作。如有疑问请与遂溪县北坡镇人民政府党政办公室联系。\n"
    assert find_agency_name(text).name == "遂溪县北坡镇人民政府"


def test_contact_office_is_its_body() -> None:
    text = "编制我局2021年度政府信息公开年度报告。如对本报告有任何疑问,请与抚远市自然资源局办公室联系。\n一、总体情况\n"
    assert find_agency_name(text).name == "抚远市自然资源局"


def test_county_government_office_stays_an_office() -> None:
    text = "编制本报告。如有疑问,请与佳县人民政府办公室联系。\n一、总体情况\n我办认真落实条例。\n"
    assert find_agency_name(text).name == "佳县人民政府办公室"


def test_address_in_brackets_is_not_glued_to_the_name() -> None:
    text = "本报告依条例编制。如有疑问,请联系广州市天河区东城街道办事处(办公地址:天河路1号)。\n一、总体情况\n"
    assert find_agency_name(text).name == "广州市天河区东城街道办事处"


def test_name_opening_a_long_compiled_by_clause() -> None:
    text = (
        "本年度报告由国家林业和草原局根据《中华人民共和国政府信息公开条例》以及国务院办公厅政府信息与政务公开办公室"
        "《中华人民共和国政府信息公开工作年度报告格式》要求编制而成。\n一、总体情况\n"
    )
    assert find_agency_name(text).name == "国家林业和草原局"


def test_bureau_without_region_in_compiled_by_clause_stays_unknown() -> None:
    text = "本报告根据条例要求,由信访局结合有关统计数据编制。\n一、总体情况\n我局认真落实条例。\n"
    assert find_agency_name(text).name is None


def test_issuer_of_a_cited_notice_is_not_the_publisher() -> None:
    text = (
        "根据条例的规定和瓯海区人民政府办公室《关于做好2024年度政府信息公开工作年度报告编制工作的通知》的要求,"
        "结合我局实际,现将2024年度政府信息公开工作年度报告如下:\n一、总体情况\n我局认真落实条例。\n"
    )
    assert find_agency_name(text).name is None


def test_region_and_a_bare_suffix_is_not_an_organ() -> None:
    # 省公安厅 holds 公安(县) + 厅, 市自然资源局 资源(县) + 局, 自然资源和规划局 资源(县) + 和规划局: each is an
    # organ without its region
    for span in ("公安厅", "资源局", "资源和规划局"):
        parsed = parse_name(span)
        assert parsed is not None, span
        assert parsed.partial == "region", span
    assert parse_name("公安县人民政府") is not None


def test_development_zone_publishes_as_itself() -> None:
    text = "随县经济开发区2019年政府信息公开工作年度报告随县经济开发区2019年政府信息公开工作年度报告2019年,开发区认真贯彻条例。\n"
    assert find_agency_name(text).name == "随县经济开发区"


def test_title_with_swapped_tail_characters_names_the_publisher() -> None:
    text = "首页\n昌图县七家子镇2023年政府信息公开 工作告年度报\n来源:昌图县人民政府办公室\n一、总体情况\n"
    assert find_agency_name(text).name == "昌图县七家子镇人民政府"


def test_pinyin_glosses_of_a_mirror_page_are_dropped() -> None:
    text = "本年度報告由國家機(jī)關(guān)事務(wù)管理局根據(jù)條例要求編制而成。\n一、總體情況\n第二十條第(五)項(xiàng)\n"
    assert simplified_if_traditional(text).startswith("本年度报告由国家机关事务管理局根据条例")
    assert find_agency_name(text).name == "国家机关事务管理局"


def test_opening_sentence_against_the_body_is_unknown() -> None:
    text = (
        "一、总体情况\n2023年,佳县人民政府高度重视政务公开。佳县教育局认真落实条例,"
        "佳县教育局主动公开信息,佳县教育局按时答复。\n"
    )
    result = find_agency_name(text)
    assert result.name is None
    assert "佳县人民政府" in result.reason
    assert "佳县教育局" in result.reason


def test_sentence_opening_with_a_cut_off_date_names_the_township() -> None:
    text = (
        "编制2019年度我乡信息公开工作年度报告。\n一、总体情况\n截至2019年12月31日,白马镇人民政府通过平台公开信息3条。\n"
    )
    assert find_agency_name(text).name == "白马镇人民政府"


def test_street_named_jie_is_the_lists_jiedao() -> None:
    # Tianjin's streets print 佳荣里街 for the list's 佳荣里街道 (北辰区, the only one)
    result = find_agency_name("佳荣里街2021年政府信息公开工作年度报告\n一、总体情况\n全街共受理申请1件。\n")
    assert result.name == "北辰区佳荣里街道办事处"
    assert result.confidence == "medium"


def test_region_government_in_a_title_is_its_peoples_government() -> None:
    result = find_agency_name("2022年上海市政府信息公开工作年度报告\n一、总体情况\n2022年,全市深入推进公开。\n")
    assert (result.name, result.source) == ("上海市人民政府", "title")


def test_column_name_over_the_title_is_not_part_of_the_name() -> None:
    # a new area's street page: the column 正阳街道, then the title, then the title again over two lines
    text = (
        "正阳街道\n\n正阳街道办事处2023年政府信息公开工作年度报告\n\n正阳街道办事处\n\n2023年政府信息公开工作年度报告\n\n"
        "本年度报告根据《中华人民共和国政府信息公开条例》要求编制。\n一、总体情况\n2023年度,正阳街道严格落实条例。\n"
    )
    result = find_agency_name(text)
    assert result.name == "正阳街道办事处"
    assert "its county is not named" in result.reason


def test_a_township_county_is_read_on_the_names_own_line() -> None:
    # the line before (太平镇, the site's column) is no county of 太平镇's
    text = "太平镇\n太平镇人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n全镇公开信息9条。\n"
    assert find_agency_name(text).name == "太平镇人民政府"


def test_zone_committee_named_after_its_own_place_is_the_titles_name() -> None:
    # the site's name (西安•莲湖) is no division's whole name: nothing to add, said to be probable
    text = (
        "桃园开发区管委会2023年信息公开工作年度报告\n本报告电子版可在西安•莲湖政府门户网站浏览。\n"
        "一、总体情况\n2023年度,管委会积极落实工作要求。\n"
    )
    result = find_agency_name(text)
    assert (result.name, result.confidence) == ("桃园开发区管委会", "medium")


def test_zone_committee_without_a_place_of_its_own_stays_unknown() -> None:
    text = "高新区管委会2023年政府信息公开工作年度报告\n一、总体情况\n2023年度,管委会积极落实工作要求。\n"
    assert find_agency_name(text).name is None


def test_street_office_short_form_is_the_streets_office_not_the_regions_organ() -> None:
    # 东城街道办: 东城街道's office (its short form), never 东城区 + an organ 街道办
    assert parse_name("东城街道办") == parse_name("东城街道办事处")
    text = "东城街道办2023年政府信息公开工作年度报告\n一、总体情况\n2023年,东城街道办认真落实条例。\n"
    result = find_agency_name(text)
    assert result.name == "东城街道办事处"
    assert "its county is not named" in result.reason


def test_street_office_short_form_in_the_body_alone_is_no_regions_organ() -> None:
    # a page without a title naming 北京街道办 (广州's street, the only one) in its body: never
    # 北京市's organ; its county from the division list, said to be probable
    text = "一、总体情况\n2020年,北京街道办认真贯彻落实条例。北京街道办全年主动公开政府信息86条。\n"
    result = find_agency_name(text)
    assert (result.name, result.confidence) == ("越秀区北京街道办事处", "medium")


def test_a_second_name_in_brackets_is_the_same_body_not_a_rival() -> None:
    # 武昌经开区管委会(滨江商务区管委会): one committee with two names; the bracketed one, printed as often
    # as the first, does not outvote the opening sentence's name
    text = (
        "政府信息公开工作年度报告\n武昌经开区管委会(滨江商务区管委会)\n2026年1月8日\n一、总体情况\n"
        "2025年,武昌经济开发区管委会(滨江商务区管委会)深入贯彻落实条例。\n"
    )
    result = find_agency_name(text)
    assert (result.name, result.source) == ("武昌经济开发区管委会", "opening")


def test_a_name_in_brackets_after_other_words_is_still_counted() -> None:
    # the bracket opens after a verb, not a name: 滨江商务区管委会 is named in its own right
    text = "一、总体情况\n2025年,依法(滨江商务区管委会)公开。滨江商务区管委会全年公开信息9条。\n"
    assert find_agency_name(text).name == "滨江商务区管委会"


def test_customs_house_is_named_after_its_city() -> None:
    # 海关 is an organ's suffix: 重庆海关 is a whole name, and its office the house's contact
    assert parse_name("重庆海关") is not None
    assert parse_name("重庆海关").partial is None  # type: ignore[union-attr]
    text = "一、总体情况\n2023年,我关认真落实条例。如有疑问,请联系湛江海关办公室(电话:0759-3251658)。\n"
    assert find_agency_name(text).name == "湛江海关"


def test_customs_district_report_is_the_customs_houses() -> None:
    # 重庆海关关区: the house's district (关区) in the title, the house publishes its report
    title = "重庆海关关区2020年政府信息公开年报\n一、总体情况\n2020年,我关认真落实条例。\n"
    assert (find_agency_name(title).name, find_agency_name(title).source) == ("重庆海关", "title")
    preface = (
        "根据《条例》等规定,梳理编制湛江海关关区2023年政府信息公开工作年度报告。如有疑问,请联系湛江海关办公室。\n"
        "一、总体情况\n2023年,我关认真落实条例。\n"
    )
    assert (find_agency_name(preface).name, find_agency_name(preface).confidence) == ("湛江海关", "high")


def test_a_region_printed_twice_is_the_name_printed_once() -> None:
    # 渠县渠县行政审批局: no division is inside itself, so the second 渠县 is a typo, not a chain
    assert parse_name("渠县渠县行政审批局").name == "渠县行政审批局"  # type: ignore[union-attr]
    text = "一、总体情况\n今年以来,在县委的领导下,渠县渠县行政审批局政务公开工作紧紧围绕决策部署。\n"
    assert find_agency_name(text).name == "渠县行政审批局"


def test_a_region_inside_a_region_of_the_same_words_is_no_doubling() -> None:
    # 吉林省 then 吉林市 inside it: a chain of two divisions, both kept
    assert parse_name("吉林省吉林市公安局").name == "吉林省吉林市公安局"  # type: ignore[union-attr]


def test_a_name_and_its_form_without_the_city_are_one_body() -> None:
    # named once in full and once without its city: one body twice, not two rivals
    text = (
        "一、总体情况\n本年报是根据条例规定,由西宁市城中区生态环境局编写了2022年度政府信息公开工作年度报告。\n"
        "城中区生态环境局信息公开工作依托三种渠道开展。一是在西宁市城中区人民政府政务信息专栏进行电子化公开。\n"
    )
    assert find_agency_name(text).name == "西宁市城中区生态环境局"


def test_two_bodies_ending_with_the_same_name_do_not_take_its_count() -> None:
    # 城中区教育局 is 西宁市's or 柳州市's: neither takes its count, and the tie stays unknown
    text = "一、总体情况\n西宁市城中区教育局、柳州市城中区教育局和城中区教育局共同开展工作。\n"
    assert find_agency_name(text).name is None


def test_a_banners_short_form_is_its_region() -> None:
    # 西乌旗 is 西乌珠穆沁旗: the title's name is whole, with no division to add from the text
    text = "西乌旗自然资源局2020年政府信息公开工作年度报告\n一、总体情况\n2020年,我局认真落实条例。\n"
    assert (find_agency_name(text).name, find_agency_name(text).confidence) == ("西乌旗自然资源局", "high")


def test_a_rival_read_inside_the_opening_name_is_its_own_words() -> None:
    # 清镇人民政府 is read inside 永清镇人民政府 (清镇 as 清镇市's short form): no rival to it
    text = "一、总体情况\n2025年,永清镇人民政府严格遵循部署。\n(一)主动公开。我镇公开信息17条。\n"
    assert find_agency_name(text).name == "永清镇人民政府"


def test_that_rival_named_on_its_own_more_often_still_makes_the_name_unknown() -> None:
    text = "一、总体情况\n2025年,永清镇人民政府严格遵循部署。\n清镇人民政府、清镇人民政府和清镇人民政府共同推进。\n"
    assert find_agency_name(text).name is None


def test_school_by_its_short_name_is_its_countys_numbered_school() -> None:
    # 怀远 is 怀远县's short form, 二中 its second school: the name as printed, its region printed too
    text = "怀远二中2021年政府信息公开工作年度报告\n本报告由怀远二中编制。\n一、总体情况\n2021年,我校公开信息117条。\n"
    result = find_agency_name(text)
    assert (result.name, result.confidence) == ("怀远二中", "high")


def test_company_named_in_the_opening_sentence_is_the_publisher() -> None:
    text = "一、总体情况\n2024年,桐乡市水务集团有限公司严格贯彻落实《中华人民共和国政府信息公开条例》。\n"
    result = find_agency_name(text)
    assert (result.name, result.source) == ("桐乡市水务集团有限公司", "opening")


def test_a_company_needs_a_name_of_its_own() -> None:
    # 桐乡市 + 公司 is no company of 桐乡市's (at most a name whose region is not known)
    parsed = parse_name("桐乡市公司")
    assert parsed is None or parsed.partial == "region"


def test_university_on_a_line_over_an_academic_year_title() -> None:
    text = "重庆工商大学\n2022-2023学年度信息公开工作报告\n特向社会公布本报告。\n一、概述\n学校加强信息公开工作。\n"
    assert find_agency_name(text).name == "重庆工商大学"


def test_institute_of_the_chinese_academy_is_a_national_body() -> None:
    # 中国 is its region: the name is whole
    text = "中国科学院物理研究所2022年度信息公开工作报告\n一、信息公开情况\n2022年,物理所网站公开信息数303条。\n"
    result = find_agency_name(text)
    assert (result.name, result.confidence) == ("中国科学院物理研究所", "high")


def test_zone_committee_named_only_in_the_opening_sentence_is_probable() -> None:
    text = "本报告根据《条例》编制。\n一、总体情况\n2023年,甘眉工业园区管委会严格按照《条例》,坚持以公开为常态。\n"
    result = find_agency_name(text)
    assert (result.name, result.source, result.confidence) == ("甘眉工业园区管委会", "opening", "medium")


def test_management_area_named_in_the_index_table_is_probable() -> None:
    # the title in an index table's cell: a place of its own (城东), no region printed
    text = (
        "| 名称 | 城东管理区2025年政府信息公开工作年度报告 | ||||\n|---|---|---|---|---|---|\n"
        "| 文号 | 文件分类 | 综合政务 | 所属机构 | 城东管理区 | |\n一、总体情况\n本年度,城东管理区坚持依法公开。\n"
    )
    result = find_agency_name(text)
    assert (result.name, result.confidence) == ("城东管理区", "medium")


def test_management_area_is_no_organ_of_a_like_named_district() -> None:
    # 城东 is also 城东区's short form (西宁市): 城东管理区 is no organ of that district
    assert parse_name("城东管理区").partial == "region"
    assert parse_name("管理区") is None


def test_a_hospitals_office_as_the_contact_stands_for_the_hospital() -> None:
    text = (
        "2019年,我院高度重视政府信息公开工作。如对本报告有任何疑问,可与太和县中医院行政办公室联系。\n"
        "一、基本情况\n2019年我院主动公开医院信息213条。\n"
    )
    assert find_agency_name(text).name == "太和县中医院"


def test_university_title_with_its_academic_year_on_one_line() -> None:
    # 长江 is no division: the university's name is its own, said probable (no region printed)
    result = find_agency_name("长江大学2020—2021学年信息公开工作年度报告\n一、概述\n学校推进信息公开。\n")
    assert (result.name, result.confidence) == ("长江大学", "medium")


def test_the_whole_township_is_no_township_named_quan() -> None:
    # 全乡 (the whole township) opens a sentence: no township 全乡人民政府; the text names none
    text = "一、2023年政务公开总体情况\n(一)主动公开。2023年全乡主动公开信息共计70条。\n(二)依申请公开。我乡受理0条。\n"
    assert find_agency_name(text).name is None


def test_a_street_after_a_zone_ending_in_qu_does_not_take_the_qu() -> None:
    # 大连长兴岛经济技术开发区 + 长兴岛街道: the street's county comes from the division list, said probable
    name = find_agency_name("大连长兴岛经济技术开发区长兴岛街道2022年政府信息公开工作年度报告\n一、总体情况\n")
    assert (name.name, name.confidence) == ("瓦房店市长兴岛街道办事处", "medium")


def test_a_tax_bureaus_numbered_branch_keeps_its_number() -> None:
    text = "本报告由国家税务总局上海市税务局第三税务分局编制。\n一、总体情况\n2021年,第三税务分局认真贯彻条例。\n"
    assert find_agency_name(text).name == "国家税务总局上海市税务局第三税务分局"


def test_a_tax_bureau_named_short_in_the_opening_is_its_whole_name_in_the_preface() -> None:
    text = (
        "根据条例要求,国家税务总局珠海市税务局向社会公布本单位2020年政府信息公开工作年度报告。\n一、总体情况\n"
        "2020年,珠海市税务局深入贯彻决策部署。\n"
    )
    assert find_agency_name(text).name == "国家税务总局珠海市税务局"


def test_a_zones_policy_research_office_publishes() -> None:
    text = "本年度报告由长春净月高新技术产业开发区政策研究室依据《条例》以及部门信息公开工作编制而成。\n一、总体情况\n"
    assert find_agency_name(text).name == "长春净月高新技术产业开发区政策研究室"


def test_the_general_administration_of_customs_for_its_own_organ() -> None:
    text = "海关总署(本级机关)2020年政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name == "海关总署"


def test_the_nations_name_before_customs_is_no_customs_house() -> None:
    # 《中华人民共和国海关政府信息公开办法》: not 共和(县) + 国海关, nor a house named 共和国
    text = "一、总体情况\n海关系统废止原部门规章《中华人民共和国海关政府信息公开办法》。\n"
    assert find_agency_name(text).name is None


def test_information_before_technology_may_be_in_a_bureaus_name() -> None:
    text = "五常市工业信息科技局2023年政府信息公开工作年度报告\n一、总体情况\n"
    assert find_agency_name(text).name == "五常市工业信息科技局"


def test_the_opening_sentence_after_this_year_names_the_publisher() -> None:
    text = "一、总体情况\n今年以来,天门镇进一步完善政务公开机制。\n(一)主动公开\n2024年我镇主动公开各类信息1099条。\n"
    # the only 天门镇 of the division list is in 义安区: the county from the list, said probable
    name = find_agency_name(text)
    assert (name.name, name.confidence) == ("义安区天门镇人民政府", "medium")


def test_a_page_on_one_line_with_markup_debris_is_not_dropped_as_chrome() -> None:
    # a mirror's `?/p>` is no breadcrumb's >, and a line of hundreds of characters is the page itself
    text = (
        "编制说明:本报告依规定编制。 一、总体情况 衡阳市统计局坚持以人民为中心。 ?! ?/p> " + "全年发布统计信息。" * 40
    )
    assert find_agency_name(text).name == "衡阳市统计局"


def test_an_archives_office_stands_for_its_archive() -> None:
    # 由下陆区档案馆办公室编制: the archive's own office compiled the report, the archive publishes it
    assert find_agency_name("本报告由下陆区档案馆办公室编制。\n一、总体情况\n").name == "下陆区档案馆"


def test_the_verb_jiehe_is_no_part_of_a_township() -> None:
    # 结合红星乡实际: not a township named 结合红星
    assert find_agency_name("一、总体情况\n2023年,结合红星乡实际,做好公开。\n").name is None


def test_a_leagues_own_report_is_its_administrative_office() -> None:
    # a league or prefecture has no 人民政府: 兴安盟行政公署 governs 兴安盟
    assert find_agency_name("兴安盟2024年政府信息公开工作年度报告\n一、总体情况\n").name == "兴安盟行政公署"
    assert find_agency_name("阿里地区2023年政府信息公开工作年度报告\n一、总体情况\n").name == "阿里地区行政公署"


def test_the_index_title_field_beside_its_date_is_the_title() -> None:
    for text in (
        "名称: 下陆区档案馆2022年政府信息公开工作年度报告 发布日期: 2023-01-18\n一、总体情况\n",
        "| 名称 | 下陆区档案馆2022年政府信息公开工作年度报告 | 发布日期 | 2023-01-18 |\n一、总体情况\n",
    ):
        assert find_agency_name(text).name == "下陆区档案馆"


def test_a_receiver_is_no_publisher() -> None:
    # 向临沂市人民政府办公室报送: the office the report is sent to
    text = "一、总体情况\n2023年,按要求向临沂市人民政府办公室报送年度报告。\n"
    assert find_agency_name(text).name is None


def test_a_rules_title_ending_banfa_is_no_office() -> None:
    # 《西华县政务公开工作考核办法》: 考核办 + 法, no office 西华县政务公开工作考核办
    text = "一、总体情况\n按照《西华县政务公开工作考核办法》要求开展工作。\n"
    assert find_agency_name(text).name is None


def test_a_park_committee_named_after_its_own_place_is_probable() -> None:
    for text in (
        "苏银产业园管理委员会2025年政府信息公开工作年度报告\n一、总体情况\n",
        "根据条例要求,现发布《苏银产业园管理委员会2025年政府信息公开工作年度报告》。\n一、总体情况\n",
    ):
        name = find_agency_name(text)
        assert (name.name, name.confidence) == ("苏银产业园管理委员会", "medium")
    name = find_agency_name("通航产业园管理办2023年政府信息公开工作年度报告\n一、总体情况\n")
    assert (name.name, name.confidence) == ("通航产业园管理办", "medium")


def test_a_year_inside_the_titles_tail() -> None:
    for text in (
        "重庆市大足区人民政府外事办公室政府信息公开工作2022年度报告\n一、总体情况\n",
        "重庆市大足区人民政府外事办公室\n政府信息公开工作2022年度报告\n一、总体情况\n",
    ):
        name = find_agency_name(text)
        assert (name.name, name.source) == ("重庆市大足区人民政府外事办公室", "title")


def test_a_short_form_after_the_published_name_is_no_part_of_it() -> None:
    text = "现公布清远市清新区人民政府办公室(以下简称区政府办公室)2022年政府信息公开工作年度报告。\n一、总体情况\n"
    assert find_agency_name(text).name == "清远市清新区人民政府办公室"


def test_a_township_named_only_in_the_index_publisher_field() -> None:
    # 发布机构 in one cell, the township on the next line; the county from the division list, probable
    text = "索引号:|123|发布机构:|\n蓬华镇人民政府|||\n发布日期:2024-01-20\n根据条例,编制本报告。\n一、总体情况\n2023年,我镇认真做好公开。\n"
    name = find_agency_name(text)
    assert (name.name, name.confidence) == ("南安市蓬华镇人民政府", "medium")


def test_a_region_alone_opening_the_report_is_its_government_probable() -> None:
    name = find_agency_name("一、总体情况\n2023年,三亚市坚持以习近平新时代中国特色社会主义思想为指导。\n")
    assert (name.name, name.confidence) == ("三亚市人民政府", "medium")
    # 全市 is no region, and a bureau the body names is the publisher, not the region
    assert find_agency_name("一、总体情况\n2023年,全市坚持以人民为中心。\n").name is None
    text = "一、总体情况\n2023年,三亚市坚持以人民为中心。请与三亚市教育局联系。\n"
    assert find_agency_name(text).name == "三亚市教育局"
    # the government's own office, or the bureau compiling the region's report, named as the contact is no rival
    for contact in ("喀什市政府办公室", "喀什市政务服务和数据管理局政务公开办公室"):
        text = f"本报告依条例编制。如有疑问,请与{contact}联系。\n一、总体情况\n2022年,喀什市坚持以人民为中心。\n"
        assert find_agency_name(text).name == "喀什市人民政府"


def test_the_index_publisher_field_confirms_the_opening_over_the_host() -> None:
    # the host (所属机构) named more often is no rival where 发布机构 names the opening's township
    text = (
        "所属机构: | 靖远县融媒体中心 | 发布机构: |\n靖远县大芦镇人民政府 | |\n来自靖远县融媒体中心。\n"
        "一、总体情况\n2023年,大芦镇人民政府认真做好公开。联系靖远县融媒体中心。\n"
    )
    assert find_agency_name(text).name == "靖远县大芦镇人民政府"


def test_the_index_publisher_field_is_read_after_the_opening() -> None:
    # a page's 发布机构 may be its host: the opening sentence's office publishes
    text = (
        "| 发布机构 | 乌恰县人民政府 | 发布日期 | 2026-01-19 |\n本报告依条例编制。\n一、总体情况\n"
        "2025年,乌恰县人民政府办公室始终以习近平新时代中国特色社会主义思想为根本遵循。\n"
    )
    assert find_agency_name(text).name == "乌恰县人民政府办公室"


def test_a_county_short_form_inside_an_organs_word_is_no_region() -> None:
    # 资源 is 资源县's short form: 市人力资源社会保障局 is no 资源(县)社会保障局, 区自然资源局局 (局 twice) no 资源(县)局局
    text = "一、总体情况\n2020年,市人力资源社会保障局认真落实。市人力资源社会保障局严格执行。\n"
    assert find_agency_name(text).name is None
    text = "一、总体情况\n涵盖了2022年麒麟区自然资源局政府信息公开工作。区自然资源局局认真落实。\n"
    assert find_agency_name(text).name == "麒麟区自然资源局"
    # a body of 资源县 itself is still read
    assert find_agency_name("资源县教育局2023年政府信息公开工作年度报告\n一、总体情况\n").name == "资源县教育局"


def test_a_regions_summary_report_is_its_government_probable() -> None:
    preface = "本年度报告综合2017年度丽水市各县(市、区)政府和市级各部门的政府信息公开年度工作报告编制而成。"
    text = (
        preface
        + "如对本报告有疑问,请与丽水市人民政府办公室政府信息公开中心联系。\n一、概述\n2017年,我市全面推进公开。\n"
    )
    name = find_agency_name(text)
    assert (name.name, name.confidence) == ("丽水市人民政府", "medium")
    # a bureau the body names is the publisher, not the region
    text = preface + "如对本报告有疑问,请与丽水市财政局联系。\n一、概述\n"
    assert find_agency_name(text).name == "丽水市财政局"


def test_a_zones_own_office_and_committee_are_no_rivals_of_the_opening() -> None:
    # the zone (ending in 区) counts for nothing in the body; its 党政办公室 and 管理委员会 are the zone's own units
    text = (
        "本报告依条例编制。如有疑问,请与呼和浩特经济技术开发区党政办公室联系(地址:呼和浩特经济技术开发区管理委员会办公楼)。\n"
        "一、总体情况\n2023年,呼和浩特经济技术开发区坚持以人民为中心。\n"
    )
    assert find_agency_name(text).name == "呼和浩特经济技术开发区"
    # another body named more often is still a rival
    text = (
        "请与呼和浩特市财政局联系。呼和浩特市财政局。\n一、总体情况\n2023年,呼和浩特经济技术开发区坚持以人民为中心。\n"
    )
    assert find_agency_name(text).name is None


def test_an_organ_named_by_its_level_takes_the_one_division_of_that_level() -> None:
    preface = "根据《平武县人民政府办公室关于2021年度政府信息公开工作年度报告编制工作的通知》要求,现将情况报告如下:\n"
    text = preface + "一、总体情况\n2021年,县统计局积极加强网站建设。\n"
    name = find_agency_name(text)
    assert (name.name, name.confidence) == ("平武县统计局", "medium")
    # two counties named, or none, or another level: unknown
    two = "根据《平武县人民政府办公室关于…的通知》和《盐亭县人民政府办公室关于…的通知》要求:\n"
    assert find_agency_name(two + "一、总体情况\n2021年,县统计局积极加强网站建设。\n").name is None
    assert find_agency_name("一、总体情况\n2021年,县统计局积极加强网站建设。\n").name is None
    assert find_agency_name(preface + "一、总体情况\n2021年,区统计局积极加强网站建设。\n").name is None
    # 市场监督管理局 after 市 (市市场…) is the organ's own word; 城区 inside 藁城区 is no second division
    notice = "根据《藁城区人民政府办公室关于…的通知》要求:\n一、总体情况\n"
    text = notice + "2021年,区市场监督管理局积极加强网站建设。2021年,市场监督管理局认真学习。\n"
    assert find_agency_name(text).name == "藁城区市场监督管理局"


def test_a_cover_names_the_publisher_over_its_month() -> None:
    text = "\n廣州市人民政府\n2013年3月\n本年度報告是根據《條例》要求編寫而成。\n一、概述\n2012年,我市深化政務公開。\n"
    name = find_agency_name(text)
    assert (name.name, name.source) == ("广州市人民政府", "title")
    # a signature over its date after the report's first part is no cover
    text = "一、总体情况\n2023年,我局认真落实条例。\n楚雄州生态环境局禄丰分局\n2024年1月10日\n"
    assert find_agency_name(text).source == "signature"
    # a title line over the month is no name
    assert find_agency_name("2023年政府信息公开工作年度报告\n2024年1月\n一、总体情况\n").name is None


def test_a_fire_and_rescue_unit_names_itself() -> None:
    # 宝坻区消防救援支队 over its title's tail was read as 宝坻区's government (the opening's region alone), and
    # 由枣庄高新区消防救援大队编制 as 枣庄高新区
    text = "宝坻区消防救援支队\n政府信息公开工作2025年度报告\n一、总体情况\n2025年,宝坻区消防救援支队深入贯彻落实《条例》。\n"
    assert find_agency_name(text).name == "宝坻区消防救援支队"
    text = "本报告由枣庄高新区消防救援大队编制。\n一、总体情况\n2025年,我大队在区党工委、管委会的正确领导下…\n"
    assert find_agency_name(text).name == "枣庄高新区消防救援大队"
    # 大队 alone stays a sub-unit, not a body of its own
    assert parse_name("消防救援大队") is None


def test_a_zone_committees_office_stands_for_the_committee() -> None:
    # 管委会办公室 was cut as 管委 + 会办公室 (high, silent): the office's owner is the whole committee
    text = "本年报由宁波国家高新区管委会办公室编制。\n一、总体情况\n2019年,我委进一步加强领导。\n"
    assert find_agency_name(text).name == "宁波国家高新区管委会"
    text = "根据条例编制。\n一、总体情况\n2019年,宁波国家高新区(新材料科技城)管委会办公室政务公开工作按照要点…\n"
    assert find_agency_name(text).name == "宁波国家高新区(新材料科技城)管委会"
    # a 管理委员会's office, as before
    text = "根据条例编制。\n一、总体情况\n2019年,重庆高新区管理委员会办公室严格贯彻落实…\n"
    assert find_agency_name(text).name == "重庆高新区管理委员会"


def test_a_citys_weather_department_is_its_weather_bureau() -> None:
    # 湖北省咸宁市气象部门2022年… was read as 咸宁市人民政府 (the opening's region alone, probable)
    text = "湖北省咸宁市气象部门2022年政府信息公开工作年度报告\n一、总体情况\n2022年,咸宁市气象部门认真贯彻落实…\n"
    assert find_agency_name(text).name == "湖北省咸宁市气象局"
    assert parse_name("徐州市气象部门").name == "徐州市气象局"  # type: ignore[union-attr]


def test_a_zones_other_forms_of_its_name_are_no_rivals() -> None:
    # the opening's 番禺经济技术开发区管委会 tied against its short form 番禺经开区管委会 (named twice): unknown
    text = (
        "一、总体情况\n2024年,番禺经济技术开发区管委会坚持以习近平新时代中国特色社会主义思想为指导。\n"
        "番禺经开区管委会始终将政务信息主动公开作为重要抓手。2024年,番禺经开区管委会主动公开各类信息74条。\n"
    )
    assert find_agency_name(text).name == "番禺经济技术开发区管委会"
    # its office after its province's name, in the contact line
    text = (
        "如对本报告有任何疑问,请与安徽舒城经济开发区综合办公室联系。\n一、总体情况\n"
        "2025年,舒城经济开发区深入贯彻省、市、区关于政务公开的各项文件部署。\n"
    )
    assert find_agency_name(text).name == "舒城经济开发区"
    # another zone's committee named more often is still a rival
    text = "一、总体情况\n2024年,番禺经济技术开发区管委会坚持…\n南沙经开区管委会指导…南沙经开区管委会检查…\n"
    assert find_agency_name(text).name is None


def test_the_portal_a_report_downloads_from_is_no_publisher() -> None:
    # 报告可在定州市人民政府门户(http://…)下载 over 经济开发区管委会's report (no region) was read as 定州市人民政府
    text = (
        "2020年政府信息公开工作年度报告\n本报告的统计数据时间自2020年1月1日起至2020年12月31日,报告可在定州市人民政府门户"
        "(http://www.dzs.gov.cn)下载。如对本报告有任何疑问,请与经济开发区管委会党政办公室联系。\n一、总体情况\n"
    )
    assert find_agency_name(text).name is None
    text = text.replace("经济开发区管委会党政办公室", "武邑县民政局办公室")
    assert find_agency_name(text).name == "武邑县民政局"


def test_a_zones_office_compiling_its_report_stands_for_the_zone() -> None:
    # 由临沂高新区党政办公室…编制 was read as the office itself (high)
    text = "本报告由临沂高新区党政办公室按照《条例》的要求编制。\n一、总体情况\n全年共发布管委会文件41件。\n"
    assert find_agency_name(text).name == "临沂高新区"
    # a district government's office is a body of its own
    text = "本报告由天河区人民政府办公室按照《条例》的要求编制。\n一、总体情况\n"
    assert find_agency_name(text).name == "天河区人民政府办公室"


def test_a_bureau_saying_we_is_its_own_website_named() -> None:
    # 我局 and only 深圳市交通运输局网站 named: unknown before
    text = (
        "本报告结合我局职能和工作实际编制。本报告电子版可在深圳市交通运输局网站(jtys.sz.gov.cn)信息公开专栏查阅。如对"
        "本报告有任何疑问,请与我局政务公开工作小组联系。\n一、总体情况\n2021年,我局主动公开政府信息2088条。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("深圳市交通运输局", "medium")
    # a government's portal under 我局 names nobody; nor two bodies' sites
    assert find_agency_name(text.replace("深圳市交通运输局网站", "深圳市人民政府网站")).name is None
    two = text.replace("查阅。", "查阅,或在深圳市教育局网站查阅。")
    assert find_agency_name(two).name is None


def test_a_street_named_short_as_x_jie_opens_the_report() -> None:
    # 2022年,白云街以习近平…为指导 (越秀区's 白云街道): the opening was never read on a name ending 街
    text = "一、总体情况\n2022年,白云街以习近平新时代中国特色社会主义思想为指导。\n2022年,我街共受理申请1件。\n"
    assert find_agency_name(text).name == "白云街道办事处"
    # 大街, 全街: no street of the list
    assert find_agency_name("一、总体情况\n2022年,全街共受理申请1件。\n").name is None


def test_a_title_naming_two_zones_names_the_first() -> None:
    # round 11's open class: the title was not read (示范区 is no organ), the opening's short form was
    text = "阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区2024年政府信息公开工作年度报告\n一、总体情况\n2024年,我区坚持…\n"
    found = find_agency_name(text)
    assert (found.name, found.source) == ("阿拉善高新技术产业开发区", "title")
    # a single zone's title is read as before
    assert find_agency_name("随县经济开发区2019年政府信息公开工作年度报告\n").name == "随县经济开发区"


def test_a_township_named_only_in_its_contacts_address() -> None:
    # 地址:溪下乡人民政府党政综合办公室 (the body's count passes addresses over) and 我乡: unknown before
    text = (
        "如对本年度报告有疑问,请与本单位政府信息公开受理机构联系,地址:浙江省puroview.com溪下乡人民政府党政综合办公室。\n"
        "一、总体情况\n2023年度,我乡设立便捷有效的申请途径。2023年度溪下乡未收到政府信息公开申请。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("永嘉县溪下乡人民政府", "medium")
    # a bureau's report (我局) with a township's office in an address names nobody
    assert find_agency_name(text.replace("我乡", "我局")).name is None


def test_a_commission_short_form_is_the_same_body_as_its_whole_name() -> None:
    # 海南省卫生健康委高度重视… beside its contact 海南省卫生健康委员会办公室: a tie of one body with itself, unknown before
    text = (
        "本年度报告的电子版可在海南省卫生健康委员会门户网站下载。如对本年度报告有疑问,请与海南省卫生健康委员会办公室联系。\n"
        "一、总体情况\n海南省卫生健康委高度重视政府信息公开工作。2020年度,我委共主动公开政府信息3895条。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("海南省卫生健康委员会", "medium")
    # another commission's short form is still a rival
    assert find_agency_name(text.replace("海南省卫生健康委高度", "海南省发展和改革委高度")).name is None


def test_proposals_handled_are_no_county_office() -> None:
    # 和政协委员提案办理结果: 和政县's short form and 提案办 before 理 read as a body (和政协委员提案办, probable) before
    text = "一、概述\n2018年,我委进一步推进人大代表建议和政协委员提案办理结果公开,对16个建议提案均公开答复全文。\n"
    assert find_agency_name(text).name is None
    # with its publisher in the contact, the publisher
    named = "如对本报告有疑问,请与四川省卫生健康委员会办公室联系。\n" + text
    assert find_agency_name(named).name == "四川省卫生健康委员会"
    # a county bureau named in the contact beside the same words
    assert find_agency_name("如有疑问,请与和政县信访局联系。\n" + text).name == "和政县信访局"


def test_a_bulletin_pages_title_label_is_no_part_of_the_name() -> None:
    # 公报标题黄石市卫健委2019年…: read 黄石市公报标题黄石市卫健委 (the label a name without region, 黄石市 from the body)
    text = (
        "当前位置: 首页 > 政府信息公开 > 政府信息公开年报\n公报标题黄石市卫健委2019年政府信息公开工作年度报告\n总号 期号\n"
        "主办单位黄石市卫健委 公报年份2019\n一、总体情况\n2019年,黄石市卫健委认真贯彻《条例》。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.source) == ("黄石市卫健委", "title")
    # 标题: with its colon, and a title without a label, as before
    assert find_agency_name(text.replace("公报标题", "标题:")).name == "黄石市卫健委"
    assert find_agency_name(text.replace("公报标题", "")).name == "黄石市卫健委"


def test_a_party_committee_after_the_opening_name_is_no_part_of_it() -> None:
    # 2019年,云南省民政厅紧紧围绕省委、…: read 云南省民政厅紧紧围绕省委 (a stem + 委), high: silently wrong before
    text = "一、总体情况\n2019年,云南省民政厅紧紧围绕省委、省政府中心工作,坚持以提升政务公开质量为主线。\n"
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("云南省民政厅", "high")
    # a county bureau and 县委, and a commission (委员会, 发展和改革委) still read whole
    county = "一、总体情况\n2020年,永嘉县民政局紧紧围绕县委、县政府中心工作,持续推进公开。\n"
    assert find_agency_name(county).name == "永嘉县民政局"
    assert find_agency_name(text.replace("云南省民政厅", "云南省发展和改革委")).name == "云南省发展和改革委"


# Real pages, round 15 (wild15): vertical offices, autonomous prefectures and banners, streets.


def test_a_postal_systems_report_is_its_administrations() -> None:
    # 2020年山东省邮政管理系统…: the title did not parse and the opening read 山东省 alone (山东省人民政府, probable)
    text = (
        "2020年山东省邮政管理系统政府信息公开年度报告\n一、总体情况\n2020年,山东省邮政管理系统坚持以习近平…为统领。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("山东省邮政管理局", "high")
    # the opening alone says so too
    assert find_agency_name(text.split("\n", 1)[1]).name == "山东省邮政管理局"
    # a 系统 of another kind is still no name
    assert parse_name("山东省税务系统") is None


def test_a_banking_regulators_city_branch_is_an_organ() -> None:
    # 台州银保监分局编制了…: unknown before (分局 needs a bureau before it); 宿迁银监分局's title lost to 江苏银监局 in the body
    text = "根据《中华人民共和国政府信息公开条例》要求,台州银保监分局编制了2018年度政府信息公开工作报告。\n一、基本情况\n我分局…\n"
    assert find_agency_name(text).name == "台州银保监分局"
    titled = "宿迁银监分局2017年政府信息公开工作报告\n一、基本情况\n2017年,分局在江苏银监局领导下,坚持以公开为常态。\n"
    assert (find_agency_name(titled).name, find_agency_name(titled).confidence) == ("宿迁银监分局", "high")
    # a bureau's 分局 named after its place still needs its bureau
    assert parse_name("郧阳分局").partial == "parent organ"


def test_whole_prefecture_is_no_county_short_form() -> None:
    # 全州累计建造通信基站: 全州 (全州县's short form) + 站, read as the publisher (probable) before
    text = "一、总体情况\n截至2022年11月,全州累计建造通信基站6495座,其中5G基站742座。我局持续推进公开。\n"
    assert find_agency_name(text).name is None
    named = "如对本报告有疑问,请与迪庆藏族自治州工业和信息化局办公室联系。\n" + text
    assert find_agency_name(named).name == "迪庆藏族自治州工业和信息化局"
    # 全州县 named whole is still the county
    assert parse_name("全州县人民政府").name == "全州县人民政府"


def test_a_plans_deployment_is_no_organ() -> None:
    # 巴彦淖尔市政务公开领导小组有关部署: 部署 read as an organ's 署 (the publisher, probable) before
    text = "一、总体情况\n2021年,我旗紧紧围绕《条例》以及巴彦淖尔市政务公开领导小组有关部署要求,不断提高公开信息的全面性。\n"
    assert find_agency_name(text).name is None
    assert find_agency_name(text.replace("我旗", "乌拉特前旗")).name == "乌拉特前旗人民政府"
    # 审计署 and 海关总署 are organs still
    assert parse_name("审计署") is not None
    assert parse_name("广州市审计局").name == "广州市审计局"


def test_an_organ_named_by_its_level_takes_the_region_of_its_portal() -> None:
    # 市政府办公室 (我办) on 乌兰浩特市人民政府网; 县统计局 on “中国如东”政府门户网站: unknown before
    office = (
        "一、总体情况\n2021年,市政府办公室认真贯彻落实《条例》,坚持依法行政。\n"
        "1.公开的内容涉及我办的主要职能。\n2.公开的途径为乌兰浩特市人民政府网。\n"
    )
    found = find_agency_name(office)
    assert (found.name, found.confidence) == ("乌兰浩特市人民政府办公室", "medium")
    bureau = "一、总体情况\n2022年,县统计局高度重视信息公开工作。本单位在“中国如东”政府门户网站政府信息公开栏目发布。\n"
    assert (find_agency_name(bureau).name, find_agency_name(bureau).confidence) == ("如东县统计局", "medium")
    # a portal of another level places nobody (如东 is a 县, the bureau a 区's)
    assert find_agency_name(bureau.replace("县统计局", "区统计局")).name is None


def test_a_township_without_its_county_is_probable_and_placed_by_a_county_the_text_names() -> None:
    # 北街街道2025年… (6 北街街道 on the list) read whole, high, before; the text names 甘州 (甘州区) in passing
    text = (
        "北街街道2025年政府信息公开工作年度报告\n一、总体情况\n2025年,北街街道认真贯彻落实《条例》要求。"
        "通过政府门户网站累计发布工作动态信息165条,其中重点聚焦甘州乡镇街道动态102条。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("甘州区北街街道办事处", "medium")
    # no county named: the name as printed, probable (a township's name without its county is not whole)
    alone = find_agency_name(text.replace("甘州", ""))
    assert (alone.name, alone.confidence) == ("北街街道办事处", "medium")
    # two counties holding one each place nobody; a county's name inside the township's own is no mention (西湖 of 西湖街道)
    assert find_agency_name(text.replace("甘州", "甘州、西秀")).name == "北街街道办事处"
    lake = find_agency_name("西湖街道2022年政府信息公开工作年度报告\n一、总体情况\n2022年,西湖街以习近平…为指导。\n")
    assert lake.name == "西湖街道办事处"
    # 城区 (晋城's, which has a 北街街道) is a common word, no mention
    assert find_agency_name(text.replace("甘州", "城区")).name == "北街街道办事处"


def test_a_body_speaking_as_itself_names_itself_in_its_own_account() -> None:
    # 我院, 淮北市人民政府信息公开网 (where it publishes) and 淮北市人民医院微信公众号: 淮北市人民政府, probable, before
    text = (
        "一、总体情况\n2021年医院在淮北市人民政府信息公开网上及时完善内容、规范发布信息总计22条。我院认真贯彻落实《条例》。\n"
        "同时运用淮北市人民医院微信公众号,及时发布疫情动态。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("淮北市人民医院", "medium")
    # without its account, nobody (the site's government is where it publishes)
    assert find_agency_name(text.replace("同时运用淮北市人民医院微信公众号,", "")).name is None


def test_a_universitys_academic_year_opens_its_report() -> None:
    # 2019-2020学年,长江大学以…: the opening was tried only after a calendar year, unknown before
    text = (
        "一、信息公开工作概述\n2019-2020学年,长江大学以习近平新时代中国特色社会主义思想为指导,稳步推进信息公开工作。\n"
    )
    assert (find_agency_name(text).name, find_agency_name(text).confidence) == ("长江大学", "medium")
    assert find_agency_name(text.replace("2019-2020学年", "2016至2017学年")).name == "长江大学"


def test_a_countys_site_named_short_names_its_government() -> None:
    # 我旗 and 乌拉特前旗政府网站 (政府 for 人民政府): unknown before
    text = "一、总体情况\n2021年,我旗紧紧围绕《条例》要求。截至2021年12月底,乌拉特前旗政府网站累计发布信息1062条。\n"
    assert (find_agency_name(text).name, find_agency_name(text).confidence) == ("乌拉特前旗人民政府", "medium")
    # a bureau's report (我局) on its county's site names nobody
    assert find_agency_name(text.replace("我旗", "我局")).name is None


def test_what_the_preface_compiled_into_names_the_publisher() -> None:
    # 编制形成额济纳旗2021年…报告 under a title a betting site's name was pasted into: unknown before
    text = (
        "第一足球网额济纳旗2021年度政府信息公开工作年度报告\n根据《条例》要求,结合我旗2021年政务公开工作施展情况,"
        "编制形成额济纳旗2021年政府信息公开工作年度报告。\n一、总体情况\n"
    )
    assert find_agency_name(text).name == "额济纳旗人民政府"
    # a bureau named there is the bureau
    assert find_agency_name(text.replace("编制形成额济纳旗", "编制形成额济纳旗审计局")).name == "额济纳旗审计局"


# Real pages, round 16 (wild16): western regions, municipalities' districts and townships, survey teams, bonded zones.


def test_he_joining_two_bodies_is_no_county() -> None:
    # 以县政府和县政府办公室名义 (平利县's report, 我县): 和县政府办公室 (和县 of 安徽), probable, before
    text = (
        "一、总体情况\n2024年,我县认真贯彻落实《条例》。开展行政规范性文件专项清理工作,"
        "对以县政府和县政府办公室名义发布的规范性文件进行全面梳理。\n"
    )
    assert find_agency_name(text).name is None
    led = "一、总体情况\n2024年,我县在县委和县人民政府的坚强领导下推进公开。我县在永嘉县人民政府门户网站公开信息。\n"
    assert find_agency_name(led).name == "永嘉县人民政府"
    # 和县 named as itself is still the county
    assert find_agency_name("一、总体情况\n请与和县人民政府办公室联系。\n").name == "和县人民政府办公室"


def test_a_statistics_survey_team_is_an_organ_with_its_system() -> None:
    # 国家统计局重庆调查总队2017年政府信息公开工作报告: no name before (调查总队 no organ)
    text = (
        "国家统计局重庆调查总队2017年政府信息公开工作报告\n一、政府信息公开主要工作概述\n2017年,重庆总队认真学习贯彻…\n"
    )
    assert (find_agency_name(text).name, find_agency_name(text).confidence) == ("国家统计局重庆调查总队", "high")
    # a city's team, named in the preface with its short form
    city = "根据《条例》规定,现公布国家统计局佛山调查队(以下简称佛山调查队)2022年政府信息公开工作报告。\n一、总体情况\n"
    assert find_agency_name(city).name == "国家统计局佛山调查队"
    # the team's short form after the system's name in the body is the whole name
    assert parse_name("天门调查队").name == "天门调查队"


def test_a_bonded_zone_publishes_as_itself() -> None:
    # 天津港保税区2023年度政府信息公开工作报告: no name before
    text = "天津港保税区2023年度政府信息公开工作报告\n一、总体情况\n本年度保税区认真贯彻落实《条例》。\n"
    assert (find_agency_name(text).name, find_agency_name(text).confidence) == ("天津港保税区", "high")
    assert parse_name("郑州新郑综合保税区").name == "郑州新郑综合保税区"


def test_a_countys_service_center_as_contact_under_we_county_is_the_governments() -> None:
    # 我县, 请联系吴起县政府政务服务中心, 吴起县人民政府门户网站: the center (probable) before
    text = (
        "特向社会公布2023年政府信息公开工作年度报告。如对本报告有疑问,请联系吴起县政府政务服务中心。"
        "报告的电子版可在吴起县人民政府门户网站(www.wqx.gov.cn)下载。\n一、总体情况\n2023年,我县坚持以习近平…为指导。\n"
    )
    found = find_agency_name(text)
    assert (found.name, found.confidence) == ("吴起县人民政府", "medium")
    # a bureau speaking as 我局 with the same contact keeps the body's name (the site does not fit 我局)
    assert find_agency_name(text.replace("我县", "我局")).name == "吴起县政府政务服务中心"


def test_a_year_the_report_looks_back_on_is_not_its_own() -> None:
    # 天津市商务局's 2023 report (no title, no period): 认真查摆2022年度我局政务公开情况 read as its year before
    text = (
        "一、总体情况\n一是加强组织领导。深入落实《关于2022年度政务公开第三方评估反馈意见整改工作提示》要求,"
        "认真查摆2022年度我局政务公开情况。\n二是积极做好主动公开。2023年,我局主动公开文件63件。\n"
        "三是规范答复依申请公开。2023年,我局受理政府信息依申请公开事项39件。\n"
    )
    assert find_year(_doc(text)) == 2023
    # a 年度 the sentences agree with, or outnumber, is still the year
    assert find_year(_doc(text.replace("2023年,", "2022年,"))) == 2022
    assert find_year(_doc("一、总体情况\n2022年度,我局主动公开文件63件。2023年,我局将继续推进公开。\n")) == 2022
