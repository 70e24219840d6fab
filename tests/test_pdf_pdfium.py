"""PDF pages read through PDFium (pipelines.formats.pdfium_pages) give what pdfplumber gave.

pdfplumber (pdfminer) is the reference here: it is what the reader used before, an independent
implementation. Every page of the generated PDF layouts, and of PDFs drawn with transforms,
form XObjects, standard fonts and curves, must give the same characters, words, page text,
table cells and pictures; what PDFium does not give pdfminer's geometry for is read by
pdfplumber itself.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

import pdfplumber
import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils import extract_text as pdfplumber_extract_text

from pipelines.formats import pdf, pdfium_pages
from tests.generator import FONT, Damage, random_report, register_cjk_font, render
from tests.wild_print import draw, render_with_features

# PDFium works in single precision, pdfminer in double.
_TOLERANCE = 0.01


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= _TOLERANCE
    return bool(a == b)


def _chars(chars: list[dict]) -> list[tuple]:
    """Both in reading order: by line, then left to right (the two libraries list a page's text
    objects in different orders). A blank drawn on its own comes back without its width (only
    its place counts: it ends a word)."""
    boxes = ((c["text"], c["x0"], c["x0"] if c["text"] == " " else c["x1"], c["top"], c["bottom"]) for c in chars)
    return sorted(boxes, key=lambda t: (round(t[3]), t[1], t[0]))


def _words(words: list[dict]) -> list[tuple]:
    return [(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words]


def _assert_reads_as_pdfplumber(data: bytes, blanks_collapsed: bool = False) -> None:
    document = pypdfium2.PdfDocument(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as reference:
            assert len(reference.pages) == len(document)
            for number, page in enumerate(reference.pages):
                mine = pdfium_pages.read_page(document, number)
                expected = page.chars
                if blanks_collapsed:
                    # PDFium keeps one of several blanks in a row; a blank only ends a word.
                    expected = [
                        c for k, c in enumerate(expected) if not (k and c["text"] == expected[k - 1]["text"] == " ")
                    ]
                assert _close(_chars(mine.chars), _chars(expected)), number
                words = pdfium_pages.extract_words(mine.chars)
                assert _close(_words(words), _words(page.extract_words())), number
                # The reader's arrays of the characters' sides are those of its characters.
                assert mine.columns is not None
                for side in ("x0", "x1", "top", "bottom"):
                    assert getattr(mine.columns, side).tolist() == [c[side] for c in mine.chars]
                assert pdfium_pages.page_words(mine.columns) == words
                assert pdfium_pages.page_text(words) == page.extract_text(), number
                # Each table's cells (in no particular order) and its rows.
                tables = [sorted(t.cells) for t in pdfium_pages.find_tables(mine.edges)]
                assert _close(tables, [sorted(t.cells) for t in page.find_tables()]), number
                for table in page.find_tables():
                    cells = [list(row.cells) for row in table.rows]
                    ours = next(
                        t for t in pdfium_pages.find_tables(mine.edges) if _close(sorted(t.cells), sorted(table.cells))
                    )
                    assert _close([row.cells for row in ours.rows], cells)
                    # Each cell's text, as table.extract() gives it.
                    assert (
                        pdf._table_texts(ours, pdfium_pages.CharColumns.of(mine.chars), pdfium_pages.extract_text)
                        == table.extract()
                    )
                images = [(i["x0"], i["top"], i["x1"], i["bottom"], i["srcsize"]) for i in mine.images]
                assert _close(images, [(i["x0"], i["top"], i["x1"], i["bottom"], i["srcsize"]) for i in page.images])
                assert (mine.width, mine.height) == (float(page.width), float(page.height))
    finally:
        document.close()


@pytest.mark.parametrize("fmt", ["pdf-ruled", "pdf-unruled"])
@pytest.mark.parametrize("seed", [0, 1])
def test_generated_pdf_pages_read_through_pdfium_as_pdfplumber_read_them(fmt: str, seed: int) -> None:
    truth = random_report(random.Random(seed), template="2021" if seed % 2 else "2019")
    _, data = render(truth, fmt, Damage(blank_zero=seed == 0, split_labels=seed == 1), seed=seed)
    _assert_reads_as_pdfplumber(data)


@pytest.mark.parametrize("cls", ["pdf-wps", "mixed-template"])
def test_printed_from_word_pages_read_through_pdfium_as_pdfplumber_read_them(cls: str) -> None:
    """WPS prints: a table broken across pages, rows without inner rules, labels spread with a
    space drawn on its own between two font subsets (PDFium's text page leaves such a space
    out; the reader puts it back, so the label still reads 结 果维持)."""
    for k in range(2):
        rng = random.Random(f"{cls}:{k}")
        suffix, data, _ = render_with_features(cls, draw(cls, rng), rng)
        if suffix == ".pdf":
            _assert_reads_as_pdfplumber(data)


def _drawn(build: Callable[[Any], None]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    register_cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    build(c)
    c.save()
    return buf.getvalue()


def _table(c: Any, x: float, y: float, font: str = FONT, size: float = 9) -> None:
    for r in range(4):
        c.line(x, y - r * 20, x + 300, y - r * 20)
    for k in range(4):
        c.line(x + k * 100, y, x + k * 100, y - 60)
    c.setFont(font, size)
    for r in range(3):
        for k in range(3):
            c.drawString(x + k * 100 + 5, y - r * 20 - 14, f"格{r}{k} 12" if font == FONT else f"cell{r}{k} 12")


def _scaled(c: Any) -> None:
    c.scale(0.8, 0.8)
    _table(c, 50, 700)


def _text_matrix(c: Any) -> None:
    text = c.beginText()
    text.setTextTransform(12, 0, 0, 12, 72, 700)  # font size 1, scaled by the text matrix
    text.setFont(FONT, 1)
    text.textOut("放大的文字 123")
    c.drawText(text)
    _table(c, 50, 600)


def _forms(c: Any) -> None:
    c.beginForm("table")
    _table(c, 0, 100)
    c.endForm()
    for dy, scale in ((500, 1.0), (200, 1.2)):
        c.saveState()
        c.translate(60, dy)
        c.scale(scale, scale)
        c.doForm("table")
        c.restoreState()


def _standard_font(c: Any) -> None:
    _table(c, 50, 700, font="Helvetica", size=10)


def _curves(c: Any) -> None:
    c.roundRect(50, 600, 300, 100, 10)
    c.setDash(3, 2)
    c.rect(60, 400, 200, 80)
    c.setDash()
    c.bezier(50, 300, 100, 350, 200, 250, 300, 300)
    c.rect(50, 100, 200, 60, fill=1, stroke=0)
    _table(c, 300, 200)


def _spacing(c: Any) -> None:
    c.setFont(FONT, 10)
    c.drawString(50, 700, "A B  C  一 二")
    for y, setting in ((680, "setCharSpace"), (660, "setHorizScale"), (640, "setRise")):
        text = c.beginText(50, y)
        text.setFont(FONT, 10)
        getattr(text, setting)({"setCharSpace": 1, "setHorizScale": 150, "setRise": 3}[setting])
        text.textOut("字 间 距 12 34")
        c.drawText(text)
    _table(c, 50, 600)


@pytest.mark.parametrize(
    "build", [_scaled, _text_matrix, _forms, _standard_font, _curves], ids=lambda f: f.__name__.strip("_")
)
def test_transforms_forms_standard_fonts_and_curves_read_as_pdfplumber_read_them(build: Callable[[Any], None]) -> None:
    _assert_reads_as_pdfplumber(_drawn(build))


def test_character_spacing_scaling_and_rise_read_as_pdfplumber_read_them() -> None:
    """Spacing, scaling and rise carry over from one text object to the next, as in the graphics
    state. (A gap of exactly the word tolerance, 3 points, is left out: pdfminer's own rounding
    decides it, 134.405 > 131.405 + 3 but 163.41500000000002 > 160.415 + 3.)"""
    _assert_reads_as_pdfplumber(_drawn(_spacing), blanks_collapsed=True)


def _rotated_page(c: Any) -> None:
    c.setPageRotation(90)
    _table(c, 50, 700)


def _rotated_text(c: Any) -> None:
    """A note printed up the page's margin (text turned by a right angle; text run diagonally is a watermark, left
    out: tests/test_pdf_prints.py)."""
    _table(c, 50, 700)
    c.saveState()
    c.translate(500, 300)
    c.rotate(90)
    c.setFont(FONT, 12)
    c.drawString(0, 0, "仅供参考")
    c.restoreState()


@pytest.mark.parametrize(
    ("build", "why"),
    [(_rotated_page, "a rotated page"), (_rotated_text, "text that is not upright")],
)
def test_what_pdfium_does_not_give_as_pdfminer_did_is_read_by_pdfplumber(
    build: Callable[[Any], None], why: str
) -> None:
    data = _drawn(build)
    document = pypdfium2.PdfDocument(data)
    with pytest.raises(pdfium_pages.NotFromPdfium, match=why):
        pdfium_pages.read_page(document, 0)
    document.close()
    layout, text, rows = pdf.pdf_rows(data, "x.pdf")
    assert layout == "pdf/ruled"
    assert "格11" in text
    assert len(rows) >= 3


def test_a_mediabox_off_the_origin_is_read_by_pdfplumber() -> None:
    data = _drawn(_standard_font).replace(b"/MediaBox [ 0 0 ", b"/MediaBox [ 5 5 ")
    document = pypdfium2.PdfDocument(data)
    with pytest.raises(pdfium_pages.NotFromPdfium, match="MediaBox"):
        pdfium_pages.read_page(document, 0)
    document.close()
    assert "cell11 12" in pdf.pdf_rows(data, "x.pdf")[1]


# A character near one line: tops a few points apart (glyphs of fonts with different descents),
# some exactly the tolerance apart, texts with blanks and a ligature.
_char = st.builds(
    lambda text, x0, width, top: {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 9.0},
    st.sampled_from(["a", "1", "一", " ", "ﬁ"]),
    st.one_of(st.floats(0, 60), st.sampled_from([0.0, 3.0, 6.0, 10.5])),
    st.one_of(st.floats(0, 6), st.just(3.0)),
    st.one_of(st.floats(0, 7), st.sampled_from([0.0, 1.5, 3.0, 4.5, 6.0])),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_char, min_size=1, max_size=12))
def test_a_cells_text_is_pdfplumbers_extract_text_of_its_characters(chars: list[dict]) -> None:
    """extract_text's shortcut for characters on one line (no word or line split by their tops)
    gives what the whole rule gives."""
    # pdfplumber also wants each character's upright flag and its top in the document.
    theirs = [{**c, "upright": True, "doctop": c["top"]} for c in chars]
    assert pdfium_pages.extract_text(chars) == pdfplumber_extract_text(theirs)


# On a page: the same characters on a few lines, some as close as the tolerance.
_page_char = st.builds(
    lambda c, line: {**c, "top": c["top"] + line, "bottom": c["bottom"] + line},
    _char,
    st.sampled_from([0.0, 5.0, 12.0, 24.0]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_page_char, max_size=40))
def test_a_pages_words_from_its_columns_are_extract_words(chars: list[dict]) -> None:
    """The page's words taken from its character arrays are extract_words' words, to the bit:
    the same lines, order, splits, texts and boxes."""
    assert pdfium_pages.page_words(pdfium_pages.CharColumns.of(chars)) == pdfium_pages.extract_words(chars)
