"""The DOCX reader reads what Word shows through the markup Word and WPS leave in a report (docxreal19):
tracked changes, content controls and custom XML, fields, smart tags, hidden text, invisible characters; and
(docxleft20) a content control's placeholder, text hidden through a style."""

from __future__ import annotations

import io
import random
import tempfile
import zipfile
from pathlib import Path

import pytest

from models.catalog import cells_for
from pipelines.formats.docx import docx_rows
from tests.wild_text import WILD_TEXT, render_wild, wild_report

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_CLASSES = [c for c in WILD_TEXT if c.startswith("docx-")]


def _docx(body: str, styles: str | None = None) -> bytes:
    """A DOCX (python-docx's default package) whose body is `body`, w: prefixed; styles: its styles.xml's content
    (w:docDefaults, w:style elements) in place of python-docx's."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()
            elif item.filename == "word/styles.xml" and styles is not None:
                data = f'<w:styles xmlns:w="{W}">{styles}</w:styles>'.encode()
            dst.writestr(item, data)
    return out.getvalue()


def _r(text: str, props: str = "", tag: str = "t") -> str:
    return f"<w:r>{props}<w:{tag}>{text}</w:{tag}></w:r>"


def _p(*content: str) -> str:
    return "<w:p>" + "".join(content) + "</w:p>"


def _tc(*content: str) -> str:
    return "<w:tc>" + "".join(content) + "</w:tc>"


def _rows(body: str, styles: str | None = None) -> list[tuple[tuple[str, ...], tuple[float, ...] | None]]:
    _, rows = docx_rows(_docx(body, styles), "t.docx")
    return [(r.cells, None if r.is_text else r.positions) for r in rows]


def test_tracked_insertions_are_read_and_deletions_and_move_sources_are_not() -> None:
    rev = 'w:id="1" w:author="lenovo" w:date="2021-01-20T09:00:00Z"'
    title = _p(
        _r("某县2"),
        f"<w:del {rev}>{_r('019', tag='delText')}</w:del>",
        f"<w:ins {rev}>{_r('020')}</w:ins>",
        _r("年政府信息公开工作年度报告"),
    )
    moved_from = _p(_r("7"), f"<w:moveFrom {rev}>{_r('12')}</w:moveFrom>")
    moved_to = _p(f"<w:moveTo {rev}>{_r('12')}</w:moveTo>")
    deleted_inside_inserted = _p(f"<w:ins {rev}><w:del {rev}>{_r('5', tag='delText')}</w:del>{_r('9')}</w:ins>")
    cells = f"<w:tr>{_tc(moved_from)}{_tc(moved_to)}{_tc(deleted_inside_inserted)}</w:tr>"
    assert _rows(title + f"<w:tbl>{cells}</w:tbl>") == [
        (("某县2020年政府信息公开工作年度报告",), None),
        (("7", "12", "9"), (0.0, 1.0, 2.0)),
    ]


def test_a_row_deleted_with_changes_tracked_is_not_read_and_an_inserted_one_is() -> None:
    rev = 'w:id="1" w:author="USER" w:date="2021-01-20T09:00:00Z"'
    deleted = f"<w:tr><w:trPr><w:del {rev}/></w:trPr>{_tc(_p(_r('规章')))}{_tc(_p(_r('3')))}</w:tr>"
    label, figure = f"<w:ins {rev}>{_r('规章')}</w:ins>", f"<w:ins {rev}>{_r('4')}</w:ins>"
    inserted = f"<w:tr><w:trPr><w:ins {rev}/></w:trPr>{_tc(_p(label))}{_tc(_p(figure))}</w:tr>"
    assert _rows(f"<w:tbl>{deleted}{inserted}</w:tbl>") == [(("规章", "4"), (0.0, 1.0))]


def _sdt(content: str) -> str:
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="x"/><w:id w:val="7"/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>'
    )


def test_content_controls_and_custom_xml_are_read_as_what_they_wrap_in_their_grid_columns() -> None:
    custom = '<w:customXml w:uri="urn:x" w:element="e">{}</w:customXml>'
    row = f"<w:tr>{_tc(_p(_r('规章')))}{_sdt(_tc(_p(_r('3'))))}{_tc(_p(_sdt(_r('4'))))}{custom.format(_tc(_p(_r('5'))))}</w:tr>"
    body = (
        _sdt(_p(_r("某县2020年"), custom.format(_r("政府信息公开工作年度报告"))))
        + custom.format(_p(_r("一、总体情况")))
        + _sdt(f"<w:tbl>{_sdt(row)}</w:tbl>")
    )
    assert _rows(body) == [
        (("某县2020年政府信息公开工作年度报告",), None),
        (("一、总体情况",), None),
        (("规章", "3", "4", "5"), (0.0, 1.0, 2.0, 3.0)),
    ]


def test_a_fields_result_is_read_and_its_instruction_is_not() -> None:
    simple = _p('<w:fldSimple w:instr=" =SUM(LEFT) ">' + _r("12") + "</w:fldSimple>")
    complex_ = _p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        _r(" =B3+C3 \\* MERGEFORMAT ", tag="instrText"),
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        _r("34"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    assert _rows(f"<w:tbl><w:tr>{_tc(simple)}{_tc(complex_)}</w:tr></w:tbl>") == [(("12", "34"), (0.0, 1.0))]


def test_smart_tags_bookmarks_and_proofing_marks_leave_the_text_whole() -> None:
    tag = (
        '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chmetcnv">'
        '<w:smartTagPr><w:attr w:name="UnitName" w:val="年"/><w:attr w:name="SourceValue" w:val="2020"/>'
        "</w:smartTagPr>{}</w:smartTag>"
    )
    paragraph = _p(
        _r("某县"), tag.format(_r("20") + _r("20年")), '<w:proofErr w:type="gramStart"/>', _r("政府信息公开")
    )
    label = _p(
        _r("本年新收"), '<w:bookmarkStart w:id="0" w:name="_Toc1"/>', _r("申请数量"), '<w:bookmarkEnd w:id="0"/>'
    )
    assert _rows(paragraph + f"<w:tbl><w:tr>{_tc(label)}</w:tr></w:tbl>") == [
        (("某县2020年政府信息公开",), None),
        (("本年新收申请数量",), (0.0,)),
    ]


def test_hidden_runs_are_not_read_and_a_run_whose_vanish_is_off_is() -> None:
    def hide(value: str) -> str:
        return f"<w:rPr><w:vanish{value}/></w:rPr>"

    cell = _p(
        _r("原为7", hide("")),
        _r("1", hide(' w:val="false"')),
        _r("8", hide(' w:val="0"')),
        _r("（9）", hide(' w:val="true"')),
        _r("6", "<w:rPr><w:specVanish/></w:rPr>"),
    )
    hidden_title = _p(_r("某县2019年政府信息公开工作年度报告", hide("")))
    assert _rows(hidden_title + f"<w:tbl><w:tr>{_tc(cell)}</w:tr></w:tbl>") == [(("18",), (0.0,))]


def test_invisible_characters_are_not_read_in_a_cell_or_a_paragraph() -> None:
    cells = _tc(_p(_r("\u200b0"))) + _tc(_p(_r("1\ufeff2")))
    body = _p(_r("本年新\u200b收")) + f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>"
    assert _rows(body) == [(("本年新收",), None), (("0", "12"), (0.0, 1.0))]


def test_a_layout_tables_cells_are_read_as_the_paragraphs_and_tables_they_hold() -> None:
    inner = f"<w:tbl><w:tr>{_tc(_p(_r('规章')))}{_tc(_p(_r('3')))}</w:tr></w:tbl>"
    frame = f"<w:tbl><w:tr>{_tc(_p(_r('附件')))}{_tc(_p(_r('二、主动公开')), inner, _p())}</w:tr></w:tbl>"
    plain = f"<w:tbl><w:tr>{_tc(_p(_r('本年新收')))}{_tc(_p(_r('5')))}</w:tr></w:tbl>"
    assert _rows(frame + plain) == [
        (("附件",), None),
        (("二、主动公开",), None),
        (("规章", "3"), (0.0, 1.0)),
        (("本年新收", "5"), (0.0, 1.0)),
    ]


def _box(text: str) -> str:
    return f"<w:txbxContent>{_p(_r(text))}</w:txbxContent>"


def test_a_text_box_is_read_once_before_its_anchor_paragraph() -> None:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    alternate = (
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:drawing>{_box("某县2020年度报告")}'
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict>{_box('某县2020年度报告')}</w:pict></mc:Fallback>"
        "</mc:AlternateContent>"
    )
    fallback_only = (
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wpg"><w:drawing/></mc:Choice>'
        f"<mc:Fallback><w:pict>{_box('发布日期')}</w:pict></mc:Fallback></mc:AlternateContent>"
    )
    body = (
        _p(f"<w:r>{alternate}</w:r>", _r("一、总体情况"))
        + _p(f"<w:r>{fallback_only}</w:r>")
        + _p(f"<w:r><w:pict>{_box('二、主动公开')}</w:pict></w:r>")
    )
    assert _rows(body) == [
        (("某县2020年度报告",), None),
        (("一、总体情况",), None),
        (("发布日期",), None),
        (("二、主动公开",), None),
    ]


def _with_chunk(blob: bytes, partname: str, content_type: str) -> bytes:
    """A DOCX whose body is a paragraph and a w:altChunk importing `blob` as `partname`."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document()
    document.add_paragraph("导出说明")
    rid = document.part.relate_to(Part(PackURI(partname), content_type, blob, document.part.package), RT.A_F_CHUNK)
    chunk = document.element.body.makeelement(f"{{{W}}}altChunk", {})
    chunk.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    document.element.body.insert(1, chunk)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


