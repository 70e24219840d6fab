"""Figures that a report's narrative states (收到政府信息公开申请8项, 予以公开4项, …).

Each clause of the prose that states one count and names one section-3 row gives a figure for
that row's 总计 cell. They help choose among readings of a damaged table and are compared with the
tables (rule C7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.catalog import CellKey
from pipelines.document import Document
from pipelines.labels import SECTION3_ROW_PHRASES, normalize

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
    cell: CellKey
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


def stated_figures(doc: Document) -> list[StatedFigure]:
    prose = "\n".join(row.joined for row in doc.rows if row.is_text)
    out: list[StatedFigure] = []
    seen: set[CellKey] = set()
    for clause in _CLAUSE.split(normalize(prose.replace("，", ",").replace("；", ";"))):
        counts = _COUNT.findall(clause)
        if len(counts) != 1 or any(s in clause for s in _SKIP):
            continue
        row = _row_of(clause)
        if row is None:
            continue
        cell = CellKey(3, "requests", row, "total")
        if cell not in seen:  # the first statement counts; later ones are usually sub-totals
            seen.add(cell)
            out.append(StatedFigure(cell, float(counts[0]), clause))
    return out
