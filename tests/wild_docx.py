"""Real files, round 19: the markup Word and WPS leave in a report's .docx (docxreal19).

Agencies write this year's report by editing last year's .docx, in Word or WPS, often with revisions tracked,
inside a template's content controls, with fields that total a column and with Word 2003's smart tags still
around dates and figures. Each renderer here writes the generated report (tests.generator's layout, written by
python-docx) and then rewrites its document.xml with lxml the way those editors leave it; the truth is what Word
shows, which the markup does not change: every cell, the agency, the year.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from tests.generator import Damage, GCell, TrueReport, docx_document, layout, save_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _el(tag: str, children: tuple[Any, ...] | list[Any] = (), **attrs: str) -> Any:
    """A w: element with w: attributes and children."""
    element = etree.Element(w(tag), {w(k): v for k, v in attrs.items()}, nsmap={"w": W})
    element.extend(children)
    return element


def _run(text: str, like: Any = None, tag: str = "t", hidden: str | None = None) -> Any:
    """A w:r holding text in a w:t (or w:delText, w:instrText), its properties copied from the run `like`;
    hidden: a w:vanish toggle's value ("" for a bare <w:vanish/>)."""
    run = _el("r")
    props = like.find(w("rPr")) if like is not None else None
    props = copy.deepcopy(props) if props is not None else None
    if hidden is not None:
        props = props if props is not None else _el("rPr")
        props.insert(0, _el("vanish", val=hidden) if hidden else _el("vanish"))
    if props is not None:
        run.append(props)
    t = _el(tag)
    t.text = text
    t.set(_XML_SPACE, "preserve")
    run.append(t)
    return run


def _fee_printed(report: TrueReport) -> None:
    for key, value in report.values.items():
        if value != int(value) and key not in report.printed:  # a fee to the yuan in 万元: all six decimals
            report.printed[key] = f"{value:.6f}".rstrip("0").rstrip(".")


def _document(report: TrueReport, rng: random.Random) -> tuple[Any, list[tuple[GCell, Any]], list[Any]]:
    """(python-docx Document, (cell, w:tc) pairs, the body's text paragraphs) of the report's generated DOCX."""
    _fee_printed(report)
    document, cells = docx_document(layout(report, Damage(), rng))
    body = document.element.body
    paragraphs = [p for p in body.iterchildren(w("p")) if "".join(p.itertext()).strip()]
    return document, cells, paragraphs


def _single_run(holder: Any) -> tuple[Any, str] | None:
    """(the w:p's one run, its text) where a cell's or paragraph's text is one run of one w:t, else None."""
    p = holder if holder.tag == w("p") else holder.find(w("p"))
    if p is None:
        return None
    runs = p.findall(w("r"))
    if len(runs) != 1 or len(runs[0].findall(w("t"))) != 1 or len(runs[0]) > 2:
        return None
    text = runs[0].find(w("t")).text or ""
    return (runs[0], text) if text.strip() else None


def _some_cells(cells: list[tuple[GCell, Any]], rng: random.Random) -> Iterator[tuple[GCell, Any, str]]:
    """(cell, its run, the run's text) for a share (15-40%, drawn as the loop starts) of the cells printed as one
    run, each drawn as the loop reaches it: a renderer's edits to one cell come before the next cell's draw."""
    share = rng.uniform(0.15, 0.4)
    for cell, tc in cells:
        single = _single_run(tc)
        if single is None or rng.random() >= share:
            continue
        yield cell, *single


def _replace(old: Any, new: list[Any]) -> None:
    parent = old.getparent()
    at = parent.index(old)
    parent.remove(old)
    for k, element in enumerate(new):
        parent.insert(at + k, element)


def _other_figure(text: str, rng: random.Random) -> str:
    """A figure last year's report could have printed where this one prints `text`."""
    while True:
        other = str(rng.randint(0, 300))
        if other != text:
            return other


def _stamp(report: TrueReport, rng: random.Random) -> dict[str, str]:
    author = rng.choice(["Administrator", "lenovo", "办公室", "USER", "微软用户"])
    return {"author": author, "date": f"{report.year + 1}-01-{rng.randint(10, 28)}T{rng.randint(8, 17):02d}:00:00Z"}


