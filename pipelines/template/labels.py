"""Printed labels → canonical keys, and printed cells → numbers.

Real reports vary the template's labels (本年终止件数 for 本年废止件数, 法律法规 for 法律行政法规, spaces
inside words, full- or half-width brackets, enumerators dropped). Labels are compared after
normalisation, first exactly against the catalog label, then by the short phrase that tells a row
apart from its siblings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from models.catalog import LARGEST_FIGURE, columns_for, rows_for
from models.rules import APPLICANT_COLUMNS
from models.vocab import ValueStatus

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
# Enumerators in front of a label: 一、 (一) 1. 1、 ① …; brackets are already half-width here.
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、)]|[①-⑳])")


# Full-width ASCII forms and the ideographic space: what NFKC changes in a Chinese report's text,
# mapped first to their compatibility decompositions (NFKD) so that NFKC then finds the text
# already normal (its quick check) instead of rebuilding it. NFKC(x) is NFC(NFKD(x)), and NFKD
# maps each character on its own, so replacing any character by its NFKD first changes nothing.
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_WIDE_TO_NFKD = {chr(c): unicodedata.normalize("NFKD", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}
# Shorter texts (a cell, a short label): NFKC at once is quicker. From about 16 characters on,
# NFKC that meets a full-width character costs more than the replacements: measured on this
# machine, a 100-character sentence of a report's opening 23 µs at once, 4 µs so; 16 characters
# 4.4 µs and 1.3 µs; 10 characters 2.0 µs either way.
_LONG = 16


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), quicker for a report's lines and whole text (NFKC over
    a whole text cost about 70 µs of a report's 1–2 ms, and over its opening's sentences, new on
    each first read, as much again). A report prints a handful of distinct full-width characters
    (（）：，) many times: one str.replace each (C) beats a regex callback per run."""
    if len(text) >= _LONG:
        for ch in set(_WIDE.findall(text)):
            text = text.replace(ch, _WIDE_TO_NFKD[ch])
    return unicodedata.normalize("NFKC", text)


def _normal_form(text: str) -> str:
    text = nfkc(text)
    text = text.replace("，", ",").replace("．", ".").replace("：", ":")
    # str.split() splits at exactly the characters regex \s matches in a str (Py_UNICODE_ISSPACE),
    # four times quicker than _SPACE.sub on a report's whole text.
    text = "".join(text.split())
    return _QUOTES.sub("", text)


_MAX_NORMALIZED = 1 << 16
_MAX_KEPT_TEXT = 200  # a label, a cell, a line; a report's whole text (kilobytes) is never kept


class _Normalized(dict[str, str]):
    """normalize()'s answers by text: labels, cells and lines repeat across rows and reports. A
    dict whose lookups are C-level (a hit costs less than an lru_cache call; a report asks ~330
    times), computing a miss in __missing__; only short texts are kept (a report's whole text,
    which differs per report, would only fill memory), and at most _MAX_NORMALIZED of them."""

    def __missing__(self, text: str) -> str:
        normal = _normal_form(text)
        if len(text) <= _MAX_KEPT_TEXT:
            if len(self) >= _MAX_NORMALIZED:
                self.clear()
            self[text] = normal
        return normal


_NORMALIZED = _Normalized()
# normalize(text): NFKC (full-width → half-width), no whitespace, no quotes, ASCII punctuation kept.
normalize: Callable[[str], str] = _NORMALIZED.__getitem__


@lru_cache(maxsize=1 << 16)
def strip_enumerator(text: str) -> str:
    """normalize() and drop leading enumerators: '（三）不予公开' → '不予公开'."""
    text = normalize(text)
    while True:
        stripped = _ENUM.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


