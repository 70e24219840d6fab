"""Reader for HTML pages: the article's paragraphs and its data tables, in document order.

Tables are expanded over rowspan/colspan, each cell keeping the grid column it starts in.
A table that contains other tables is page layout, not data: its cells are read as containers.
lxml's HTML parser (libxml2, recovering) copes with the broken markup of government sites; the
encoding is chosen among those BeautifulSoup's EncodingDetector proposes (byte-order mark, the
declared charset, detection, then UTF-8 and windows-1252) and GB18030, by which one decodes the
page cleanly into a report's words, so that undeclared and wrongly declared GBK pages are read.
The tree is walked directly: BeautifulSoup's tree building cost two thirds of a page's parse,
and the walk reads the text as BeautifulSoup's `get_text` read it (comments, scripts,
styles, templates and ruby annotations are not text).

A picture in the article (`<img src="…">`, a table published as an image) is read from the
report's own folder by its relative `src` (never from the network) and read by OCR
(pipelines.formats.scan, imported only then); icons and pictures that cannot be found are said
to be so in the document's notes.
"""

from __future__ import annotations

import codecs
import itertools
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml.etree import _Element

from models.absent import absent
from pipelines.formats.document import INVISIBLE, PICTURE_NOTE, PageMeta, Row, UnreadableDocument, paragraph

# bs4 imports soupsieve (its CSS selectors: 0.044 of the 0.048 CPU s bs4 costs to import, in the
# parse server every night with a file to parse) only if it can, warning that selectors cannot
# be used; this reader uses its encoding detector alone (models.absent).
with absent("soupsieve"), warnings.catch_warnings():
    warnings.filterwarnings("ignore", "The soupsieve package is not installed", UserWarning)
    from bs4.dammit import EncodingDetector

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


# Elements whose strings are not text of the page (BeautifulSoup's string containers: its
# get_text leaves them out). A string's kind is its innermost container, None for page text.
_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})


def _container_of(node: _Element) -> str | None:
    """The innermost string container around the strings directly inside node (node included)."""
    for el in (node, *node.iterancestors()):
        if el.tag in _CONTAINERS:
            return str(el.tag)
    return None


# Text the page does not show as its own: Word's tracked changes left in (<del>, the text deleted, beside <ins>, the
# text typed over it: a browser strikes the first through) and Word's hidden text (a run styled display:none or
# mso-hide:all). Only inline runs: a hidden block (a table, an article a script reveals) is read as before.
_INLINE = frozenset({"span", "font", "b", "strong", "i", "em", "u", "a", "sup", "sub", "ins", "s", "strike", "small"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.IGNORECASE)


def _not_shown(el: _Element) -> bool:
    """Whether el is a deleted revision or a hidden inline run."""
    tag = el.tag
    if tag == "del":
        return True
    if tag not in _INLINE:
        return False
    style = el.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


def _strings(node: _Element, kind: str | None) -> Iterator[tuple[str, str | None]]:
    """(text, kind) of every string inside node in document order; a <br> is a line break of kind "br",
    comments and processing instructions have kinds of their own."""
    if node.text:
        yield node.text, kind
    for child in node:
        tag = child.tag
        if tag == "br":
            yield "\n", "br"
        elif isinstance(tag, str) and _not_shown(child):
            pass  # its text is not the page's; its tail is
        elif isinstance(tag, str):
            yield from _strings(child, tag if tag in _CONTAINERS else kind)
        elif tag is etree.Comment:
            yield child.text or "", "comment"
        elif tag is etree.ProcessingInstruction:
            yield f"{child.target} {child.text or ''}", "pi"
        if child.tail:
            yield child.tail, kind


def _text(node: _Element) -> str:
    # The strings BeautifulSoup's get_text read after unwrapping: page text, and any string broken
    # in the source (replacing it made it page text, whatever held it); inside a container,
    # that container's strings. <br> breaks the line; each line trimmed.
    wanted = node.tag if node.tag in _CONTAINERS else None
    pieces = []
    for text, kind in _strings(node, _container_of(node)):
        text = text.translate(INVISIBLE)
        if kind == "br":
            kind = None
        elif "\n" in text or "\r" in text:
            text, kind = _unwrap(text), None
        if kind == wanted:
            pieces.append(text)
    return "\n".join(_SPACES.sub(" ", ln).strip() for ln in "".join(pieces).split("\n")).strip()


def _cell_text(cell: _Element) -> str:
    # Lines inside a cell are one label or one figure: join them without a break.
    return " ".join(ln for ln in _text(cell).split("\n") if ln)


def _span(cell: _Element, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or "1"), 200))
    except ValueError:
        return 1


