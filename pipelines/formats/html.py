"""Reader for HTML pages: the article's paragraphs and its data tables, in document order.

Tables are expanded over rowspan/colspan, each cell keeping the grid column it starts in.
A table that contains other tables is page layout, not data: its cells are read as containers.
BeautifulSoup (with lxml) copes with the broken markup and the declared or undeclared
encodings (GBK pages) of government sites.

A picture in the article (`<img src="…">`, a table published as an image) is read from the
report's own folder by its relative `src` (never from the network) and read by OCR
(pipelines.formats.scan, imported only then); icons and pictures that cannot be found are said
to be so in the document's notes.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

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


# Smaller pictures are icons, logos and spacers, not tables (pixels).
_MIN_PICTURE = (200, 80)


def _picture_rows(img: Tag, folder: Path | None, notes: list[str]) -> list[Row]:
    src = str(img.get("src") or "").strip()
    if not src or folder is None:
        return []
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        if parts.scheme != "data":
            notes.append(f"picture {src[:80]} is not in the report's folder; not fetched, not read")
        return []
    base = folder.resolve()
    path = (base / unquote(parts.path)).resolve()
    if not path.is_relative_to(base):
        notes.append(f"picture {src[:80]} points outside the report's folder; not read")
        return []
    if not path.is_file():
        notes.append(f"picture {src[:80]} not found in the report's folder; its content (a table?) is not read")
        return []
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            if picture.width < _MIN_PICTURE[0] or picture.height < _MIN_PICTURE[1]:
                return []
            image = np.asarray(picture.convert("RGB"))
    except (OSError, UnidentifiedImageError) as exc:
        notes.append(f"picture {src[:80]} cannot be opened ({exc}); not read")
        return []
    from pipelines.formats.scan import read_image

    rows = read_image(image).rows
    if not rows:
        notes.append(f"picture {src[:80]}: OCR recognised no text in it")
    return rows


def _walk(node: Tag, out: list[Row], folder: Path | None = None, notes: list[str] | None = None) -> None:
    notes = [] if notes is None else notes
    for child in node.children:
        if isinstance(child, NavigableString):
            text = _SPACES.sub(" ", _unwrap(str(child))).strip()
            if text and child.__class__ is NavigableString:
                out.append(paragraph(text))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        if child.name == "img":
            out.extend(_picture_rows(child, folder, notes))
        elif child.name == "table" and child.find("table") is None and child.find("img") is None:
            out.extend(table_rows(child))
        elif any(isinstance(g, Tag) and g.name in _BLOCKS for g in child.children) or child.find("img") is not None:
            _walk(child, out, folder, notes)
        else:
            for line in _text(child).split("\n"):
                if line.strip():
                    out.append(paragraph(line))


def html_rows(data: bytes, name: str, folder: Path | None = None) -> tuple[str, tuple[Row, ...], tuple[str, ...]]:
    """(plain text, rows, notes) of an HTML page; pictures are read from `folder` (the page's own)."""
    with warnings.catch_warnings():
        # An XHTML page (<?xml …?> first) is still read as the browser shows it: as HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(data, "lxml")
    body = soup.body or soup
    rows: list[Row] = []
    notes: list[str] = []
    _walk(body, rows, folder, notes)
    if not rows:
        said = f" ({'; '.join(notes)})" if notes else ""
        raise UnreadableDocument(f"{name}: the HTML page has no text{said}")
    text = "\n".join(" ".join(r.cells) if not r.is_text else r.cells[0] for r in rows)
    return text, tuple(rows), tuple(notes)
