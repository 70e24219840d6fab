"""What a fetched page is: its text in the right encoding, whether it is a login page or a
captcha instead of a report, the links on it (reports, the next listing page, attachments), and
the pictures in its article (a table printed as an image) with the page's `src`s pointed at their
saved files."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from charset_normalizer import from_bytes

from pipelines.ingest.raw_survey import PICTURE_FOLDER

# Link text of a report on a listing page, unless the source gives its own pattern.
DEFAULT_REPORT_PATTERN = re.compile(r"年度报告|年报")
# Files a report page may announce that the build reads (pipelines.formats).
ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".txt")
_NEXT_TEXTS = {"下一页", "下页", "后页", "下一頁", "next", "next page", ">", "›", "»", ">>"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_-]+)", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CAPTCHA = re.compile(r"验证码|captcha|滑动验证|人机验证", re.IGNORECASE)
# Labels Chinese sites give a GBK page; Python's gb18030 reads all of them.
_GB = {"gbk", "gb2312", "gb_2312", "gb18030", "x-gbk", "cp936"}


class PageProblem(ValueError):
    """A page that is not a report or listing as fetched: the message is the fetch log's reason."""


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without #fragment
    text: str  # the anchor's text (or title), whitespace collapsed
    rel: str
    before: str = ""  # the text just before the anchor (附件： often stands there)


def _codec(label: str) -> str:
    label = label.strip().lower()
    return "gb18030" if label in _GB else label


