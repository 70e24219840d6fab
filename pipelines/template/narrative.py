"""Figures that a report's narrative states (收到政府信息公开申请8项, 予以公开4项, …).

Each clause of the prose that states one count and names one section-3 row gives a figure for
that row's 总计 cell (行政复议 for section 4's); 主动公开/发布信息 N 条 is kept too, though no table
cell says it. They help choose among readings of a damaged table and are compared with the tables
(rule C7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.catalog import CellKey, cell_key
from pipelines.formats.document import Document
from pipelines.template.labels import SECTION3_ROW_PHRASES, normalize

_CLAUSE = re.compile(r"[,;。;!?\n]")
_COUNT = re.compile(r"(\d+)(?:件|项|个|宗)")
_SPECIAL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_requests", re.compile(r"(?:收到|受理|新收|接收)[^,]{0,16}?申请")),
    ("carried_over", re.compile(r"上年(?:度)?结转")),
    ("carried_forward", re.compile(r"结转下(?:一)?年")),
    ("partially_granted", re.compile(r"部分公开")),
    ("granted", re.compile(r"(?<![不部])(?:予以公开|同意公开)")),
)
_SKIP = ("行政复议", "行政诉讼", "复议", "诉讼")


@dataclass(frozen=True)
class StatedFigure:
    topic: str  # the row key it speaks of, or "proactive_published" (no table cell says it)
    cell: CellKey | None  # the table cell it can be compared with (rule C7), if any
    value: float
    text: str  # the clause that states it


def _row_of(clause: str) -> str | None:
    for key, pattern in _SPECIAL:
        if pattern.search(clause):
            return key
    for key, phrases in SECTION3_ROW_PHRASES:
        if key in ("new_requests", "carried_over", "carried_forward", "partially_granted"):
            continue
        if any(p in clause for p in phrases):
            return key
    return None


_PROACTIVE = re.compile(r"(?:主动)?(?:公开|发布)[^,]{0,12}?信息(?:共|合计|总计)?(\d+)条")
_NO_REVIEW = re.compile(r"(?:无|未发生|未收到|没有)[^,]{0,12}?行政复议")
_DIGIT = re.compile(r"\d")  # what _PROACTIVE and _COUNT each need to match


def stated_figures(doc: Document) -> list[StatedFigure]:
    prose = "\n".join(row.joined for row in doc.rows if row.is_text and not _is_figure_line(row.joined))
    out: list[StatedFigure] = []
    seen: set[str] = set()

    def add(topic: str, cell: CellKey | None, value: float, clause: str) -> None:
        if topic not in seen:  # the first statement counts; later ones are usually sub-totals
            seen.add(topic)
            out.append(StatedFigure(topic, cell, value, clause))

    for clause in _CLAUSE.split(normalize(prose.replace("，", ",").replace("；", ";"))):
        # A clause without a digit (most of them) skips both searches: each needs one to match.
        has_digit = _DIGIT.search(clause) is not None
        proactive = _PROACTIVE.search(clause) if has_digit else None
        if proactive and "申请" not in clause:
            add("proactive_published", None, float(proactive.group(1)), clause)
            continue
        counts = _COUNT.findall(clause) if has_digit else []
        if "行政复议" in clause and "诉讼" not in clause:
            if len(counts) == 1:
                add(
                    "administrative_review",
                    cell_key(4, "review_litigation", "administrative_review", "total"),
                    float(counts[0]),
                    clause,
                )
            elif not counts and _NO_REVIEW.search(clause):
                add(
                    "administrative_review",
                    cell_key(4, "review_litigation", "administrative_review", "total"),
                    0.0,
                    clause,
                )
            continue
        if len(counts) != 1 or any(s in clause for s in _SKIP):
            continue
        row = _row_of(clause)
        if row is not None:
            add(row, cell_key(3, "requests", row, "total"), float(counts[0]), clause)
    return out


_FIGURE_LINE = re.compile(r"[\d\s.,，—/-]*")


def _is_figure_line(text: str) -> bool:
    return bool(_FIGURE_LINE.fullmatch(text))


# Section 2's 规范性文件 row of the 2021 form as narratives state it (共制定规范性文件0件, 废止规范性文件0件,
# 现行有效的规范性文件0件, 制发规范性文件6个): one figure per clause, the verb naming its column.
_SECTION2_STATED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("issued", re.compile(r"(?:制定|制发|印发|出台)(?:并?(?:公开|发布))?了?(?:行政)?规范性文件共?(\d+)(?:件|个|份)")),
    ("repealed", re.compile(r"废止了?(?:行政)?规范性文件共?(\d+)(?:件|个|份)")),
    ("in_force", re.compile(r"现行有效的?(?:行政)?规范性文件共?(\d+)(?:件|个|份)")),
)


def section2_stated(doc: Document) -> list[StatedFigure]:
    """Figures the narrative states for the 2021 form's 规范性文件 row (issued, repealed, in force),
    the first of each: they choose among the cuts of that row's figures printed run together."""
    prose = "\n".join(row.joined for row in doc.rows if row.is_text and not _is_figure_line(row.joined))
    if "规范性文件" not in prose:
        return []
    out: dict[str, StatedFigure] = {}
    for clause in _CLAUSE.split(normalize(prose.replace("，", ",").replace("；", ";").replace("、", ","))):
        if "规章" in clause:
            continue  # 规章和规范性文件14件: two rows in one figure
        for column, pattern in _SECTION2_STATED:
            found = pattern.findall(clause)
            if len(found) == 1 and column not in out:
                cell = cell_key(2, "art20_1", "normative_documents", column)
                out[column] = StatedFigure(f"normative_documents.{column}", cell, float(found[0]), clause)
    return list(out.values())