def _table_of(tr: _Element) -> _Element | None:
    return next(tr.iterancestors("table"), None)


def table_rows(table: _Element) -> list[Row]:
    rows: list[Row] = []
    covered: set[tuple[int, int]] = set()
    trs = [tr for tr in table.iterdescendants("tr") if _table_of(tr) is table]
    for r, tr in enumerate(trs):
        cells: list[str] = []
        positions: list[float] = []
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
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


def _picture_rows(img: _Element, folder: Path | None, notes: list[str]) -> list[Row]:
    src = str(img.get("src") or "").strip()
    if not src or folder is None:
        return []
    parts = urlsplit(src)
    # A path from the site's root (/images/logo.png, as CMS pages link their pictures) is on the
    # site, as a full URL is: never in the report's folder.
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        if parts.scheme != "data":
            notes.append(f"{PICTURE_NOTE}{src[:80]} is not in the report's folder; not fetched, not read")
        return []
    base = folder.resolve()
    path = (base / unquote(parts.path)).resolve()
    if not path.is_relative_to(base):
        notes.append(f"{PICTURE_NOTE}{src[:80]} points outside the report's folder; not read")
        return []
    if not path.is_file():
        notes.append(f"{PICTURE_NOTE}{src[:80]} not found in the report's folder; its content (a table?) is not read")
        return []
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            if picture.width < _MIN_PICTURE[0] or picture.height < _MIN_PICTURE[1]:
                return []
            image = np.asarray(picture.convert("RGB"))
    except (OSError, UnidentifiedImageError) as exc:
        notes.append(f"{PICTURE_NOTE}{src[:80]} cannot be opened ({exc}); not read")
        return []
    from pipelines.formats.scan import read_image

    rows = read_image(image).rows
    if not rows:
        notes.append(f"{PICTURE_NOTE}{src[:80]}: OCR recognised no text in it")
    return rows


def _children(node: _Element) -> Iterator[_Element | str]:
    """node's children in order, its strings included (lxml keeps them as text and tails)."""
    if node.text:
        yield node.text
    for child in node:
        yield child
        if child.tail:
            yield child.tail


def _walk(
    children: Iterator[_Element | str],
    out: list[Row],
    folder: Path | None = None,
    notes: list[str] | None = None,
    kind: str | None = None,
) -> None:
    """Rows of the children of one node; `kind` is the string container the node is in, if any
    (its strings are then not page text)."""
    notes = [] if notes is None else notes
    for child in children:
        if isinstance(child, str):
            text = _SPACES.sub(" ", _unwrap(child.translate(INVISIBLE))).strip()
            if text and kind is None:
                out.append(paragraph(text))
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP or _not_shown(child):
            continue  # comments, processing instructions, page chrome, text the page does not show
        if tag == "img":
            out.extend(_picture_rows(child, folder, notes))
        elif tag == "table" and child.find(".//table") is None and child.find(".//img") is None:
            out.extend(table_rows(child))
        elif any(g.tag in _BLOCKS for g in child) or child.find(".//img") is not None:
            _walk(_children(child), out, folder, notes, tag if tag in _CONTAINERS else kind)
        else:
            for line in _text(child).split("\n"):
                if line.strip():
                    out.append(paragraph(line))


