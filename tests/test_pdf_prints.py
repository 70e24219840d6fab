"""What real PDF prints carry besides the report (pdfreal19): the generator's PDF print classes print it,
and the PDF reader reads the report through it.

The classes (tests/wild_text.py, `PDF_PRINTS`): a text layer naming radicals and compatibility ideographs instead
of the ideographs drawn (`pdf-radical-forms`), a diagonal watermark tiled over the tables (`pdf-watermark`),
characters drawn twice for bold (`pdf-fake-bold`). Each file is inspected here with pdfplumber (pdfminer), which
the reader does not use for these pages: an independent look at what the file holds.
"""

from __future__ import annotations

import io
import random
import unicodedata

import pdfplumber

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
    assert PDF_PRINTS == ("pdf-radical-forms", "pdf-watermark", "pdf-fake-bold")
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
