"""A government site's meta tags (PageMeta) as evidence of the publisher: weighed below the text's own
naming, each tag for what it is (ArticleTitle a title, ContentSource the content's source, SiteName
only the portal's region); the year stays the text's."""

from __future__ import annotations

from pathlib import Path

from pipelines.formats.document import Document, PageMeta
from pipelines.template.metadata import Metadata, read_metadata

WE_ONLY = "一、总体情况\n2023年,我局认真贯彻落实《条例》,全面推进政务公开。\n"
REGIONLESS_TITLE = "县档案局2023年政府信息公开工作年度报告\n" + WE_ONLY


def _read(text: str, meta: PageMeta | None) -> Metadata:
    return read_metadata(Document(Path("page.html"), "0" * 64, "html", text, meta=meta))


def test_content_source_names_the_body_that_says_only_we() -> None:
    meta = _read(WE_ONLY, PageMeta(content_source="信丰县统计局", pub_date="2024-01-20"))
    assert (meta.agency, meta.agency_source, meta.year) == ("信丰县统计局", "meta-source", 2023)
    assert meta.agency_doubt  # probable: only the page's tag names it


def test_content_source_that_does_not_fit_the_texts_we_names_nobody() -> None:
    # 我局 under the portal's editor (县政府办公室): not a 局, so someone else's tag
    meta = _read(WE_ONLY, PageMeta(content_source="信丰县人民政府办公室", site_name="信丰县人民政府"))
    assert meta.agency is None


def test_the_texts_explicit_name_wins_over_a_content_source_naming_another_body() -> None:
    text = "信丰县统计局2023年政府信息公开工作年度报告\n" + WE_ONLY
    meta = _read(text, PageMeta(content_source="信丰县人民政府办公室", article_title="2023年报告"))
    assert (meta.agency, meta.agency_source, meta.agency_doubt) == ("信丰县统计局", "title", None)


def test_content_source_agreeing_with_the_texts_probable_name_makes_it_sure() -> None:
    text = WE_ONLY + "如有疑问,请与信丰县统计局办公室联系。\n"
    assert _read(text, None).agency_doubt  # the body's only name: probable
    meta = _read(text, PageMeta(content_source="信丰县统计局"))
    assert (meta.agency, meta.agency_source, meta.agency_doubt) == ("信丰县统计局", "body+meta", None)


def test_content_source_fitting_the_texts_we_outweighs_a_contact_that_does_not() -> None:
    text = WE_ONLY + "如有疑问,请与信丰县人民政府办公室联系。\n"
    assert _read(text, None).agency == "信丰县人民政府办公室"  # the body's only name, probable
    meta = _read(text, PageMeta(content_source="信丰县统计局"))
    assert (meta.agency, meta.agency_source) == ("信丰县统计局", "meta-source")
    assert meta.agency_doubt
    # a tag that fits no better leaves the text's reading
    assert _read(text, PageMeta(content_source="信丰县人民政府")).agency == "信丰县人民政府办公室"


def test_content_source_decides_between_the_bodys_candidates() -> None:
    text = WE_ONLY + "请与信丰县统计局联系,或与信丰县人民政府办公室联系。\n"
    assert _read(text, None).agency is None  # a tie
    meta = _read(text, PageMeta(content_source="信丰县统计局"))
    assert (meta.agency, meta.agency_source) == ("信丰县统计局", "meta-source")
    assert meta.agency_doubt


def test_content_source_naming_none_of_the_bodys_candidates_changes_nothing() -> None:
    text = WE_ONLY + "请与信丰县统计局联系,或与信丰县人民政府办公室联系。\n"
    assert _read(text, PageMeta(content_source="赣州市人民政府")).agency is None


def test_article_title_is_the_title_the_text_lacks_but_not_its_year() -> None:
    text = "2023年政府信息公开工作年度报告\n" + WE_ONLY
    meta = _read(text, PageMeta(article_title="信丰县统计局2022年政府信息公开工作年度报告"))
    assert (meta.agency, meta.agency_source, meta.year) == ("信丰县统计局", "meta-title", 2023)


def test_the_site_name_an_article_title_carries_is_no_title_naming_the_publisher() -> None:
    text = "2023年政府信息公开工作年度报告\n" + WE_ONLY
    for title in ("2023年政府信息公开工作年度报告_信丰县人民政府", "信丰县人民政府 - 2023年政府信息公开工作年度报告"):
        assert _read(text, PageMeta(article_title=title, site_name="信丰县人民政府")).agency is None
    titled = PageMeta(article_title="信丰县统计局2023年政府信息公开工作年度报告 | 信丰县人民政府")
    assert _read(text, titled).agency == "信丰县统计局"


def test_site_name_gives_the_region_of_a_body_named_without_one() -> None:
    meta = _read(REGIONLESS_TITLE, PageMeta(site_name="信丰县人民政府", content_source="县政府办公室"))
    assert (meta.agency, meta.agency_source) == ("信丰县档案局", "body+site")
    assert meta.agency_doubt


def test_site_name_of_another_level_or_alone_names_nobody() -> None:
    assert _read(REGIONLESS_TITLE, PageMeta(site_name="赣州市人民政府")).agency is None
    assert _read(WE_ONLY, PageMeta(site_name="信丰县人民政府", site_domain="www.xinfeng.gov.cn")).agency is None


def test_a_regionless_content_source_takes_the_sites_region() -> None:
    meta = _read(WE_ONLY, PageMeta(content_source="县统计局", site_name="信丰县人民政府"))
    assert (meta.agency, meta.agency_source) == ("信丰县统计局", "meta-source")