_PAGE = (
    "<html><body><p>某县2020年政府信息公开工作年度报告</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>"
)


def test_a_body_imported_from_an_html_part_is_read_as_the_html_reader_reads_the_page() -> None:
    _, rows = docx_rows(_with_chunk(_PAGE.encode("utf-8"), "/word/afchunk.htm", "text/html"), "t.docx")
    assert [(r.cells, r.is_text) for r in rows] == [
        (("导出说明",), True),
        (("某县2020年政府信息公开工作年度报告",), True),
        (("规章", "3"), False),
    ]


def test_a_body_imported_from_a_single_file_web_page_reads_its_html_part() -> None:
    import quopri

    page = quopri.encodestring(_PAGE.encode("gb18030")).decode("ascii")
    mht = (
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="b1"\r\n\r\n--b1\r\n'
        'Content-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        f"{page}\r\n--b1--\r\n"
    ).encode("ascii")
    _, rows = docx_rows(_with_chunk(mht, "/word/afchunk.mht", "message/rfc822"), "t.docx")
    assert [r.cells for r in rows] == [("导出说明",), ("某县2020年政府信息公开工作年度报告",), ("规章", "3")]


def test_a_body_imported_from_a_part_no_reader_reads_is_refused_naming_it() -> None:
    from pipelines.formats.document import UnreadableDocument

    with pytest.raises(UnreadableDocument, match=r"word/afchunk\.rtf \(application/rtf\) through w:altChunk"):
        docx_rows(_with_chunk(b"{\\rtf1 3}", "/word/afchunk.rtf", "application/rtf"), "t.docx")


