"""What the collector makes of a fetched page: its encoding, a login wall or captcha, and the links
to reports, further listing pages and attachments."""

from __future__ import annotations

import pytest

from pipelines.collect.pages import (
    PageProblem,
    access_problem,
    attachment_links,
    decode_page,
    is_attachment,
    links,
    next_pages,
    report_links,
    year_in,
)
from pipelines.collect.raw_store import file_for, suffix_for

LISTING = """<html><head><meta charset="utf-8"><base href="https://a.gov.cn/xxgk/"></head><body>
<a href="ndbg/2023.html#top">2023年度政府信息公开工作年度报告</a>
<a href="/files/2022年报.pdf">某局2022年政府信息公开年报</a>
<a href="javascript:void(0)">打印</a> <a href="#">顶部</a>
<a href="ndbg/index_1.html">下一页</a> <a href="ndbg/index_2.html">3</a>
<a href="https://other.gov.cn/ndbg/index_1.html">下一页</a>
<a href="/news/1.html">工作动态</a>
</body></html>"""


def test_links_made_absolute_against_base_without_fragments() -> None:
    found = [link.url for link in links(LISTING, "https://a.gov.cn/xxgk/list.html")]
    assert found[:2] == ["https://a.gov.cn/xxgk/ndbg/2023.html", "https://a.gov.cn/files/2022年报.pdf"]
    assert not any(u.startswith("javascript") or u.endswith("#") for u in found)


def test_report_links_found_by_their_text_files_among_them() -> None:
    reports = report_links(links(LISTING, "https://a.gov.cn/xxgk/list.html"))
    assert [(r.url.rsplit("/", 1)[-1], is_attachment(r)) for r in reports] == [
        ("2023.html", False),
        ("2022年报.pdf", True),
    ]


def test_next_pages_on_the_same_host_only() -> None:
    pages = next_pages(links(LISTING, "https://a.gov.cn/xxgk/list.html"), "https://a.gov.cn/xxgk/list.html")
    assert [p.url for p in pages] == [
        "https://a.gov.cn/xxgk/ndbg/index_1.html",
        "https://a.gov.cn/xxgk/ndbg/index_2.html",
    ]


def test_attachment_named_just_before_its_link() -> None:
    page = '<p>附件：<a href="/download.jsp?id=7">全文</a></p><p><a href="/x.html">附件说明</a></p>'
    assert [a.url for a in attachment_links(links(page, "https://a.gov.cn/"))] == ["https://a.gov.cn/download.jsp?id=7"]


def test_year_read_from_a_link_text() -> None:
    assert (year_in("某局2023年度政府信息公开工作年度报告"), year_in("政府信息公开年报")) == (2023, None)


def test_gbk_page_read_whatever_it_declares() -> None:
    body = '<html><head><meta charset="utf-8"></head><body>政府信息公开工作年度报告</body></html>'.encode("gbk")
    text, encoding = decode_page(body, "text/html; charset=utf-8")
    assert ("年度报告" in text, encoding) == (True, "gb18030")


def test_page_without_chinese_text_is_a_wrong_encoding() -> None:
    mojibake = "年度报告".encode().decode("latin-1").encode("utf-8")
    with pytest.raises(PageProblem, match="wrong encoding"):
        decode_page(b"<html><body>" + mojibake + b"</body></html>", "text/html")


def test_login_and_captcha_pages_named() -> None:
    login = '<form><input name="u"><input type="PASSWORD" name="p"></form>'
    captcha = '<form>请输入验证码<input name="code"><img src="/img.jsp"></form>'
    assert "login page" in str(access_problem(login))
    assert "captcha" in str(access_problem(captcha))
    assert access_problem('<div class="top"><a href="/login">用户登录</a></div><p>年度报告</p>') is None


def test_file_suffix_from_what_the_server_says() -> None:
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert suffix_for("https://a.gov.cn/download.jsp?id=7", docx, None, b"PK") == ".docx"
    assert suffix_for("https://a.gov.cn/d?id=7", None, 'attachment; filename="2023.pdf"', b"") == ".pdf"
    assert suffix_for("https://a.gov.cn/t2024_1.shtml", "text/html", None, b"") == ".html"
    assert suffix_for("https://a.gov.cn/get", None, None, b"%PDF-1.7") == ".pdf"


def test_file_name_stable_for_a_url() -> None:
    name = file_for("https://www.a.gov.cn/xxgk/ndbg/t20240115_123.html", ".html")
    assert name.startswith("www.a.gov.cn/t20240115_123-")
    assert name == file_for("https://www.a.gov.cn/xxgk/ndbg/t20240115_123.html", ".html")
    assert name != file_for("https://www.a.gov.cn/xxgk/other/t20240115_123.html", ".html")
