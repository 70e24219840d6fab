"""Real reports' own markup (htmlreal16): what CMS editors leave in a page that a browser does not draw.

The generator class `editor-fill-chars` (tests/wild_text.py) prints the invisible characters with known truth; the
reader (pipelines/formats/html.py) reads the page as a browser shows it.
"""

from __future__ import annotations

import random
import re

from pipelines.formats.html import html_rows
from tests.wild_text import WILD_TEXT, render_wild, wild_report

_INVISIBLE = re.compile("[\u200b\u200d\u2060\ufeff\u00ad]|&#(8203|65279|8288|173|8205);")


def _page(body: str) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"></head><body><p>政府信息公开工作年度报告</p>{body}</body></html>'.encode()
    )


def _cells(data: bytes) -> list[tuple[str, ...]]:
    _, rows, _, _ = html_rows(data, "page.html")
    return [r.cells for r in rows if not r.is_text]


def test_editor_fill_chars_prints_invisible_characters_in_figure_cells_labels_and_paragraphs() -> None:
    assert "editor-fill-chars" in WILD_TEXT
    for seed in range(6):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("editor-fill-chars", wild_report(rng), rng)
        page = data.decode("utf-8")
        assert suffix == ".html"
        assert len(_INVISIBLE.findall(page)) >= 20
        # in a figure cell: an invisible character beside a figure, inside its <p>
        assert re.search(
            r"<p>(?:[\u200b\u200d\u2060\ufeff\u00ad]|&#\d+;)+\d|\d(?:[\u200b\u200d\u2060\ufeff\u00ad]|&#\d+;)+</p>",
            page,
        )
        assert truth.agency
        assert truth.values


def test_invisible_characters_in_a_cell_are_not_read_as_part_of_its_figure_or_label() -> None:
    data = _page(
        "<table><tr><td>本年\u200b新收</td><td>&#8203;12</td><td>3\ufeff4</td><td>&#xFEFF;0&#8288;</td>"
        "<td>5\u00ad</td><td>&ZeroWidthSpace;</td></tr></table>"
    )
    assert _cells(data) == [("本年新收", "12", "34", "0", "5", "")]


def test_an_invisible_character_before_a_source_line_break_between_han_characters_joins_them() -> None:
    # Word wraps its source inside words (公开\r\n行); an editor's fill character before the break is still nothing.
    data = _page("<table><tr><td>依申请公\u200b\r\n开</td><td>7</td></tr></table><p>本年度\u200b\n报告</p>")
    _, rows, _, _ = html_rows(data, "page.html")
    assert ("依申请公开", "7") in [r.cells for r in rows]
    assert "本年度报告" in [r.cells[0] for r in rows if r.is_text]


def test_a_page_of_only_invisible_characters_in_its_cells_keeps_them_blank() -> None:
    # A cell holding nothing but a fill character is an empty cell, as the browser shows it.
    data = _page("<table><tr><td>规章</td><td>\u200b</td><td>&#65279;</td></tr></table>")
    assert _cells(data) == [("规章", "", "")]


def test_a_deleted_revision_is_not_read_and_the_text_typed_over_it_is() -> None:
    # Word's tracked changes left in: <del> struck through by a browser, <ins> the figure as it stands.
    rev = ' cite="mailto:Administrator" datetime="2021-01-15T09:31"'
    data = _page(
        f"<table><tr><td>行政<del{rev}>情况</del>许可</td><td><del{rev}>7</del><ins{rev}>12</ins></td>"
        f"<td><del{rev}><span lang=EN-US>30</span></del>3</td></tr></table>"
    )
    assert _cells(data) == [("行政许可", "12", "3")]


def test_hidden_inline_text_is_not_read_but_a_hidden_block_still_is() -> None:
    # Word's hidden text (mso-hide:all, display:none) is not drawn; a hidden block may be an article a script
    # reveals, so a table or div styled display:none is read as before (round wildhtml's decision).
    data = _page(
        '<table><tr><td>规章<span style="display:none;mso-hide:all">（待核）</span></td>'
        '<td>5<span style="mso-hide:all">原为12</span></td><td><font style="DISPLAY: none">9</font>0</td></tr></table>'
        '<div style="display:none"><p>本年度报告正文</p></div>'
    )
    assert _cells(data) == [("规章", "5", "0")]
    _, rows, _, _ = html_rows(data, "page.html")
    assert "本年度报告正文" in [r.cells[0] for r in rows if r.is_text]


def test_tracked_changes_and_hidden_text_print_their_markup_around_the_truth() -> None:
    for cls, marks in (
        ("tracked-changes", ("<del cite=", "</del>")),
        ("hidden-text", ("<span style=", "none", "hide")),
    ):
        rng = random.Random(1)
        _, data, _ = render_wild(cls, wild_report(rng), rng)
        page = data.decode("utf-8")
        assert page.count(marks[0]) >= 5
        assert any(m in page for m in marks[1:])