# Where each class writes its markup in word/document.xml, found in one of the first seeds at least.
_MARKUP = {
    "docx-tracked-changes": (
        "//w:ins/w:r/w:t",
        "//w:del/w:r/w:delText",
        "//w:moveTo/w:r",
        "//w:moveFrom/w:r",
        "//w:trPr/w:del",
        "//w:trPr/w:ins",
    ),
    "docx-content-controls": (
        "/w:document/w:body/w:sdt/w:sdtContent/w:p",
        "/w:document/w:body/w:sdt/w:sdtContent/w:tbl",
        "//w:sdtContent/w:tr",
        "//w:tr/w:sdt/w:sdtContent/w:tc",
        "//w:p/w:sdt/w:sdtContent/w:r",
        "//w:p/w:customXml/w:r",
        "/w:document/w:body/w:customXml/w:p",
    ),
    "docx-fields-smart-tags": (
        "//w:fldSimple/w:r",
        "//w:r/w:instrText",
        "//w:smartTag[@w:element='chmetcnv']/w:r",
        "//w:smartTag[@w:element='chsdate']/w:r",
        "//w:p/w:bookmarkStart",
    ),
    "docx-hidden-text": (
        "//w:rPr/w:vanish[not(@w:val)]",
        "//w:rPr/w:vanish[@w:val='false' or @w:val='0' or @w:val='off']",
        "//w:rPr/w:specVanish",
        "//w:t[contains(., '\u200b')]",
    ),
    "docx-alt-chunk": ("/w:document/w:body/w:altChunk",),
    "docx-layout-table": ("/w:document/w:body/w:tbl/w:tr/w:tc/w:tbl",),
    "docx-text-box-title": (
        "//mc:AlternateContent/mc:Choice//w:txbxContent/w:p",
        "//mc:AlternateContent/mc:Fallback//w:txbxContent/w:p",
        "/w:document/w:body/w:p/w:r/w:pict//w:txbxContent/w:p",
    ),
    "docx-placeholder-text": (
        "//w:tc/w:p/w:sdt[w:sdtPr/w:showingPlcHdr]/w:sdtContent/w:r/w:rPr/w:rStyle[@w:val='PlaceholderText']",
        "/w:document/w:body/w:sdt[w:sdtPr/w:showingPlcHdr]/w:sdtContent/w:p",
        "//w:tc/w:p/w:sdt[not(w:sdtPr/w:showingPlcHdr)]/w:sdtContent/w:r",
    ),
    "docx-style-hidden": (
        "//w:r/w:rPr/w:rStyle",
        "//w:r/w:rPr[w:rStyle]/w:vanish[@w:val='0' or @w:val='false']",
        "/w:document/w:body/w:p/w:pPr/w:pStyle",
    ),
    "docx-cell-text-box": (
        "//w:tc/w:p/w:r/mc:AlternateContent/mc:Choice//w:txbxContent/w:p",
        "//w:tc/w:p/w:r/mc:AlternateContent/mc:Fallback//w:txbxContent/w:p",
        "//w:tc/w:p/w:r/w:pict//w:txbxContent/w:p",
    ),
}
_NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}