# Section 3 rows: the phrase that identifies each row among its siblings (after normalize and
# strip_enumerator). Order matters: the first match wins, so narrower phrases come first.
SECTION3_ROW_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new_requests", ("新收", "新受理")),
    # 上年转结 / 转结下年度: the two characters swapped, as real pages print them (kaihua)
    ("carried_over", ("上年结转", "上年度结转", "上年转结", "上年度转结")),
    ("carried_forward", ("结转下年", "转下年度", "转结下年")),
    ("partially_granted", ("部分公开",)),
    ("denied_state_secret", ("国家秘密",)),
    ("denied_prohibited_by_law", ("禁止公开",)),
    ("denied_security_stability", ("三安全一稳定", "危及")),
    ("denied_third_party_rights", ("第三方",)),
    ("denied_internal_affairs", ("内部事务",)),
    ("denied_process_information", ("过程性",)),
    ("denied_enforcement_case_file", ("执法案卷",)),
    ("denied_administrative_query", ("行政查询",)),
    ("unavailable_not_held", ("不掌握",)),
    ("unavailable_needs_creation", ("另行制作", "没有现成")),
    ("unavailable_unclear", ("不明确",)),
    ("rejected_petition_complaint", ("信访", "举报投诉")),
    ("rejected_duplicate", ("重复申请",)),
    ("rejected_publication", ("出版物",)),
    ("rejected_excessive", ("大量反复",)),
    ("rejected_confirmation", ("重新出具", "确认")),
    ("other_overdue_correction", ("不补正",)),
    ("other_unpaid_fee", ("缴纳费用", "收费通知")),
)
# Labels that must match whole (after strip_enumerator): they are words that also occur inside
# other labels or as column headers.
SECTION3_ROW_EXACT: dict[str, str] = {
    "予以公开": "granted",
    "其他处理": "other_handling",  # a row in 2019, the group of three rows in 2021
    "总计": "total_handled",
    "合计": "total_handled",
    "其他": "other_other",
}
# Group labels of section 3 that carry no figures of their own.
SECTION3_GROUPS: tuple[str, ...] = (
    "本年度办理结果",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "申请人情况",
    "信息内容",
)


@lru_cache(maxsize=1 << 16)
def is_group_label(cell: str) -> bool:
    """A label over a group of rows (（三）不予公开, 第二十条第（五）项): never part of a row label."""
    text = strip_enumerator(cell)
    return text in SECTION3_GROUPS or text.startswith("第二十条")


SECTION3_COLUMN_LABELS: dict[str, str] = {
    "自然人": "natural_person",
    "商业企业": "commercial_enterprise",
    "科研机构": "research_institution",
    "社会公益组织": "social_welfare_org",
    "法律服务机构": "legal_service_org",
    "其他": "other_org",
    "总计": "total",
    "合计": "total",
}

_LEGAL_COLUMNS = APPLICANT_COLUMNS[1:]  # 法人或其他组织's five, after 自然人


_SUB_COLUMN_LABELS: dict[str, str] = {w: k for w, k in SECTION3_COLUMN_LABELS.items() if k in _LEGAL_COLUMNS}
# The header's other labels, joined like the five where printed in pieces, so that the 其 / 他 of
# 法人或其他组织 printed a character a line are never read as the column 其他.
_HEADER_WORDS = (*_SUB_COLUMN_LABELS, "法人或其他组织", "自然人", "总计", "申请人情况")


def section3_printed_order(header: Sequence[str], col_keys: Sequence[str]) -> tuple[int, ...] | None:
    """The template column of each figure of a section-3 row, where the header (its texts before
    the first row label, in print order) names 法人或其他组织's five columns in another order than the
    template's: 自然人 first and 总计 last, the five as printed. None where it names them in the
    template's order or does not name all five (abbreviated, wrapped past joining: the template's
    order stands).

    Only the five's order is read: they share one header row in every layout, left to right. Where
    自然人, 法人或其他组织 and 总计 stand in the text says nothing of their columns (a PDF prints the group
    above 自然人 and 总计, centred beside the five; a page may print 总计 on the 申请人情况 row)."""
    first: dict[str, int] = {}
    pending = ""  # a label printed over several cells (商业 / 企业, 社会 / 公益 / 组织) joined
    for n, text in enumerate(header):
        piece = "".join(strip_enumerator(text).split())
        label = pending + piece
        if pending and not any(w.startswith(label) for w in _HEADER_WORDS):
            label = piece
        key = _SUB_COLUMN_LABELS.get(label)
        if key is not None:
            first.setdefault(key, n)
        whole = key is not None or label in _HEADER_WORDS
        pending = label if not whole and any(w.startswith(label) for w in _HEADER_WORDS) else ""
    if len(first) < len(_LEGAL_COLUMNS):
        return None
    order = ["natural_person", *sorted(_LEGAL_COLUMNS, key=first.__getitem__), "total"]
    indexes = tuple(col_keys.index(k) for k in order)
    return None if indexes == tuple(range(len(col_keys))) else indexes