# The GB family's labels: pages that say gb2312 (or gbk) routinely carry characters only GBK or
# GB18030 has (海峡·两岸, 2021–2035), so they are decoded as GB18030, the superset, as the
# collector decodes them.
_GB = frozenset(
    {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn", "csgb2312"}
)
# Words every report prints (in simplified or traditional characters): a decoding that shows them
# is the page's, a wrong one never does.
_MARKERS = ("信息公开", "年度报告", "信息公開", "年度報告")


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "gb18030" if label.lower() in _GB or name in _GB else name


def _decode(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, characters replaced) of the page's bytes. The candidates are those
    BeautifulSoup's EncodingDetector proposes (byte-order mark, the declared charset, detection,
    UTF-8, windows-1252) and GB18030; the first that shows a report's words and decodes cleanly
    wins. A declaration is no proof: a site's template says utf-8 over GBK bytes, or gb2312 over
    GBK-only characters, and libxml2, told a wrong encoding, silently stops at the first byte it
    cannot read. Where no candidate decodes cleanly, the one that shows the words with the fewest
    bad bytes (each replaced by U+FFFD, the rest of the page kept)."""
    detector = EncodingDetector(data, known_definite_encodings=[], user_encodings=[], is_html=True)
    best: tuple[tuple[bool, int, int], str, str] | None = None
    tried: set[str] = set()
    # Lazily: the detector runs charset detection only when the declared encoding did not do.
    for rank, label in enumerate(itertools.chain(detector.encodings, ["gb18030"])):
        encoding = _codec(label) if label else None
        if encoding is None or encoding in tried:
            continue
        tried.add(encoding)
        text = detector.markup.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        key = (any(m in text for m in _MARKERS), -bad, -rank)
        if best is None or key > best[0]:
            best = (key, text, encoding)
        if key[0] and bad == 0:
            break
    if best is None:
        raise UnicodeDecodeError("html", data[:1], 0, 1, "no encoding proposed decodes the page")
    return best[1], best[2], -best[0][1]


def _parse(data: bytes, name: str) -> tuple[_Element | None, list[str]]:
    """The page's tree (None: no element at all) and what decoding it lost, if anything."""
    try:
        text, encoding, bad = _decode(data)
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"{name}: the HTML page cannot be decoded in any encoding tried") from exc
    notes = [f"{bad} bytes of the page are not {encoding}: read as \ufffd"] if bad else []
    # Decoded here, so libxml2 is told UTF-8 and never follows the page's own (wrong) declaration.
    parser = etree.HTMLParser(recover=True, huge_tree=False, encoding="utf-8")
    try:
        parser.feed(text.encode("utf-8"))
        return parser.close(), notes
    except etree.XMLSyntaxError:
        return None, notes


# The meta tags of 政府网站发展指引 (2017), by their name lowercased (sites write pubdate, contentSource):
# PageMeta's field for each.
_META_FIELDS = {
    "sitename": "site_name",
    "sitedomain": "site_domain",
    "siteidcode": "site_id_code",
    "columnname": "column_name",
    "articletitle": "article_title",
    "pubdate": "pub_date",
    "contentsource": "content_source",
    "keywords": "keywords",
    "author": "author",
    "description": "description",
    "url": "url",
}
# A CMS template left unfilled (<CMSPRO_DOCUMENT …>, ${title}, {{.Title}}) says nothing.
_UNFILLED = re.compile(r"[<>]|\$\{|\{\{")


def page_meta(root: _Element) -> PageMeta | None:
    """The page's government-site meta tags (the first of each name with content), None if it has none."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        field = _META_FIELDS.get((meta.get("name") or "").strip().lower())
        content = _SPACES.sub(" ", meta.get("content") or "").strip()
        if field and field not in found and content and not _UNFILLED.search(content):
            found[field] = content
    return PageMeta(**found) if found else None


def html_rows(
    data: bytes, name: str, folder: Path | None = None
) -> tuple[str, tuple[Row, ...], tuple[str, ...], PageMeta | None]:
    """(plain text, rows, notes, meta tags) of an HTML page; pictures are read from `folder` (the page's own)."""
    root, notes = _parse(data, name)
    rows: list[Row] = []
    meta = page_meta(root) if root is not None else None
    if root is not None:
        body = next(root.iter("body"), None)
        if body is not None and (len(body) or body.text):
            _walk(_children(body), rows, folder, notes, _container_of(body))
        else:  # no body, or an empty one: the whole document
            _walk(iter([root]), rows, folder, notes)
    if not rows:
        said = f" ({'; '.join(notes)})" if notes else ""
        raise UnreadableDocument(f"{name}: the HTML page has no text{said}")
    text = "\n".join(" ".join(r.cells) if not r.is_text else r.cells[0] for r in rows)
    return text, tuple(rows), tuple(notes), meta