def decode_page(content: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding) of an HTML page: the charset the server or the page declares where the
    bytes decode in it, else what charset detection finds. A page with no Chinese text after
    that was read in the wrong encoding (or is no report page): PageProblem."""
    declared = []
    if content_type and (header := _HEADER_CHARSET.search(content_type)):
        declared.append(_codec(header.group(1)))
    if meta := _CHARSET.search(content[:4096]):
        declared.append(_codec(meta.group(1).decode("ascii")))
    text = encoding = None
    for label in [*declared, "utf-8", "gb18030"]:
        try:
            text, encoding = content.decode(label), label
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        best = from_bytes(content).best()
        if best is None:
            raise PageProblem(
                f"wrong encoding: the bytes decode in no encoding (declared: {', '.join(declared) or 'none'})"
            )
        text, encoding = str(best), best.encoding
    if not _CJK.search(text):
        raise PageProblem(
            f"wrong encoding or not a report page: no Chinese text when read as {encoding}"
            f" (declared: {', '.join(declared) or 'none'})"
        )
    return text, encoding or "utf-8"


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def access_problem(text: str) -> str | None:
    """Why a page is a wall instead of content (a login form, a captcha), or None."""
    soup = _soup(text)
    if soup.find("input", attrs={"type": re.compile("^password$", re.IGNORECASE)}):
        return "a login page (a password field) instead of the report"
    forms = soup.find_all("form")
    captcha_input = soup.find(["input", "img"], attrs={"name": _CAPTCHA}) or soup.find(
        ["input", "img"], attrs={"id": _CAPTCHA}
    )
    if captcha_input or (forms and any(_CAPTCHA.search(f.get_text(" ")) for f in forms)):
        return "a captcha page instead of the report"
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def links(text: str, page_url: str) -> list[Link]:
    """Every followable link of a page, absolute (against <base href> or the page's URL), in
    page order, each URL once."""
    soup = _soup(text)
    base = page_url
    if isinstance(tag := soup.find("base", href=True), Tag):
        base = urljoin(page_url, str(tag["href"]))
    found: dict[str, Link] = {}
    for a in soup.find_all("a", href=True):
        href = str(a["href"]).strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urldefrag(urljoin(base, href)).url
        if urlsplit(url).scheme not in ("http", "https") or url in found:
            continue
        label = _clean(a.get_text(" ")) or _clean(str(a.get("title") or ""))
        rel = a.get("rel")
        before = a.previous_sibling
        found[url] = Link(
            url,
            label,
            " ".join(rel) if isinstance(rel, list) else str(rel or ""),
            _clean(str(before))[-20:] if isinstance(before, NavigableString) else "",
        )
    return list(found.values())


def report_links(found: list[Link], pattern: re.Pattern[str] | None = None) -> list[Link]:
    """Links to reports on a listing page (pages, or files linked directly): their text (or
    URL) matches the pattern."""
    pattern = pattern or DEFAULT_REPORT_PATTERN
    return [link for link in found if pattern.search(link.text) or pattern.search(link.url)]


def next_pages(found: list[Link], page_url: str) -> list[Link]:
    """Links to further pages of the same listing: 下一页 / rel=next, or a page number, on the
    same host."""
    host = urlsplit(page_url).netloc
    return [
        link
        for link in found
        if urlsplit(link.url).netloc == host
        and ("next" in link.rel.split() or link.text.lower() in _NEXT_TEXTS or link.text.isdigit())
    ]


def is_attachment(link: Link) -> bool:
    """A file the build reads (PDF, DOCX, text), by its URL's suffix, or a link that 附件 names
    (in or just before its text) and that is no HTML page."""
    path = urlsplit(link.url).path.lower()
    named = "附件" in link.text or "附件" in link.before
    return path.endswith(ATTACHMENT_SUFFIXES) or (named and not path.endswith((".html", ".htm", ".shtml")))


def attachment_links(found: list[Link]) -> list[Link]:
    """The attachments a report page announces."""
    return [link for link in found if is_attachment(link)]


def year_in(text: str) -> int | None:
    """The statistics year a link text names (2023年度… → 2023), if one."""
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


# -- pictures in the article -----------------------------------------------------------------------

# Where a page's pictures are saved, relative to the page's file: PICTURE_FOLDER, a hidden folder
# beside it (the raw folder's survey leaves hidden folders alone, so a picture is never taken for
# a report), each picture named by its content's hash (a changed picture is a new name in the
# page, so the page's own bytes change and the build parses it again).
# What the HTML reader opens (Pillow), by the bytes a file starts with.
_PICTURE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
    (b"BM", ".bmp"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)
# A src ending in one of these is no picture the reader opens (Pillow reads no SVG).
_NOT_PICTURES = (".svg", ".svgz", ".html", ".htm", ".shtml", ".pdf", ".doc", ".docx", ".js", ".css", ".swf")
# Site chrome: an ancestor whose tag is one of these, or whose class or id has one of these words,
# holds the portal's logos, banners, QR codes and icons, never a report's table.
_CHROME_TAGS = frozenset({"header", "footer", "nav", "aside", "form", "button"})
_CHROME_WORDS = frozenset(
    {
        "header",
        "head",
        "footer",
        "foot",
        "nav",
        "navbar",
        "menu",
        "banner",
        "top",
        "bottom",
        "sidebar",
        "side",
        "share",
        "copyright",
        "logo",
        "qrcode",
        "qr",
        "ewm",
        "erweima",
        "breadcrumb",
        "crumb",
        "search",
        "icon",
    }
)
# A picture whose URL or alt text says it is chrome.
_CHROME_NAMES = re.compile(
    r"logo|banner|qrcode|qr_code|erweima|ewm|icon|weixin|wechat|weibo|gongan|jiucuo|dzjg|"
    r"二维码|标识|图标|徽|党政机关|找错|纠错|公安|备案",
    re.IGNORECASE,
)
# Smaller pictures are icons and spacers: the HTML reader skips them too (pixels).
MIN_PICTURE = (200, 80)
_SIZE = re.compile(r"^\s*(\d+)(?:\.\d+)?\s*(?:px)?\s*$")
_STYLE_SIZE = re.compile(r"\b(width|height)\s*:\s*(\d+)(?:\.\d+)?\s*px", re.IGNORECASE)


# Attributes where a lazy-loading page keeps a picture's real address while its `src` shows a
# placeholder (a spinner GIF, a blank data: URI) until a script swaps them in the reader's browser.
LAZY_SRC_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazyload", "data-echo", "lazy-src")


@dataclass(frozen=True)
class Picture:
    url: str  # absolute, without #fragment
    # The address as the page gives it (entities decoded, trimmed): the lazy-load attribute's when
    # the page has one, else the src. localise() finds the tag again by it.
    src: str


def picture_address(img: Tag) -> str:
    """Where an `<img>` really points: its lazy-load attribute (LAZY_SRC_ATTRIBUTES) when it has
    one that differs from its src, else its src; '' for neither."""
    src = str(img.get("src") or "").strip()
    for attr in LAZY_SRC_ATTRIBUTES:
        lazy = str(img.get(attr) or "").strip()
        if lazy and lazy != src and not lazy.lower().startswith("data:"):
            return lazy
    return src


def _words(tag: Tag) -> set[str]:
    values = []
    for attr in ("class", "id"):
        value = tag.get(attr)
        values += value if isinstance(value, list) else [str(value or "")]
    return {w for v in values for w in re.split(r"[^a-z]+", v.lower()) if w}


def _declared_small(img: Tag) -> bool:
    """Whether the tag's width/height attributes or style say it is icon-sized."""
    size: dict[str, int] = {}
    for attr in ("width", "height"):
        if m := _SIZE.match(str(img.get(attr) or "")):
            size[attr] = int(m.group(1))
    for name, value in _STYLE_SIZE.findall(str(img.get("style") or "")):
        size[name.lower()] = int(value)
    return size.get("width", MIN_PICTURE[0]) < MIN_PICTURE[0] or size.get("height", MIN_PICTURE[1]) < MIN_PICTURE[1]


def content_pictures(text: str, page_url: str, limit: int = 40) -> list[Picture]:
    """The pictures of a report page's article that may be its tables, in page order, each URL
    once, at most `limit`: `<img>` in the body with an http(s) address (its src, or the attribute a
    lazy-loading page keeps it in; data: URIs and pictures already saved beside the page are left
    as they are), not inside site chrome (header, footer,
    nav, aside, or an element whose class or id names a header, menu, banner, logo, QR code…),
    not named a logo, QR code or icon by its URL or alt text, not declared icon-sized, and not an
    SVG, page or document by its suffix."""
    soup = _soup(text)
    base = page_url
    if isinstance(tag := soup.find("base", href=True), Tag):
        base = urljoin(page_url, str(tag["href"]))
    body = soup.body or soup
    found: dict[str, Picture] = {}
    for img in body.find_all("img"):
        if str(img.get("src") or "").strip().startswith(PICTURE_FOLDER + "/"):
            continue  # saved on an earlier night, whatever its lazy-load attribute still says
        src = picture_address(img)
        if not src or src.lower().startswith("data:"):
            continue
        url = urldefrag(urljoin(base, src)).url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or url in found:
            continue
        if parts.path.lower().endswith(_NOT_PICTURES):
            continue
        if _CHROME_NAMES.search(unquote(src)) or _CHROME_NAMES.search(str(img.get("alt") or "")):
            continue
        if _declared_small(img):
            continue
        if any(p.name in _CHROME_TAGS or _words(p) & _CHROME_WORDS for p in img.parents if isinstance(p, Tag)):
            continue
        found[url] = Picture(url, src)
        if len(found) >= limit:
            break
    return list(found.values())


def picture_suffix(content: bytes) -> str | None:
    """The suffix of a picture the HTML reader opens, by the bytes it starts with; None for
    anything else (an HTML error page served as the picture)."""
    for magic, suffix in _PICTURE_MAGIC:
        if content.startswith(magic):
            return suffix
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return ".webp"
    return None


_IMG_TAG = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""(\s)([^\s=>/]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)""")


def localise(content: bytes, encoding: str, saved: dict[str, str]) -> bytes:
    """The page's bytes with the `src` of each saved picture (keyed by its address as
    picture_address gives it) replaced by its file's path relative to the page; a lazy-loading
    tag gets the file in its src too (added when it has none), its lazy attribute kept. Every
    other byte as published."""
    if not saved:
        return content

    def value(raw: bytes) -> str:
        return html.unescape(raw.strip(b"\"'").decode(encoding, errors="replace")).strip()

    def swap(tag: re.Match[bytes]) -> bytes:
        text = tag.group(0)
        attributes = {m.group(2).lower().decode("ascii", "replace"): m for m in _ATTRIBUTE.finditer(text)}
        addresses = [value(attributes[a].group(4)) for a in (*LAZY_SRC_ATTRIBUTES, "src") if a in attributes]
        local = next((saved[a] for a in addresses if a in saved), None)
        if local is None:
            return text
        quoted = b'"' + local.encode("ascii") + b'"'
        if (src := attributes.get("src")) is not None:
            return text[: src.start(4)] + quoted + text[src.end(4) :]
        return text[:4] + b" src=" + quoted + text[4:]

    return _IMG_TAG.sub(swap, content)