SECTION4_COLUMN_LABELS: dict[str, str] = {
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other_result",
    "尚未审结": "pending",
    "总计": "total",
}


@lru_cache(maxsize=1 << 16)
def section3_row_key(cell: str) -> str | None:
    """The section-3 row a printed label names, or None."""
    label = strip_enumerator(cell)
    if not label:
        return None
    if label in SECTION3_ROW_EXACT:
        return SECTION3_ROW_EXACT[label]
    if len(label) > 60:  # a sentence, not a label (the 勾稽关系 note, narrative)
        return None
    for key, phrases in SECTION3_ROW_PHRASES:
        if any(p in label for p in phrases):
            return key
    return None


# Section 2 row labels, per template; 规范性文件 is printed for 行政规范性文件 too.
SECTION2_ROW_LABELS: dict[str, str] = {
    "规章": "regulations",
    "行政规范性文件": "normative_documents",
    "规范性文件": "normative_documents",
    # Traditional mirror pages converted with Taiwan's words (OpenCC s2twp: 文件 → 檔案) print
    # 規範性檔案, which simplifies to 规范性档案.
    "行政规范性档案": "normative_documents",
    "规范性档案": "normative_documents",
    "行政许可": "administrative_licensing",
    "其他对外管理服务事项": "other_external_services",
    "行政处罚": "administrative_penalty",
    "行政强制": "administrative_coercion",
    "行政事业性收费": "administrative_fees",
    "政府集中采购": "centralized_procurement",
}


# The 2019 form's notes inside a label: 规范性文件(指各行政机关印发的有正式文号的文件), 其他对外管理
# 服务事项(指行政许可以外的…), and a province's own wording of them (Hubei's 2020 form:
# 规章(设区的市、自治州人民政府应提供相关数据), 规范性文件(行政机关制定发布的决定、公告…)), printed
# whole or cut off by the page: the label is the words before the note.
_GLOSS = re.compile(r"(?<=..)\(.*$")


@lru_cache(maxsize=1 << 16)
def section2_row_key(cell: str) -> str | None:
    label = strip_enumerator(cell)
    key = SECTION2_ROW_LABELS.get(label)
    if key is None and "(" in label[2:]:
        key = SECTION2_ROW_LABELS.get(_GLOSS.sub("", label))
    return key


_SECTION2_COLUMN_VARIANTS = {"本年终止件数": "repealed", "本年新制发件数": "issued", "本年增减": "change"}


def section2_column_key(cell: str, labels: dict[str, str]) -> str | None:
    """The section-2 column a header cell names, given the template's {label: column_key};
    labels may carry extra notes (本年收费金额（单位：万元，保留4位小数）)."""
    return section2_column_key_among(cell, tuple(labels.items()))


# The template's labels are few and fixed, the cells repeat: each (cell, labels) is matched once.
@lru_cache(maxsize=1 << 14)
def section2_column_key_among(cell: str, labels: tuple[tuple[str, str], ...]) -> str | None:
    """section2_column_key with the template's labels as (label, column_key) pairs, made once."""
    text = strip_enumerator(cell)
    if text in _SECTION2_COLUMN_VARIANTS:
        return _SECTION2_COLUMN_VARIANTS[text]
    for label, key in labels:
        core = strip_enumerator(label).split("(")[0]
        if text == strip_enumerator(label) or (len(core) >= 5 and text.startswith(core)):
            return key
    # The first line of a header label broken over two lines (上一年项 / 目数量).
    heads = {key for label, key in labels if len(text) >= 3 and strip_enumerator(label).startswith(text)}
    return heads.pop() if len(heads) == 1 else None


# Section 2 printed as a line a row (规章：本年新制发0件，本年新废止0件，现行有效0件。): the words such a
# line ties a figure to, from the template's own column labels (and the variants above): the label
# without its note, its unit word (件数, 数量, 金额) and its 本年. A word ends with one of them
# (本年新制发 with 制发, 其中废止 with 废止); the longest decides.
_LINE_SUFFIXES = ("件数", "总数量", "数量", "量", "金额")


