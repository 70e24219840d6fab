"""Split a document's rows into the report's six parts by their headings.

Headings vary (二、主动公开政府信息情况, 2、 主动公开政府信息情况, 四、政府信息公开行政复议、行政诉讼情况),
so each part is found by the phrase that names it, in a short text line, in order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.formats.document import Document, Row
from pipelines.template.labels import normalize

# (section number, phrases of which one must be in the heading)
_HEADINGS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("总体情况",)),
    (2, ("主动公开政府信息情况", "主动公开政府信息")),
    (3, ("收到和处理政府信息公开申请", "收到和处理政府信息公开", "依申请公开政府信息情况")),
    (4, ("行政复议、行政诉讼情况", "行政复议,行政诉讼情况", "行政复议和行政诉讼情况", "行政复议、行政诉讼")),
    (5, ("存在的主要问题",)),
    (6, ("其他需要报告的事项",)),
)
_MAX_HEADING = 40
# A heading numbered as its part (三、 3. （三）) that names the part by one of these words: real
# headings carry typos (四、政府信息公开行政法复议…, 三、收到和处理政府信息申请情况) that must not lose a part.
_NUMERALS = "一二三四五六"
_KEYWORDS: dict[int, tuple[str, ...]] = {
    1: ("总体",),
    2: ("主动公开",),
    3: ("申请",),
    4: ("复议", "诉讼"),
    5: ("问题",),
    6: ("其他", "其它"),
}


def _heading_of(row: Row, items: bool = False) -> int | None:
    """The part a row heads; `items`: also an item numbered (二) or 5. that names a part."""
    if len(row.cells) > 1 and row.cells[0].strip() and row.cells[1].strip():
        return None  # two cells filled (most table rows): no heading, told without the others
    if len(row.cells) == 1:  # a paragraph (most other rows): no list to make
        cell = row.cells[0]
        return _heading_of_text(cell, items) if cell.strip() else None
    cells = list(filter(str.strip, row.cells))
    if len(cells) != 1:
        return None
    return _heading_of_text(cells[0], items)


# The same lines (the template's headings and row labels) come in every report: each is read once.
@lru_cache(maxsize=1 << 14)
def _heading_of_text(cell: str, items: bool) -> int | None:
    text = normalize(cell)
    if len(text) > _MAX_HEADING or (_SUB_ITEM.match(text) and not items):
        return None
    item = _ITEM_NUMBER.match(text)
    for section, phrases in _HEADINGS:
        if any(p in text for p in phrases):
            # 5.因政府信息公开申请提起行政复议、行政诉讼的情况 is an item of 总体情况 that names another
            # part; a part numbered in Arabic (2、主动公开政府信息情况) carries its own number.
            if item is not None and int(item.group(1)) != section and not items:
                return None
            return section
    number = _heading_number(text)
    if number is not None and any(k in text for k in _KEYWORDS[number]):
        return number
    return None


# Items inside a part are numbered (一) or (1) (brackets are half-width after normalize()), and
# often 1. 2、: (一)主动公开政府信息情况 inside 总体情况 names a part without being its heading.
_SUB_ITEM = re.compile(r"^\((?:[一二三四五六七八九十]+|\d+)\)")
_ITEM_NUMBER = re.compile(r"^(\d{1,2})[、.](?!\d)")


def _heading_number(text: str) -> int | None:
    """The part number a heading starts with (三、): the template numbers its parts so; (三) and
    3. number sub-headings and table rows, which must not start a part."""
    for k, numeral in enumerate(_NUMERALS, start=1):
        if text.startswith((f"{numeral}、", f"{numeral}.")):
            return k
    return None


# Each Row's heading, by the row's id (the row kept, so the id stays its own), per `items`: the text
# readers hand out one Row per distinct line (lru caches), so most of a report's rows were asked
# about in an earlier report (a dict lookup, not a Row's hash of its cells).
_ROW_HEADINGS: dict[bool, dict[int, tuple[Row, int | None]]] = {False: {}, True: {}}
_MAX_ROW_HEADINGS = 1 << 15


def _starts(doc: Document, items: bool) -> list[tuple[int, int]]:
    """(part, row index) of each part's heading, in order."""
    starts: list[tuple[int, int]] = []
    last = 0
    known = _ROW_HEADINGS[items]
    for i, row in enumerate(doc.rows):
        kept = known.get(id(row))
        if kept is None or kept[0] is not row:
            if len(known) >= _MAX_ROW_HEADINGS:
                known.clear()
            kept = known[id(row)] = (row, _heading_of(row, items))
        section = kept[1]
        if section is not None and section > last:
            starts.append((section, i))
            last = section
    return starts


