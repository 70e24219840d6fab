"""Reader for HTML pages: the article's paragraphs and its data tables, in document order.

Tables are expanded over rowspan/colspan, each cell keeping the grid column it starts in.
A table that contains other tables is page layout, not data: its cells are read as containers.
BeautifulSoup (with lxml) copes with the broken markup and the declared or undeclared
encodings (GBK pages) of government sites.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from pipelines.formats.document import Row, UnreadableDocument, paragraph

_SKIP = {
    "script",
    "style",
    "noscript",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "svg",
    "button",
    "select",
    "form",
    "nav",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "center",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "header",
    "footer",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


# Word's HTML export wraps its source lines anywhere, even inside a word (公开\r\n行): a line
# break in the source is no break on the page. Between Han characters it is nothing, elsewhere a
# space; only <br> and blocks break lines.
_SOURCE_WRAP_HAN = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]*[\r\n]+[ \t]*(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)
_SOURCE_WRAP = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def _unwrap(text: str) -> str:
    return _SOURCE_WRAP.sub(" ", _SOURCE_WRAP_HAN.sub("", text))


def _text(node: Tag) -> str:
    for string in list(node.find_all(string=True)):
        if "\n" in string or "\r" in string:
            string.replace_with(_unwrap(str(string)))
    for br in node.find_all("br"):
        br.replace_with("\n")
    return "\n".join(_SPACES.sub(" ", ln).strip() for ln in node.get_text().split("\n")).strip()


def _cell_text(cell: Tag) -> str:
    # Lines inside a cell are one label or one figure: join them without a break.
    return " ".join(ln for ln in _text(cell).split("\n") if ln)


def _span(cell: Tag, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or "1"), 200))
    except ValueError:
        return 1


def table_rows(table: Tag) -> list[Row]:
    rows: list[Row] = []
    covered: set[tuple[int, int]] = set()
    trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(trs):
        cells: list[str] = []
        positions: list[float] = []
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in covered:
                c += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            cells.append(_cell_text(td))
            positions.append(float(c))
            covered.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            c += cs
        if cells:
            rows.append(Row(tuple(cells), positions=tuple(positions)))
    return rows


def _walk(node: Tag, out: list[Row]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            text = _SPACES.sub(" ", _unwrap(str(child))).strip()
            if text and child.__class__ is NavigableString:
                out.append(paragraph(text))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        if child.name == "table" and child.find("table") is None:
            out.extend(table_rows(child))
        elif any(isinstance(g, Tag) and g.name in _BLOCKS for g in child.children):
            _walk(child, out)
        else:
            for line in _text(child).split("\n"):
                if line.strip():
                    out.append(paragraph(line))


def html_rows(data: bytes, name: str) -> tuple[str, tuple[Row, ...]]:
    """(plain text, rows) of an HTML page."""
    soup = BeautifulSoup(data, "lxml")
    body = soup.body or soup
    rows: list[Row] = []
    _walk(body, rows)
    if not rows:
        raise UnreadableDocument(f"{name}: the HTML page has no text")
    text = "\n".join(" ".join(r.cells) if not r.is_text else r.cells[0] for r in rows)
    return text, tuple(rows)