def _word_forms(label: str) -> set[str]:
    core = strip_enumerator(label).split("(")[0]
    forms = {core}
    forms |= {core[: -len(s)] for s in _LINE_SUFFIXES if core.endswith(s) and len(core) - len(s) >= 2}
    forms |= {f[2:] for f in list(forms) if f.startswith("本年") and len(f) >= 4}
    return forms


@lru_cache(maxsize=64)
def section2_line_words(labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(word, column_key) for a section-2 table's columns given as (label, column_key) pairs: the
    forms of each label and of the variants naming one of those columns, longest first."""
    keys = {key for _, key in labels}
    named = [*labels, *((v, k) for v, k in _SECTION2_COLUMN_VARIANTS.items() if k in keys)]
    words = {(form, key) for label, key in named for form in _word_forms(label)}
    return tuple(sorted(words, key=lambda w: (-len(w[0]), w)))


def section2_column_of_word(word: str, words: tuple[tuple[str, str], ...]) -> str | None:
    """The column whose word `word` ends with (section2_line_words), or None where it names none
    or two columns equally (a figure whose word is no column's is not read)."""
    hits = [(form, key) for form, key in words if word.endswith(form)]
    if not hits:
        return None
    best = [key for form, key in hits if len(form) == len(hits[0][0])]
    return best[0] if len(set(best)) == 1 else None


@lru_cache(maxsize=4)
def section2_line_markers(template: str) -> frozenset[str]:
    """The words of section 2's lines (section2_line_words) that only this template's columns have
    (制发, 现行有效 for 2021; 新制作, 上一年项目 for 2019): what tells the template where section 2 is
    printed as lines and no table prints a label of either."""

    def words(t: str) -> set[str]:
        tables = dict.fromkeys(r.table_key for r in rows_for(t, 2))
        return {
            w
            for table in tables
            for w, _ in section2_line_words(tuple((c.column_label, c.column_key) for c in columns_for(t, table)))
        }

    other = "2019" if template == "2021" else "2021"
    return frozenset(words(template) - words(other))


# Markers printed for "none" in a figure cell.
NULL_MARKERS = frozenset({"—", "——", "-", "--", "－", "―", "/", "／", "无", "\\", "─", "–"})
# Units printed after a figure (12件, 5（件）, 251000元, 140万); 件次 and 人次 before 件 and 人. 万 alone
# is read only in a money column (placement._reading), where it is 万元: 3万 of a count is 30000.
_UNITS = "万元|元|件次|人次|件|条|项|个|次|家|人|份|篇|宗|起|户|万"
# 本年增/减 printed in words: 增3, 减4 (减少4); only a change column takes them (token_cell).
SIGN_WORDS = {"增": 1, "增加": 1, "减": -1, "减少": -1}
_NUMBER = re.compile(
    r"^(?P<sign>[+-]|增加?|减少?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:(?P<unit>{_UNITS})|\((?P<bracketed>{_UNITS})\))?$"
)
# Printed where a figure belongs, but no figure: what spreadsheets and data tools leave in a cell
# (NaN, #VALUE!, ####), and … for "not known".
_NON_FIGURES = frozenset(
    {"nan", "none", "null", "n/a", "na", "inf", "-inf", "+inf", "infinity", "undefined", "#value!", "#n/a", "#ref!"}
    | {"#div/0!", "#name?", "#num!", "#null!", "…", "……", "...", "?", "??"}
)
_CHINESE_NUMERAL = re.compile(rf"^(?P<num>[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+)(?:{_UNITS})?$")
# Text with a digit that is still no figure cell: an enumerator alone (1. 2、), a page number
# (- 3 -, 第3页, 3/12), a year or date, a telephone number.
_NOT_A_FIGURE = re.compile(
    r"^(?:\d+[.、)]|[-—–]\d+[-—–]|第\d+页(?:共\d+页)?|\d+/\d+|\d{3,4}-\d{7,8}|\d{4}年(?:\d+月(?:\d+日)?)?(?:度)?)$"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
# A page's number printed on a line of its own where a PDF's or a flip-book's page breaks (- 3 -,
# — 4 —, 第3页, 第 3 页 共 6 页): no cell of the table it falls inside.
_PAGE_MARKER = re.compile(r"^(?:[-—–－]\d+[-—–－]|第\d+页(?:[,，/／]?共\d+页)?)$")


# A character the copy could not encode, printed as ? or U+FFFD where the cell held a non-breaking
# space beside its figure (a mirror's `? 0` for `&nbsp;0`): no part of the figure. A ? glued to the
# digits, or alone, is not taken away (`?` stays unreadable).
_LOST_MARK = re.compile(r"^(?:\?+\s+)+|(?:\s+\?+)+$|\ufffd")


# What a publisher prints in a figure cell of a table row that is no figure but still holds the
# cell's place: 本年增/减 as an increase and a decrease (3/1), or its sign word without the number (增).
_PAIR_OR_SIGN = re.compile(r"^(?:\d+/\d+|增加?|减少?)$")


def holds_a_cell(text: str) -> bool:
    """A cell of a table row (not a paragraph: 3/12 alone on a line is a page number) that prints
    what stands for a figure the template cannot take (3/1, 增): read as unreadable in its place."""
    return _PAIR_OR_SIGN.match(_SPACE.sub("", unicodedata.normalize("NFKC", text))) is not None


def is_page_marker(text: str) -> bool:
    """A paragraph that is a page number in one of the forms no table prints (- 3 -, 第3页共6页);
    a bare 3 is not (it may be a figure)."""
    return _PAGE_MARKER.match(_SPACE.sub("", unicodedata.normalize("NFKC", text))) is not None


@dataclass(frozen=True)
class CellValue:
    value: float | None
    status: ValueStatus  # number | blank | other | unreadable
    unit: str | None = None


def parse_cell(text: str) -> CellValue | None:
    """A figure cell's value; None when the cell is text (a label), not a figure. Something
    printed where a figure belongs that is no figure the template allows (1e9, 0x10, NaN, (5),
    一百二十三, 约5, a number past every column's limit) is `unreadable`, value None: never 0.
    Whether a number suits its column (a count is whole) is models.catalog's to say, once the
    column is known."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if "?" in raw or "\ufffd" in raw:
        raw = _LOST_MARK.sub("", raw).strip()
    compact = _SPACE.sub("", raw)
    if compact == "":
        return CellValue(0.0, ValueStatus.BLANK)
    if compact in NULL_MARKERS or compact == "0/0":  # 0/0: none increased, none decreased (本年增/减)
        return CellValue(0.0, ValueStatus.OTHER)
    m = _NUMBER.match(compact)
    if m:
        value = float(m.group("num").replace(",", ""))
        sign = m.group("sign")
        if sign == "-" or SIGN_WORDS.get(sign or "") == -1:
            value = -value
        if value > LARGEST_FIGURE or -value > LARGEST_FIGURE:
            return CellValue(None, ValueStatus.UNREADABLE)
        if sign in SIGN_WORDS:
            return CellValue(value, ValueStatus.NUMBER, sign)
        return CellValue(value, ValueStatus.NUMBER, m.group("unit") or m.group("bracketed"))
    return CellValue(None, ValueStatus.UNREADABLE) if looks_like_figure(compact) else None


def looks_like_figure(compact: str) -> bool:
    """Text that stands for a figure without being one: digits with no words around them but a
    qualifier or two (1e9, 0x10, (5), 5%, 约5件), a spreadsheet's or data tool's placeholder (NaN,
    #VALUE!, ####, …), Chinese numerals (一百二十三, 五件). Labels with a digit enumerator (3.其他,
    2.其他法律行政法规禁止公开), page numbers and dates are not."""
    if compact.lower() in _NON_FIGURES or set(compact) == {"#"}:
        return True
    numeral = _CHINESE_NUMERAL.match(compact)
    if numeral:
        # One numeral alone (一, 三) may be an enumerator printed in a cell of its own.
        return len(numeral.group("num")) > 1 or compact != numeral.group("num") or compact in ("零", "\u3007")
    if not any(ch.isdigit() for ch in compact) or _NOT_A_FIGURE.match(compact) or ":" in compact:
        return False  # "电话：0371-…", "邮编：450000": a label and its value, text
    rest = strip_enumerator(compact)
    if rest and rest != compact and _CJK.search(rest) and not any(ch.isdigit() for ch in rest):
        return False  # a label after its digit enumerator
    return len(_CJK.findall(compact)) <= 3 and len(compact) <= 24