class _Ids:
    def __init__(self) -> None:
        self.n = 100

    def __call__(self) -> str:
        self.n += 1
        return str(self.n)


def _title_year(paragraphs: list[Any], year: int) -> list[tuple[Any, str]]:
    """The text paragraphs (one run each) that print the report's year, with their text."""
    out = []
    for p in paragraphs:
        single = _single_run(p)
        if single is not None and str(year) in single[1]:
            out.append(single)
    return out


# ---------------------------------------------------------------------------------------------
# Word's tracked changes not accepted.


def render_docx_tracked_changes(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The report edited from last year's with Track Changes on and the revisions never accepted: the year in the
    title and some figures typed over last year's (<w:del><w:delText>old</w:delText></w:del><w:ins>new</w:ins>, or
    the new one inserted alone), a figure moved from the cell beside it (w:moveFrom there, w:moveTo here), a
    label's second half inserted beside a deleted word, a paragraph typed as one insertion, a row inserted
    (w:trPr/w:ins, its runs in w:ins) and last year's copy of a row deleted (w:trPr/w:del, its runs in w:delText).
    Word with markup off shows the insertions and not the deletions. Truth: every cell, the agency, the year."""
    document, cells, paragraphs = _document(report, rng)
    stamp, ids = _stamp(report, rng), _Ids()

    def rev(tag: str, runs: list[Any]) -> Any:
        return _el(tag, runs, id=ids(), **stamp)

    for run, text in _title_year(paragraphs, report.year):
        if rng.random() < 0.8:
            at = text.index(str(report.year))
            old = rev("del", [_run(str(report.year - 1), run, "delText")])
            new = rev("ins", [_run(str(report.year), run)])
            _replace(run, [_run(text[:at], run), old, new, _run(text[at + 4 :], run)])
    for p in paragraphs:
        single = _single_run(p)
        if single is not None and rng.random() < 0.15:
            _wrap(single[0], lambda c: rev("ins", c))
    share = rng.uniform(0.15, 0.4)
    previous: Any = None  # the figure cell before this one in its row, its run
    for cell, tc in cells:
        single = _single_run(tc)
        if single is None:
            previous = None
            continue
        run, text = single
        if cell.figure and rng.random() < share:
            old = rev("del", [_run(_other_figure(text, rng), run, "delText")])
            kind = rng.random()
            if kind < 0.4:
                _replace(run, [old, rev("ins", [_run(text, run)])])
            elif kind < 0.6:
                _replace(run, [rev("ins", [_run(text, run)])])
            elif kind < 0.75:
                _replace(run, [_run(text, run), old])
            elif previous is not None and previous.getparent() is not None:
                # dragged from the cell before it: Word keeps the source as moveFrom, the place as moveTo
                name = f"move{ids()}"
                start, end = ids(), ids()
                source = [
                    _el("moveFromRangeStart", id=start, name=name, **stamp),
                    rev("moveFrom", [_run(text, run)]),
                    _el("moveFromRangeEnd", id=start),
                ]
                previous.getparent().extend(source)
                _replace(
                    run,
                    [
                        _el("moveToRangeStart", id=end, name=name, **stamp),
                        rev("moveTo", [_run(text, run)]),
                        _el("moveToRangeEnd", id=end),
                    ],
                )
        elif not cell.figure and len(text) >= 4 and rng.random() < share:
            cut = rng.randint(1, len(text) - 1)
            stale = rev("del", [_run(rng.choice(["上年", "（件）", "数量", "2019年"]), run, "delText")])
            _replace(run, [_run(text[:cut], run), stale, rev("ins", [_run(text[cut:], run)])])
        previous = run if cell.figure else None
    tables = document.element.body.findall(w("tbl"))
    rows = [tr for tbl in tables for tr in tbl.findall(w("tr")) if len(tr.findall(w("tc"))) >= 3]
    if rows and rng.random() < 0.6:  # last year's copy of a row, deleted
        original = rng.choice(rows)
        stale = copy.deepcopy(original)
        for run in list(stale.iter(w("r"))):
            for t in run.findall(w("t")):
                t.tag = w("delText")
                if (t.text or "").strip().isdigit():
                    t.text = _other_figure(t.text or "", rng)
            _replace(run, [rev("del", [copy.deepcopy(run)])])
        _mark_row(stale, rev("del", []))
        original.addprevious(stale)
    if rows and rng.random() < 0.6:  # a row typed in this year
        inserted = rng.choice(rows)
        for run in list(inserted.iter(w("r"))):
            if run.getparent().tag == w("p"):
                _replace(run, [rev("ins", [copy.deepcopy(run)])])
        _mark_row(inserted, rev("ins", []))
    return ".docx", save_docx(document)


def _mark_row(tr: Any, mark: Any) -> None:
    """Put a revision mark (w:ins, w:del) in the row's w:trPr."""
    props = tr.find(w("trPr"))
    if props is None:
        props = _el("trPr")
        tr.insert(1 if tr.find(w("tblPrEx")) is not None else 0, props)
    props.append(mark)


