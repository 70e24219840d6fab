"""What a fetched page is: its text in the right encoding, whether it is a login page or a
captcha instead of a report, and the links on it (reports, the next listing page, attachments)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from charset_normalizer import from_bytes

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