# The first row of a table part's own table: where a page lost the part's heading (a mirror
# that dropped the headings, a report that prints its tables straight after the preface), the
# table still opens the part. Whole short cells only, so a sentence citing 第二十条 opens nothing.
_TABLE_OPENERS: dict[int, re.Pattern[str]] = {
    2: re.compile(r"第二十条\s*第?\(?[一二三四五六七八九十]+\)?项"),
    3: re.compile(r"\(?本列数据的勾稽关系.{0,40}|申请人情况"),
    4: re.compile(r"行政复议\s*行政诉讼.{0,30}"),
}


def _first_cell(row: Row) -> str:
    return next((normalize(c).strip(" |") for c in row.cells if c.strip(" |")), "")


def _table_opener(rows: tuple[Row, ...], i: int) -> int | None:
    """The table part whose table rows[i] opens (section 4's header may be one row, 行政复议 |
    行政诉讼, or a cell a line: 行政复议, then 行政诉讼)."""
    cells = [normalize(c).strip(" |") for c in rows[i].cells if c.strip(" |")]  # a text row keeps its bars
    if not cells or len(cells[0]) > 60:
        return None
    for section, pattern in _TABLE_OPENERS.items():
        if pattern.fullmatch(cells[0]):
            return section
    head = " ".join(cells[:2])
    if cells[0] == "行政复议" and i + 1 < len(rows) and len(cells) == 1:
        head += " " + _first_cell(rows[i + 1])
    return 4 if _TABLE_OPENERS[4].fullmatch(head) else None


def _headless_starts(doc: Document, starts: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(part, first row, rows to skip) for each part: the headed ones, and a table part whose
    heading is missing from the first row of its table, in order between the parts around it."""
    out = [(s, i, 1) for s, i in starts]
    found = {s for s, _ in starts}
    for section in (2, 3, 4):
        if section in found:
            continue
        lo = max((i for s, i, _ in out if s < section), default=-1) + 1
        hi = min((i for s, i, _ in out if s > section), default=len(doc.rows))
        at = next((i for i in range(lo, hi) if _table_opener(doc.rows, i) == section), None)
        if at is not None:
            out.append((section, at, 0))
            out.sort(key=lambda t: t[1])
    return out


def split_sections(doc: Document) -> dict[int, list[Row]]:
    """Rows of each part found, keyed by part number (1–6). Parts appear in order; a heading is
    only taken for a part later than the one before it, so a label inside a table cannot restart
    the split. A table part without its heading starts at its table's first row."""
    starts = _starts(doc, items=False)
    if not {2, 3, 4} & {s for s, _ in starts}:
        # No table part headed 二、 三、 四、: a report that numbers its parts (二)… or 2.…, whose
        # items are its headings after all.
        starts = _starts(doc, items=True)
    spans = _headless_starts(doc, starts)
    parts: dict[int, list[Row]] = {}
    for n, (section, start, skip) in enumerate(spans):
        end = spans[n + 1][1] if n + 1 < len(spans) else len(doc.rows)
        parts[section] = list(doc.rows[start + skip : end])
    return parts