# ---------------------------------------------------------------------------------------------
# Content controls and custom XML: a template's or a WPS form's wrappers.


def _sdt(content: list[Any], ids: _Ids, alias: str, *, text: bool = False) -> Any:
    props = [_el("alias", val=alias), _el("tag", val=alias), _el("id", val=ids())]
    if text:
        props.append(_el("text"))
    return _el("sdt", [_el("sdtPr", props), _el("sdtEndPr"), _el("sdtContent", content)])


def _custom_xml(content: list[Any], element: str) -> Any:
    return _el("customXml", content, uri="http://www.gov.cn/xxgk/report", element=element)


def _wrap(element: Any, make: Callable[[list[Any]], Any]) -> None:
    """Put `element` inside the wrapper `make` builds around it, where it stood."""
    parent, at = element.getparent(), element.getparent().index(element)
    parent.remove(element)
    parent.insert(at, make([element]))


def render_docx_content_controls(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The report written into a template or a WPS form: the title and some paragraphs in block content controls
    (w:body/w:sdt/w:sdtContent/w:p) or custom XML (w:body/w:customXml/w:p), a whole table in one, some rows
    (w:tbl/w:sdt/w:sdtContent/w:tr), some cells (w:tr/w:sdt/w:sdtContent/w:tc: the cells after them shift left
    in a reader that skips them) and some figures as plain-text controls inside their paragraph
    (w:p/w:sdt/w:sdtContent/w:r) or custom XML elements (w:p/w:customXml/w:r). Word shows the controls' content.
    Truth: every cell, the agency, the year."""
    document, cells, paragraphs = _document(report, rng)
    ids = _Ids()
    for p in paragraphs:
        has_year = str(report.year) in "".join(p.itertext())
        if has_year or rng.random() < 0.25:
            alias = "标题" if has_year else "正文"
            if rng.random() < 0.7:
                _wrap(p, lambda c, alias=alias: _sdt(c, ids, alias))
            else:
                _wrap(p, lambda c: _custom_xml(c, "paragraph"))
    share = rng.uniform(0.15, 0.4)
    for cell, tc in cells:
        single = _single_run(tc)
        if single is None or rng.random() >= share:
            continue
        run = single[0]
        kind = rng.random()
        name = "figure" if cell.figure else "label"
        if kind < 0.4 and tc.getparent().tag == w("tr"):
            _wrap(tc, lambda c: _sdt(c, ids, "单元格"))
        elif kind < 0.8:
            _wrap(run, lambda c, name=name: _sdt(c, ids, name, text=True))
        else:
            _wrap(run, lambda c, name=name: _custom_xml(c, name))
    tables = document.element.body.findall(w("tbl"))
    for tbl in tables:
        for tr in tbl.findall(w("tr")):
            if rng.random() < share / 2:
                _wrap(tr, lambda c: _sdt(c, ids, "行"))
    if tables:
        _wrap(rng.choice(tables), lambda c: _sdt(c, ids, "表格"))
    return ".docx", save_docx(document)


# ---------------------------------------------------------------------------------------------
# Fields and smart tags.

_SMART_TAGS = "urn:schemas-microsoft-com:office:smarttags"
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_UNIT = re.compile(r"(\d+)(年|件|个|条|次|人|万元|元)")


def _smart_tag(element: str, runs: list[Any], attrs: dict[str, str]) -> Any:
    props = _el("smartTagPr", [_el("attr", name=k, val=v) for k, v in attrs.items()])
    return _el("smartTag", [props, *runs], uri=_SMART_TAGS, element=element)


def _tagged(text: str, like: Any, rng: random.Random) -> list[Any]:
    """The runs of `text` with Word 2003's Chinese smart tags around what they recognised: dates (chsdate), a
    number with its unit (chmetcnv, 2019年 or 12件)."""
    out: list[Any] = []
    at = 0
    for match in sorted([*_DATE.finditer(text), *_UNIT.finditer(text)], key=lambda m: m.start()):
        if match.start() < at or rng.random() < 0.3:
            continue
        if match.start() > at:
            out.append(_run(text[at : match.start()], like))
        pieces = [match.group()]
        if rng.random() < 0.5 and len(match.group()) > 2:  # Word splits a tag's text into runs at each edit
            cut = rng.randint(1, len(match.group()) - 1)
            pieces = [match.group()[:cut], match.group()[cut:]]
        runs = [_run(piece, like) for piece in pieces]
        if match.re is _DATE:
            year, month, day = match.groups()
            attrs = {"IsROCDate": "False", "IsLunarDate": "False", "Day": day, "Month": month, "Year": year}
            out.append(_smart_tag("chsdate", runs, attrs))
        else:
            number, unit = match.groups()
            attrs = {"UnitName": unit, "SourceValue": number, "HasSpace": "False", "Negative": "False"}
            out.append(_smart_tag("chmetcnv", runs, {**attrs, "NumberType": "1", "TCSC": "0"}))
        at = match.end()
    if at < len(text):
        out.append(_run(text[at:], like))
    return out


def _field_runs(text: str, like: Any, instruction: str) -> list[Any]:
    """A complex field: begin, its instruction (w:instrText, not shown), separate, its result, end."""

    def char(kind: str) -> Any:
        run = _el("r")
        run.append(_el("fldChar", fldCharType=kind))
        return run

    return [char("begin"), _run(instruction, like, "instrText"), char("separate"), _run(text, like), char("end")]


def render_docx_fields_smart_tags(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Word's own wrappers around text it computed or recognised: some figures are a formula field's result, as a
    simple field (w:fldSimple w:instr=" =SUM(LEFT) " around the result's run) or a complex one (w:fldChar begin,
    w:instrText " =SUM(ABOVE) \\* MERGEFORMAT " or " =B3+C3 ", separate, the result, end); some figures print their
    unit (12件) inside a chmetcnv smart tag, and the title's year (2020年) and the paragraphs' dates inside
    chmetcnv/chsdate smart tags, as Word 2003 saved them and later Words keep; bookmarks and proofing marks between
    a label's runs. Truth: every cell (a unit in a cell is read), the agency, the year."""
    document, cells, paragraphs = _document(report, rng)
    ids = _Ids()
    for p in paragraphs:
        single = _single_run(p)
        if single is not None and (_DATE.search(single[1]) or _UNIT.search(single[1])):
            _replace(single[0], _tagged(single[1], single[0], rng))
    for cell, run, text in _some_cells(cells, rng):
        if cell.figure and re.fullmatch(r"\d+", text):
            kind = rng.random()
            if kind < 0.35:
                _replace(
                    run, [_el("fldSimple", [_run(text, run)], instr=rng.choice([" =SUM(LEFT) ", " =SUM(ABOVE) "]))]
                )
            elif kind < 0.7:
                instruction = rng.choice([" =SUM(ABOVE) \\* MERGEFORMAT ", " =B3+C3 ", " =SUM(LEFT) "])
                _replace(run, _field_runs(text, run, instruction))
            else:
                _replace(run, _tagged(text + rng.choice(["件", "个"]), run, rng))
        elif not cell.figure and len(text) >= 4:
            cut = rng.randint(1, len(text) - 1)
            mark = ids()
            _replace(
                run,
                [
                    _el("proofErr", type="gramStart"),
                    _run(text[:cut], run),
                    _el("bookmarkStart", id=mark, name=f"_Toc{rng.randint(10**8, 10**9)}"),
                    _run(text[cut:], run),
                    _el("bookmarkEnd", id=mark),
                    _el("proofErr", type="gramEnd"),
                ],
            )
    return ".docx", save_docx(document)


# ---------------------------------------------------------------------------------------------
# Hidden text and characters Word does not draw.

_INVISIBLE = ("\u200b", "\u200b", "\ufeff", "\u2060", "\u00ad", "\u200d")


def _with_invisible(text: str, rng: random.Random) -> str:
    at = rng.choice([0, len(text), rng.randint(0, len(text))])
    return text[:at] + rng.choice(_INVISIBLE) + text[at:]


def render_docx_hidden_text(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Text formatted hidden (w:rPr/w:vanish, bare or w:val="true"/"1", or w:specVanish) that Word does not show
    unless asked: last year's figure or 原为N beside a figure, a note inside a label, last year's title kept hidden
    above this year's; runs whose w:vanish is switched off (w:val="false"/"0") are shown. Characters pasted from
    web pages that Word draws as nothing (U+200B, U+FEFF, U+2060, U+00AD, U+200D) inside figures, labels and
    paragraphs. Truth: every cell, the agency, the year."""
    document, cells, paragraphs = _document(report, rng)
    for run, text in _title_year(paragraphs, report.year)[:1]:
        if rng.random() < 0.5:  # last year's title, hidden above this year's
            stale = _el("p", [_run(text.replace(str(report.year), str(report.year - 1)), run, hidden="")])
            run.getparent().addprevious(stale)
    for p in paragraphs:
        single = _single_run(p)
        if single is not None and rng.random() < 0.3:
            _replace(single[0], [_run(_with_invisible(single[1], rng), single[0])])
    for cell, run, text in _some_cells(cells, rng):
        kind = rng.random()
        if kind < 0.25:
            _replace(run, [_run(_with_invisible(text, rng), run)])
            continue
        toggle = rng.choice(["", "", "true", "1", "on"])
        if cell.figure:
            stale = _other_figure(text, rng)
            hidden = _run(rng.choice([stale, f"原为{stale}", f"（{stale}）"]), run, hidden=toggle)
            if kind < 0.4:
                special = hidden.find(w("rPr"))
                special.remove(special.find(w("vanish")))
                special.append(_el("specVanish"))
            shown = _run(text, run, hidden=rng.choice(["false", "0", "off"])) if kind > 0.8 else _run(text, run)
            _replace(run, [hidden, shown] if rng.random() < 0.5 else [shown, hidden])
        elif len(text) >= 4:
            cut = rng.randint(1, len(text) - 1)
            note = _run(rng.choice(["（不含转办）", "2019年", "注", "上年数"]), run, hidden=toggle)
            _replace(run, [_run(text[:cut], run), note, _run(text[cut:], run)])
    return ".docx", save_docx(document)


# ---------------------------------------------------------------------------------------------
# The title in a text box.

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
_NS = {"w": W, "mc": MC, "wps": WPS, "wp": WP, "a": A, "v": V}


def _ns(prefix: str, tag: str, children: tuple[Any, ...] | list[Any] = (), **attrs: str) -> Any:
    element = etree.Element(f"{{{_NS[prefix]}}}{tag}", attrs, nsmap=_NS)
    element.extend(children)
    return element


def _box_content(paragraphs: list[Any]) -> Any:
    return _el("txbxContent", [copy.deepcopy(p) for p in paragraphs])


def _drawing_box(paragraphs: list[Any], ids: _Ids) -> Any:
    """Word 2010's text box: w:drawing/wp:anchor/a:graphic/a:graphicData/wps:wsp/wps:txbx/w:txbxContent."""
    shape = _ns(
        "wps",
        "wsp",
        [_ns("wps", "cNvSpPr", txBox="1"), _ns("wps", "spPr"), _ns("wps", "txbx", [_box_content(paragraphs)])],
    )
    graphic = _ns("a", "graphic", [_ns("a", "graphicData", [shape], uri=WPS)])
    extent = _ns("wp", "extent", cx="5486400", cy="914400")
    props = _ns("wp", "docPr", id=ids(), name=f"文本框 {ids.n}")
    anchor = _ns("wp", "anchor", [extent, props, graphic], behindDoc="0", locked="0", layoutInCell="1")
    return _el("drawing", [anchor])


def _vml_box(paragraphs: list[Any], ids: _Ids) -> Any:
    """The same box as VML (w:pict/v:shape/v:textbox/w:txbxContent): Word's fallback, and what WPS and Word 2007
    write alone."""
    textbox = _ns("v", "textbox", [_box_content(paragraphs)])
    style = "position:absolute;margin-left:0;margin-top:0;width:432pt;height:72pt;z-index:251659264"
    return _el("pict", [_ns("v", "shape", [textbox], id=f"_x0000_s{ids()}", type="#_x0000_t202", style=style)])


def _text_box(boxed: list[Any], ids: _Ids, rng: random.Random) -> Any:
    """A text box holding the paragraphs `boxed`, as Word writes it (mc:AlternateContent: a DrawingML box, its VML
    copy as the Fallback) or as WPS and Word 2007 do (VML alone)."""
    if rng.random() < 0.7:
        fallback = _ns("mc", "Fallback", [_vml_box(boxed, ids)])
        choice = _ns("mc", "Choice", [_drawing_box(boxed, ids)], Requires="wps")
        return _ns("mc", "AlternateContent", [choice, fallback])
    return _vml_box(boxed, ids)


def render_docx_text_box_title(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title (the paragraph that prints the year, and the one before it where there is one) set in a text box
    anchored in an empty paragraph where it stood, as Word 2010 and later save it (mc:AlternateContent: an
    mc:Choice Requires="wps" drawing and an mc:Fallback VML copy of the same text, which Word does not show a
    second time) or as VML alone (WPS, Word 2007). Truth: every cell, the agency, the year."""
    document, _, paragraphs = _document(report, rng)
    ids = _Ids()
    titled = [p for p in paragraphs if str(report.year) in "".join(p.itertext())]
    if titled:
        title = titled[0]
        at = paragraphs.index(title)
        boxed = paragraphs[max(0, at - 1) : at + 1] if at and rng.random() < 0.5 else [title]
        holder = _text_box(boxed, ids, rng)
        anchor = _el("p", [_el("r", [holder])])
        boxed[0].addprevious(anchor)
        for p in boxed:
            p.getparent().remove(p)
    return ".docx", save_docx(document)


# ---------------------------------------------------------------------------------------------
# The report inside a layout table.


def _layout_cell(blocks: list[Any], width: int) -> Any:
    """A w:tc holding `blocks` (paragraphs and tables), ending in a paragraph as a cell must."""
    props = _el("tcPr", [_el("tcW", w=str(width), type="dxa")])
    return _el("tc", [props, *blocks, _el("p")])


def render_docx_layout_table(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The report set inside a layout table, as a bordered frame or a template's grid: one cell holding the whole
    report (its paragraphs and its tables nested in the cell), or the title in a first row and the rest in a second,
    or the report in the right cell beside a narrow margin column (empty, or 附件). Word shows the nested tables as
    tables. Truth: every cell, the agency, the year."""
    document, _, _ = _document(report, rng)
    body = document.element.body
    blocks = [child for child in body if child.tag in (w("p"), w("tbl"))]
    for block in blocks:
        body.remove(block)
    grid = _el("tblGrid", [_el("gridCol", w="9000")])
    props = _el("tblPr", [_el("tblW", w="9000", type="dxa"), _el("tblLayout", type="fixed")])
    kind = rng.random()
    if kind < 0.4:
        rows = [_el("tr", [_layout_cell(blocks, 9000)])]
    elif kind < 0.7:
        first = next(
            (k for k, b in enumerate(blocks) if b.tag == w("p") and str(report.year) in "".join(b.itertext())), 0
        )
        rows = [
            _el("tr", [_layout_cell(blocks[: first + 1], 9000)]),
            _el("tr", [_layout_cell(blocks[first + 1 :], 9000)]),
        ]
    else:
        margin = [_el("p", [_run("附件")])] if rng.random() < 0.5 else []
        grid = _el("tblGrid", [_el("gridCol", w="600"), _el("gridCol", w="8400")])
        rows = [_el("tr", [_layout_cell(margin, 600), _layout_cell(blocks, 8400)])]
    body.insert(0, _el("tbl", [props, grid, *rows]))
    return ".docx", save_docx(document)


# ---------------------------------------------------------------------------------------------
# The body imported from an HTML or MHT part (w:altChunk).


def _mht(page: str) -> bytes:
    """The page as a single-file web page (MHT), as Word writes it for an altChunk: multipart/related, the HTML
    part quoted-printable."""
    import quopri

    boundary = "----=mhtDocumentPart"
    body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    return (
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related; type="text/html"; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: file:///C:/fake/document.html\r\n\r\n"
        f"{body}\r\n--{boundary}--\r\n"
    ).encode("ascii")


def render_docx_alt_chunk(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A .docx an OA system or a web editor exported: its body is one w:altChunk importing the report as an HTML
    part (word/afchunk.htm, text/html) or a single-file web page (word/afchunk.mht, message/rfc822), which Word
    converts when it opens the file; sometimes a paragraph (the site's note) before it. Truth: every cell, the
    agency, the year."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from tests.generator import render_html

    _fee_printed(report)
    lay = layout(report, Damage(), rng)
    page = render_html(lay, Damage(), chrome=rng.random() < 0.5)
    document = docx_document(type(lay)())[0]
    if rng.random() < 0.5:
        blob, partname, content_type = page.encode("utf-8"), "/word/afchunk.htm", "text/html"
    else:
        blob, partname, content_type = _mht(page), "/word/afchunk.mht", "message/rfc822"
    part = Part(PackURI(partname), content_type, blob, document.part.package)
    rid = document.part.relate_to(part, RT.A_F_CHUNK)
    body = document.element.body
    chunk = _el("altChunk")
    chunk.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    body.insert(0, chunk)
    if rng.random() < 0.3:
        body.insert(0, _el("p", [_run("（本文由系统导出）")]))
    return ".docx", save_docx(document)


# ---------------------------------------------------------------------------------------------
# Real files, round 20: what round 19 left (docxleft20). A template's controls left unfilled, text hidden through a
# style.

# What Word 2013 and later (and WPS) put in an empty plain-text control of a Chinese document, shown grey.
PLACEHOLDERS = (
    "单击或点击此处输入文字。",
    "单击此处输入文字。",
    "点击或单击此处输入文字。",
    "单击或点击此处输入日期。",
)


def _placeholder_sdt(ids: _Ids, text: str, block: bool) -> Any:
    """A plain-text control showing its placeholder (w:sdtPr/w:showingPlcHdr, the text in the PlaceholderText
    character style, as Word writes a control nothing was typed in); block: its content a paragraph."""
    props = [
        _el("alias", val="数值"),
        _el("tag", val="数值"),
        _el("id", val=ids()),
        _el("placeholder", [_el("docPart", val=f"DefaultPlaceholder_-18540134{ids.n % 100:02d}")]),
        _el("showingPlcHdr"),
        _el("text"),
    ]
    run = _el("r", [_el("rPr", [_el("rStyle", val="PlaceholderText")])])
    t = _el("t")
    t.text = text
    run.append(t)
    content = [_el("p", [run])] if block else [run]
    return _el("sdt", [_el("sdtPr", props), _el("sdtEndPr"), _el("sdtContent", content)])


def render_docx_placeholder_text(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The report typed into a template whose figure cells are plain-text content controls: the figures typed in
    (some as filled controls, w:sdt around the figure's run), and where the figure is 0 the control often left as
    the template gave it, showing its placeholder (w:showingPlcHdr, 单击或点击此处输入文字。 in grey), which the
    agency read as blank (zeros left empty); an unfilled note control under the title too. Word draws the prompt
    grey where nothing was typed; it is no text of the report. Truth: every cell (an unfilled figure is 0, as a
    blank cell), the agency, the year."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    document, cells, paragraphs = _document(report, rng)
    style = document.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    ids = _Ids()
    prompt = rng.choice(PLACEHOLDERS)
    titled = [p for p in paragraphs if str(report.year) in "".join(p.itertext())]
    if titled and rng.random() < 0.5:
        titled[0].addnext(_placeholder_sdt(ids, prompt, block=True))
    left = rng.uniform(0.5, 1.0)  # the share of zero cells left unfilled
    filled = rng.uniform(0.1, 0.5)
    for cell, tc in cells:
        single = _single_run(tc)
        if single is None or not cell.figure:
            continue
        run, text = single
        if text == "0" and rng.random() < left:
            p = run.getparent()
            p.remove(run)
            p.append(_placeholder_sdt(ids, prompt, block=False))
        elif rng.random() < filled:
            _wrap(run, lambda c: _sdt(c, ids, "数值", text=True))
    return ".docx", save_docx(document)


def render_docx_style_hidden(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Text hidden through a style rather than on its runs: a character style with w:vanish in styles.xml (隐藏文字,
    or 上年数 based on it) applied by w:rStyle to last year's figure beside this year's and to a note inside a label;
    last year's title kept above this year's in a paragraph style with w:vanish (w:pStyle); some runs in the hidden
    character style with w:vanish w:val="0" of their own, which Word shows (direct formatting sets the property
    outright). Truth: every cell, the agency, the year."""
    from docx.enum.style import WD_STYLE_TYPE

    document, cells, paragraphs = _document(report, rng)
    hidden = document.styles.add_style("隐藏文字", WD_STYLE_TYPE.CHARACTER)
    hidden.font.hidden = True
    based = document.styles.add_style("上年数", WD_STYLE_TYPE.CHARACTER)
    based.base_style = hidden
    hidden_title = document.styles.add_style("旧标题", WD_STYLE_TYPE.PARAGRAPH)
    hidden_title.font.hidden = True
    char_ids = (hidden.style_id, based.style_id)

    def styled(text: str, like: Any, style_id: str, toggle: str | None = None) -> Any:
        run = _run(text, like, hidden=toggle)
        props = run.find(w("rPr"))
        if props is None:
            props = _el("rPr")
            run.insert(0, props)
        props.insert(0, _el("rStyle", val=style_id))
        return run

    for run, text in _title_year(paragraphs, report.year)[:1]:
        if rng.random() < 0.7:
            stale = _run(text.replace(str(report.year), str(report.year - 1)), run)
            old = _el("p", [_el("pPr", [_el("pStyle", val=hidden_title.style_id)]), stale])
            run.getparent().addprevious(old)
    for cell, run, text in _some_cells(cells, rng):
        style_id = rng.choice(char_ids)
        if cell.figure:
            stale = _other_figure(text, rng)
            note = styled(rng.choice([stale, f"原为{stale}", f"（{stale}）"]), run, style_id)
            shown = styled(text, run, style_id, toggle=rng.choice(["0", "false"])) if rng.random() < 0.2 else run
            new = [note, copy.deepcopy(shown)] if rng.random() < 0.5 else [copy.deepcopy(shown), note]
            _replace(run, new)
        elif len(text) >= 4:
            cut = rng.randint(1, len(text) - 1)
            note = styled(rng.choice(["（不含转办）", "2019年", "注", "上年数"]), run, style_id)
            _replace(run, [_run(text[:cut], run), note, _run(text[cut:], run)])
    return ".docx", save_docx(document)


def render_docx_cell_text_box(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Figures and labels typed into text boxes laid over their table cells (a WPS or Word user's way to place a
    figure the table would not take, or the form's own boxes): the cell's paragraph holds only the box's anchor,
    as Word 2010 and later save it (mc:AlternateContent: an mc:Choice Requires="wps" drawing and an mc:Fallback VML
    copy, shown once) or as VML alone (WPS, Word 2007). Word shows the box's text in the cell. Truth: every cell,
    the agency, the year."""
    document, cells, _ = _document(report, rng)
    ids = _Ids()
    share = rng.uniform(0.1, 0.3)
    for cell, tc in cells:
        single = _single_run(tc)
        if single is None or rng.random() >= share or (not cell.figure and rng.random() < 0.7):
            continue
        run, _ = single
        p = run.getparent()
        boxed = [_el("p", [copy.deepcopy(run)])]
        holder = _text_box(boxed, ids, rng)
        _replace(run, [_el("r", [holder])])
        assert p.find(w("r")) is not None
    return ".docx", save_docx(document)