def _case(cls: str, seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    return render_wild(cls, wild_report(rng), rng)


@pytest.mark.parametrize("cls", DOCX_CLASSES)
def test_docx_class_writes_its_markup_into_the_main_part(cls: str) -> None:
    from lxml import etree

    found: set[str] = set()
    for seed in range(6):
        suffix, data, _ = _case(cls, seed)
        assert suffix == ".docx"
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        found |= {path for path in _MARKUP[cls] if root.xpath(path, namespaces=_NS)}
    assert found == set(_MARKUP[cls])


@pytest.mark.parametrize("cls", DOCX_CLASSES)
def test_docx_class_is_read_as_word_shows_it(cls: str) -> None:
    from pipelines.template.report import parse_file

    for seed in range(4):
        suffix, data, truth = _case(cls, seed)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"r{suffix}"
            path.write_bytes(data)
            report = parse_file(path)
        assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
        for key in cells_for(truth.template):
            assert report.cells[key].value == truth.values.get(key), (seed, key)


def test_the_title_in_a_text_box_is_read_once_where_its_anchor_stands() -> None:
    from lxml import etree

    for seed in range(8):
        _, data, _ = _case("docx-text-box-title", seed)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        boxed = root.xpath("(//w:txbxContent)[1]/w:p", namespaces=_NS)
        lines = ["".join(p.itertext()) for p in boxed]
        _, rows = docx_rows(data, "t.docx")
        texts = [r.cells[0] for r in rows if r.is_text]
        start = texts.index(lines[0])
        assert texts[start : start + len(lines)] == lines
        assert all(texts.count(line) == 1 for line in lines)


_CONTROL = "<w:sdt><w:sdtPr><w:id w:val='7'/>{flag}<w:text/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"
_PROMPT = _r("单击或点击此处输入文字。", "<w:rPr><w:rStyle w:val='PlaceholderText'/></w:rPr>")


def test_a_content_control_showing_its_placeholder_reads_as_nothing_typed() -> None:
    figure = _CONTROL.format(flag="<w:showingPlcHdr/>", content=_PROMPT)
    row = "<w:tbl><w:tr>" + _tc(_p(_r("（一）自然人"))) + _tc(_p(figure)) + _tc(_p(_r("3"))) + "</w:tr></w:tbl>"
    block = _CONTROL.format(flag="<w:showingPlcHdr w:val='true'/>", content=_p(_PROMPT))
    assert _rows(_p(_r("标题")) + block + row) == [(("标题",), None), (("（一）自然人", "", "3"), (0.0, 1.0, 2.0))]


def test_a_filled_content_control_or_one_whose_placeholder_flag_is_off_is_read() -> None:
    filled = _CONTROL.format(flag="", content=_r("12"))
    off = _CONTROL.format(flag="<w:showingPlcHdr w:val='0'/>", content=_r("5"))
    row = "<w:tbl><w:tr>" + _tc(_p(_r("合计"))) + _tc(_p(filled)) + _tc(_p(off)) + "</w:tr></w:tbl>"
    assert _rows(row) == [(("合计", "12", "5"), (0.0, 1.0, 2.0))]


_HIDING_STYLES = (
    "<w:style w:type='character' w:styleId='a1'><w:name w:val='隐藏文字'/><w:rPr><w:vanish/></w:rPr></w:style>"
    "<w:style w:type='character' w:styleId='a2'><w:name w:val='上年数'/><w:basedOn w:val='a1'/></w:style>"
    "<w:style w:type='character' w:styleId='a3'><w:name w:val='显示'/><w:basedOn w:val='a1'/>"
    "<w:rPr><w:vanish/></w:rPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='p1'><w:name w:val='旧标题'/><w:rPr><w:vanish/></w:rPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='p2'><w:name w:val='正文'/><w:rPr><w:vanish w:val='0'/></w:rPr></w:style>"
)


def test_text_hidden_through_its_paragraph_or_character_style_is_not_read() -> None:
    def styled(text: str, style: str, direct: str = "") -> str:
        return _r(text, f"<w:rPr><w:rStyle w:val='{style}'/>{direct}</w:rPr>")

    body = (
        _p("<w:pPr><w:pStyle w:val='p1'/></w:pPr>", _r("某县2019年报告"))
        + _p("<w:pPr><w:pStyle w:val='p2'/></w:pPr>", _r("某县2020年报告"))
        + _p(_r("收到"), styled("（不含转办）", "a1"), _r("申请数"))
        + _p(styled("原为7", "a2"), _r("12"))
        + _p(styled("3", "a3"), styled("4", "a1", "<w:vanish w:val='0'/>"))
        + _p("<w:pPr><w:pStyle w:val='p1'/></w:pPr>", styled("5", "a1"))
    )
    # a3 toggles a1's hiding off again; a run's own w:vanish val=0 shows it; p1 hides its paragraph, a1 in it
    # turns the state over again (toggles through the style hierarchy, ECMA-376 Part 1, 17.7.3)
    assert [r[0][0] for r in _rows(body, _HIDING_STYLES)] == ["某县2020年报告", "收到申请数", "12", "34", "5"]


def test_document_defaults_hiding_text_hide_what_no_style_or_run_shows() -> None:
    styles = (
        "<w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault></w:docDefaults>"
        "<w:style w:type='paragraph' w:styleId='s'><w:name w:val='显示'/><w:rPr><w:vanish/></w:rPr></w:style>"
    )
    body = (
        _p("<w:pPr><w:pStyle w:val='s'/></w:pPr>", _r("看得见"))
        + _p(_r("看不见"))
        + _p(_r("也看得见", "<w:rPr><w:vanish w:val='false'/></w:rPr>"))
    )
    assert [r[0][0] for r in _rows(body, styles)] == ["看得见", "也看得见"]


def test_a_text_box_laid_over_a_data_cell_is_read_as_the_cells_text_once() -> None:
    def box(text: str) -> str:
        return (
            f"<w:pict><v:shape xmlns:v='urn:schemas-microsoft-com:vml'><v:textbox><w:txbxContent>{_p(_r(text))}"
            "</w:txbxContent></v:textbox></v:shape></w:pict>"
        )

    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    twice = (
        f"<mc:AlternateContent xmlns:mc='{mc}'><mc:Choice Requires='wps'><w:drawing>"
        f"<w:txbxContent>{_p(_r('15'))}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback>{box('15')}</mc:Fallback>"
        "</mc:AlternateContent>"
    )
    row = (
        "<w:tbl><w:tr>"
        + _tc(_p(f"<w:r>{box('（一）自然人')}</w:r>"))
        + _tc(_p(f"<w:r>{twice}</w:r>"))
        + _tc(_p(_r("3")))
        + "</w:tr></w:tbl>"
    )
    assert _rows(row) == [(("（一）自然人", "15", "3"), (0.0, 1.0, 2.0))]
