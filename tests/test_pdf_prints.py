"""What real PDF prints carry besides the report (pdfreal19): the generator's PDF print classes print it,
and the PDF reader reads the report through it.

The classes (tests/wild_text.py, `PDF_PRINTS`): a text layer naming radicals and compatibility ideographs instead
of the ideographs drawn (`pdf-radical-forms`), a diagonal watermark tiled over the tables (`pdf-watermark`), one laid
flat in faint grey (`pdf-watermark-flat`), characters drawn twice for bold (`pdf-fake-bold`). Each file is inspected here with pdfplumber (pdfminer), which
the reader does not use for these pages: an independent look at what the file holds.
"""

from __future__ import annotations

import io
import random
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber

from models.catalog import cells_for
from pipelines.formats import pdf, pdfium_pages
from tests.generator import FONT, register_cjk_font
from tests.wild_text import PDF_PRINTS, WILD_TEXT, render_wild, wild_report

SEEDS = range(4)


def _print(cls: str, seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    suffix, data, truth = render_wild(cls, wild_report(rng), rng)
    assert suffix == ".pdf"
    return data, truth


def _chars(data: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [c for page in pdf.pages for c in page.chars]


def test_the_pdf_print_classes_are_registered_with_the_wild_classes() -> None:
    assert PDF_PRINTS == (
        "pdf-radical-forms",
        "pdf-watermark",
        "pdf-watermark-flat",
        "pdf-fake-bold",
        "pdf-grey-text",
    )
    assert all(cls in WILD_TEXT for cls in PDF_PRINTS)


def test_radical_forms_name_radicals_where_the_glyphs_draw_ideographs() -> None:
    for seed in SEEDS:
        data, truth = _print("pdf-radical-forms", seed)
        text = "".join(c["text"] for c in _chars(data))
        radicals = [ch for ch in text if 0x2E80 <= ord(ch) < 0x2FE0]
        assert len(radicals) >= 20
        assert "⾏政" in text  # 行政许可, 行政复议: 行 as the Kangxi radical ⾏
        assert "行政" not in text
        # What a viewer shows: each radical is the ideograph it draws.
        assert all(unicodedata.normalize("NFKC", ch) != ch for ch in radicals if 0x2F00 <= ord(ch) <= 0x2FD5)
        assert len(truth.values) > 0


def test_watermark_draws_its_words_diagonally_over_the_page() -> None:
    for seed in SEEDS:
        data, _ = _print("pdf-watermark", seed)
        chars = _chars(data)
        diagonal = [c for c in chars if abs(c["matrix"][1]) > 0.3 * abs(c["matrix"][0]) > 0]
        assert len(diagonal) >= 20
        # the report itself is drawn straight
        assert sum(c["matrix"][1] == c["matrix"][2] == 0 for c in chars) > 500


def test_fake_bold_draws_characters_twice_a_fraction_of_a_point_apart() -> None:
    for seed in SEEDS:
        data, _ = _print("pdf-fake-bold", seed)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages[:1]:
                doubled = len(page.chars) - len(page.dedupe_chars(tolerance=1).chars)
                assert doubled >= 50


def test_grey_text_prints_a_share_of_the_reports_own_text_faint_at_its_size() -> None:
    """No watermark: the grey or transparent characters are the report's own (their text is the same as a plain
    print's), as large as its other text; pdfplumber sees the grey (the transparency it does not)."""
    greyed = 0
    for seed in range(8):
        data, _ = _print("pdf-grey-text", seed)
        chars = _chars(data)
        grey = [c for c in chars if c["non_stroking_color"] not in ((0,), (0, 0, 0), [0], [0, 0, 0])]
        greyed += len(grey) > 0
        assert all(c["matrix"][1] == c["matrix"][2] == 0 for c in chars)  # nothing turned
        assert max(c["size"] for c in chars) < 2 * sorted(c["size"] for c in chars)[len(chars) // 2], seed
        assert all(0.6 - 1e-6 <= c["non_stroking_color"][0] <= 0.95 + 1e-6 for c in grey), seed
    assert greyed >= 4


# ---------------------------------------------------------------------------------------------
# The reader


def _drawn(build: Callable[[Any], None], rotated: bool = False) -> bytes:
    """A page with a ruled table of three rows (格00 12 …), and what `build(canvas)` draws over it; `rotated`: the
    page carries /Rotate 90, which pdfplumber reads (pdfium_pages.NotFromPdfium)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    register_cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if rotated:
        c.setPageRotation(90)
    for r in range(4):
        c.line(50, 700 - r * 20, 350, 700 - r * 20)
    for k in range(4):
        c.line(50 + k * 100, 700, 50 + k * 100, 640)
    c.setFont(FONT, 9)
    for r in range(3):
        for k in range(3):
            c.drawString(55 + k * 100, 686 - r * 20, f"格{r}{k} 12")
    build(c)
    c.save()
    return buf.getvalue()


def _parsed(cls: str, seed: int):  # type: ignore[no-untyped-def]
    from pipelines.template.report import parse_file

    data, truth = _print(cls, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(data)
        return parse_file(path), truth


def _assert_exact(cls: str) -> None:
    for seed in SEEDS:
        report, truth = _parsed(cls, seed)
        assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template), seed
        for key in cells_for(truth.template):
            assert report.cells[key].value == truth.values.get(key), (seed, key)


def _watermark(c: Any) -> None:
    c.saveState()
    c.setFont(FONT, 40)
    c.setFillGray(0.8)
    c.translate(60, 600)
    c.rotate(40)
    c.drawString(0, 0, "仅供参考")
    c.restoreState()


def test_a_diagonal_watermark_over_a_table_is_left_out_of_its_cells() -> None:
    for rotated in (False, True):  # read through PDFium, and by pdfplumber
        layout, text, rows = pdf.pdf_rows(_drawn(_watermark, rotated), "x.pdf")
        assert layout == "pdf/ruled"
        assert not set("仅供参考") & set(text), rotated
        assert len(rows) == 3
        assert not set("仅供参考") & {ch for r in rows for cell in r.cells for ch in cell}, rotated
        if not rotated:
            assert [r.cells for r in rows] == [(f"格{r}0 12", f"格{r}1 12", f"格{r}2 12") for r in range(3)]


def test_a_watermarked_print_reads_as_printed() -> None:
    _assert_exact("pdf-watermark")


def _flat(grey: float, alpha: float, size: float = 24) -> Callable[[Any], None]:
    """仅供参考 drawn flat once in each table row (from its first cell's right half into the next), `size` points
    high (the table's text is 9)."""

    def draw(c: Any) -> None:
        c.saveState()
        c.setFont(FONT, size)
        c.setFillGray(grey)
        c.setFillAlpha(alpha)
        for y in (686, 666, 646):
            c.drawString(105, y, "仅供参考")
        c.restoreState()

    return draw


def test_a_faint_large_watermark_laid_flat_is_left_out_of_its_cells() -> None:
    """Light grey (opaque, or flattened from transparency), or half transparent, and large (24 points over text of
    9): read through PDFium, and (light grey; pdfplumber's characters do not carry transparency) by pdfplumber."""
    for grey, alpha, rotated in ((0.8, 1.0, False), (0.3, 0.4, False), (0.75, 1.0, True)):
        text = pdf.pdf_rows(_drawn(_flat(grey, alpha), rotated), "x.pdf")[1]
        assert not set("仅供参考") & set(text), (grey, alpha, rotated)
        assert "格11" in text


def test_dark_grey_and_white_text_is_the_reports_own() -> None:
    """Grey body text (30%) and white text (a header cell's, on a dark fill) are read, large or not."""
    for grey in (0.3, 1.0):
        text = pdf.pdf_rows(_drawn(_flat(grey, 1.0)), "x.pdf")[1]
        assert text.count("仅") == 3, grey
    assert not pdfium_pages.faint(0, 0, 0)
    assert pdfium_pages.faint(192, 192, 192)  # Word's silver
    assert not pdfium_pages.faint(230, 150, 150)  # light red is not grey


def test_light_grey_or_transparent_text_at_the_bodys_size_is_the_reports_own() -> None:
    """A report's own grey text (a note, a greyed figure or label, a web page printed with its CSS greys) is as
    large as its other text: read, light grey or half transparent, through PDFium and by pdfplumber; and as large
    as a title (1.8 times the body) still."""
    cases = [(0.6, 1.0, 9, False), (0.95, 1.0, 9, False), (0.0, 0.4, 9, False), (0.8, 1.0, 16, False)]
    for grey, alpha, size, rotated in [*cases, (0.6, 1.0, 9, True), (0.8, 1.0, 16, True)]:
        text = pdf.pdf_rows(_drawn(_flat(grey, alpha, size), rotated), "x.pdf")[1]
        assert text.count("仅") == 3, (grey, alpha, size, rotated)
        assert "格11" in text


def test_a_page_printed_grey_throughout_is_read() -> None:
    """Every character faint (a web page's CSS greys all its text, #aaa): the body is their own size, so a title
    and the table are read, through PDFium and by pdfplumber."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    register_cjk_font()
    for rotated in (False, True):
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4)
        if rotated:
            c.setPageRotation(90)
        c.setFillGray(0.67)
        c.setFont(FONT, 16)
        c.drawString(50, 740, "某某局2022年政府信息公开工作年度报告")
        c.setFont(FONT, 9)
        for r in range(3):
            for k in range(3):
                c.drawString(55 + k * 100, 686 - r * 20, f"格{r}{k} 12")
        c.save()
        text = pdf.pdf_rows(buf.getvalue(), "x.pdf")[1]
        assert "某某局2022年政府信息公开工作年度报告" in text, rotated
        assert all(f"格{r}{k}" in text for r in range(3) for k in range(3)), rotated
    assert pdfium_pages.watermark_sized([9, 9, 9, 16], [True] * 4) == [False] * 4
    assert pdfium_pages.watermark_sized([9, 9, 6, 24], [False, False, True, True]) == [False, False, False, True]
    assert pdfium_pages.watermark_sized([], []) == []


def test_a_print_with_its_own_text_in_grey_reads_as_printed() -> None:
    _assert_exact("pdf-grey-text")


def test_a_print_watermarked_flat_reads_as_printed() -> None:
    _assert_exact("pdf-watermark-flat")


def _twice(c: Any) -> None:
    # Faked bold: a heading and the table's second row drawn again, 0.4 point to the right and 0.2 lower, after
    # the page's other text (PDFium drops a copy drawn right after its original, not this one).
    c.setFont(FONT, 9)
    c.drawString(50, 720, "二、主动公开政府信息情况")
    for k in range(8):
        c.drawString(400, 600 - 20 * k, f"说明{k}")
    c.drawString(50.4, 719.8, "二、主动公开政府信息情况")
    for k in range(3):
        c.drawString(55.4 + k * 100, 665.8, f"格1{k} 12")


def test_characters_drawn_twice_for_bold_are_read_once() -> None:
    for rotated in (False, True):
        _, text, rows = pdf.pdf_rows(_drawn(_twice, rotated), "x.pdf")
        assert "二、主动公开政府信息情况" in text.splitlines(), rotated
        cells = [r.cells for r in rows if not r.is_text]
        # (pdfplumber reads the turned page's table in its own order, without the blank: the cells are compared)
        read = sorted(c.replace(" ", "") for row in cells for c in row if c.startswith("格"))
        assert read == sorted(f"格{r}{k}12" for r in range(3) for k in range(3)), rotated


def test_the_same_character_a_point_or_more_away_is_another_character() -> None:
    """What is dropped is a character within pdfplumber's tolerance (1 point) of an earlier one of the same text:
    a column of zeros, two zeros side by side, the same character on the next line stay."""
    chars = [
        ("0", 100.0, 200.0),
        ("0", 100.0, 212.0),  # the next row of the column
        ("0", 105.0, 200.0),  # beside it: 00
        ("0", 100.6, 200.3),  # drawn again: dropped
        ("一", 99.5, 199.2),  # another character at the same place
        ("0", 101.05, 200.0),  # more than a point from the first
        ("0", 99.05, 200.95),  # within a point of the first, across a bucket's side: dropped
        ("0", 100.9, 199.1),  # and across the other sides: dropped
    ]
    columns = pdfium_pages.CharColumns(
        [], [c[1] for c in chars], [c[1] + 5 for c in chars], [c[2] for c in chars], [c[2] + 9 for c in chars]
    )
    assert pdfium_pages.overprinted([c[0] for c in chars], columns) == {3, 6, 7}


def test_a_fake_bold_print_reads_as_printed() -> None:
    _assert_exact("pdf-fake-bold")


def test_radicals_in_the_text_layer_are_read_as_the_ideographs_they_draw() -> None:
    table = pdfium_pages.IDEOGRAPHS
    assert [chr(c).translate(table) for c in (0x2F8F, 0x2EA0, 0x2EDA, 0x2F00, 0x2F3E, 0xF900)] == list("行民页一户豈")
    assert all(len(ideograph) == 1 for ideograph in table.values())  # a page's text keeps its length
    assert "\ufa11".translate(table) == "\ufa11"  # 﨑: a unified ideograph inside the compatibility block
    for seed in SEEDS[:2]:
        data, _ = _print("pdf-radical-forms", seed)
        text = pdf.pdf_rows(data, "x.pdf")[1]
        assert not [ch for ch in text if 0x2E80 <= ord(ch) < 0x2FE0 or 0xF900 <= ord(ch) < 0xFB00]
        assert "行政" in text
        assert "人民" in text


def test_a_print_naming_radicals_reads_as_printed() -> None:
    _assert_exact("pdf-radical-forms")
