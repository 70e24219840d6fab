"""HTML, DOCX and PDF readers: grids with merged cells, encodings, and files they refuse."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from pipelines.formats import read_document
from pipelines.formats.document import UnreadableDocument
from pipelines.template.report import parse_file
from tests.generator import Damage, layout, random_report, render, render_docx


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_html_spans_give_each_cell_its_grid_column(tmp_path: Path) -> None:
    page = """<html><body><p>标题</p><table>
      <tr><td rowspan="2" colspan="2">甲</td><td>乙</td></tr>
      <tr><td>丙&nbsp;</td></tr>
      <tr><td>丁</td><td colspan="2">戊</td></tr></table></body></html>"""
    doc = read_document(_write(tmp_path, "t.html", page.encode()))
    rows = [(r.cells, r.positions) for r in doc.rows if not r.is_text]
    assert rows == [(("甲", "乙"), (0.0, 2.0)), (("丙",), (2.0,)), (("丁", "戊"), (0.0, 1.0))]


def test_a_layout_table_around_the_article_is_read_through(tmp_path: Path) -> None:
    page = (
        "<html><body><table><tr><td><p>正文</p>"
        "<table><tr><td>规章</td><td>5</td></tr></table>"
        "</td></tr></table></body></html>"
    )
    doc = read_document(_write(tmp_path, "t.html", page.encode()))
    assert [r.cells for r in doc.rows] == [("正文",), ("规章", "5")]


def test_script_and_style_are_not_text(tmp_path: Path) -> None:
    page = "<html><head><style>p{}</style></head><body><script>var a='规章';</script><p>正文</p></body></html>"
    assert [r.cells for r in read_document(_write(tmp_path, "t.htm", page.encode())).rows] == [("正文",)]


def test_a_gbk_html_page_with_a_txt_suffix_is_read_as_html(tmp_path: Path) -> None:
    truth = random_report(random.Random(2))
    _, data = render(truth, "html", Damage(encoding="gbk"), seed=2)
    report = parse_file(_write(tmp_path, "saved_page.txt", data))
    assert {k: v.value for k, v in report.cells.items()} == truth.values


_GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>'
    "<p>某县2023年政府信息公开工作年度报告</p><p>围绕“海峡·两岸”主题和2021–2035年规划开展政策解读。</p>"
    "<table><tr><td>规章</td><td>5</td></tr></table></body></html>"
)


@pytest.mark.parametrize("charset", ["gb2312", "utf-8"])
def test_a_gbk_page_under_a_wrong_charset_declaration_is_read_whole(tmp_path: Path, charset: str) -> None:
    # gb2312 over GBK-only characters (·, –), or a template's utf-8 over GBK bytes: libxml2, told
    # the declared encoding, stopped at the first character it could not decode.
    data = _GBK_PAGE.replace("{charset}", charset).encode("gbk")
    doc = read_document(_write(tmp_path, "t.html", data))
    assert [r.cells for r in doc.rows] == [
        ("某县2023年政府信息公开工作年度报告",),
        ("围绕“海峡·两岸”主题和2021–2035年规划开展政策解读。",),
        ("规章", "5"),
    ]
    assert doc.notes == ()


def test_a_big5_page_under_a_utf8_declaration_is_read_in_traditional_characters(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="utf-8"></head><body><p>某縣2023年政府信息公開工作年度報告</p>'
        "<table><tr><td>規章</td><td>5</td></tr></table></body></html>"
    )
    doc = read_document(_write(tmp_path, "t.html", page.encode("big5")))
    assert [r.cells for r in doc.rows] == [("某縣2023年政府信息公開工作年度報告",), ("規章", "5")]


def test_stray_bytes_in_a_utf8_page_are_replaced_and_said_the_rest_read(tmp_path: Path) -> None:
    page = _GBK_PAGE.replace("{charset}", "utf-8").encode("utf-8")
    cut = page.index(b"<table>")
    doc = read_document(_write(tmp_path, "t.html", page[:cut] + b"\xff\xfe" + page[cut:]))
    assert doc.rows[-1].cells == ("规章", "5")
    assert doc.notes == ("2 bytes of the page are not utf-8: read as \ufffd",)


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    truth = random_report(random.Random(4))
    doc = read_document(_write(tmp_path, "r.docx", render_docx(layout(truth))))
    header = next(r for r in doc.rows if "申请人情况" in r.cells)
    assert header.cells.count("申请人情况") == 1
    group = [r for r in doc.rows if any(c == "三、本年度办理结果" for c in r.cells)]
    assert len(group) == 1  # the vertically merged group label is not repeated on every row


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy Word/Excel"),
        ("broken.pdf", b"%PDF-1.4\n%garbage only", "PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "DOCX"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_the_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    with pytest.raises(UnreadableDocument, match=reason) as err:
        read_document(_write(tmp_path, name, data))
    assert name in str(err.value)


def test_a_zip_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("reports/a.txt", "x")
    with pytest.raises(UnreadableDocument, match="ZIP archive"):
        read_document(_write(tmp_path, "bundle.zip", buf.getvalue()))


def test_a_pdf_without_a_text_layer_is_read_by_ocr_and_says_when_nothing_is_recognised(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)  # a scan: shapes, no text
    c.save()
    with pytest.raises(UnreadableDocument, match="OCR recognised no text"):
        read_document(_write(tmp_path, "scan.pdf", buf.getvalue()))


def test_a_pdf_table_running_over_a_page_break_is_read_as_one(tmp_path: Path) -> None:
    import pdfplumber

    truth = random_report(random.Random(1))
    _, data = render(truth, "pdf-ruled", Damage(split_labels=True), seed=1)
    path = _write(tmp_path, "r.pdf", data)
    with pdfplumber.open(path) as pdf:
        pages_with_section3 = [
            page.page_number
            for page in pdf.pages
            for table in page.find_tables()
            if any(
                "予以公开" in (c or "") or "新收" in (c or "") or "结转下年度" in (c or "")
                for row in table.extract()
                for c in row
            )
        ]
    assert len(set(pages_with_section3)) == 2  # the table starts on one page and ends on the next
    report = parse_file(path)
    assert {k: v.value for k, v in report.cells.items()} == truth.values


def test_html_page_keeps_the_government_site_meta_tags(tmp_path: Path) -> None:
    # names as sites write them (pubdate, contentSource); an empty tag and a CMS template left
    # unfilled say nothing; the head's tags are not page text
    page = """<html><head><meta charset="utf-8"><meta name="SiteName" content="信丰县人民政府">
      <meta name="SiteDomain" content="www.xinfeng.gov.cn"><meta name="pubdate" content="2024-01-20 10:00">
      <meta name="contentSource" content=" 县档案局 "><meta name="Author" content="">
      <meta name="ArticleTitle" content="<CMSPRO_DOCUMENT FIELD='title'>标题</CMSPRO_DOCUMENT>">
      <meta name="ColumnName" content="年度报告"></head>
      <body><p>2023年政府信息公开工作年度报告</p></body></html>"""
    doc = read_document(_write(tmp_path, "t.html", page.encode()))
    assert doc.meta is not None
    assert (doc.meta.site_name, doc.meta.site_domain, doc.meta.pub_date) == (
        "信丰县人民政府",
        "www.xinfeng.gov.cn",
        "2024-01-20 10:00",
    )
    assert (doc.meta.content_source, doc.meta.author, doc.meta.article_title) == ("县档案局", None, None)
    assert doc.meta.column_name == "年度报告"
    assert "信丰县人民政府" not in doc.text


def test_a_page_without_meta_tags_and_other_formats_keep_none(tmp_path: Path) -> None:
    page = '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body><p>报告</p></body></html>'
    assert read_document(_write(tmp_path, "t.html", page.encode())).meta is None
    assert (
        read_document(
            _write(tmp_path, "t.txt", "某县统计局2023年政府信息公开工作年度报告\n一、总体情况\n".encode())
        ).meta
        is None
    )


def test_a_traditional_page_meta_tags_are_simplified(tmp_path: Path) -> None:
    page = """<html><head><meta name="ContentSource" content="廣州市人民政府辦公廳"></head>
      <body><p>廣州市人民政府2012年政府信息公開工作年度報告</p><p>為進一步推進政務公開,現將報告發佈如下。</p></body></html>"""
    doc = read_document(_write(tmp_path, "t.html", page.encode()))
    assert doc.from_traditional
    assert doc.meta is not None
    assert doc.meta.content_source == "广州市人民政府办公厅"
