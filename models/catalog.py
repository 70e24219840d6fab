"""The template catalog: every table cell of both template versions as stable keys.

The CSV files in ``models/catalog/`` are the project's copy of ``shared/spec`` (a user has no
``shared/``); ``tests/test_catalog.py`` keeps the two in step when the spec is beside the checkout.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models.vocab import Template

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
# Newest first. Plain strings (not the members) so messages print "2021", not Template.T2021.
TEMPLATES: tuple[str, ...] = (Template.T2021.value, Template.T2019.value)
SECTIONS: tuple[int, ...] = (2, 3, 4)


@dataclass(frozen=True)
class RowSpec:
    template: str  # "2021", "2019" or "*" for both
    section: int
    table_key: str
    row_key: str
    row_label: str
    group_label: str
    row_order: int


@dataclass(frozen=True)
class ColumnSpec:
    template: str
    section: int
    table_key: str
    column_key: str
    column_label: str
    column_order: int


@dataclass(frozen=True, init=False, eq=False)
class CellKey:
    """One cell of the template. Keys are interned: CellKey(...) hands out the one object of
    its fields (made once per process), so equal keys are the same object and compare and hash
    by identity, in C. Cells key every dictionary and set of a report (its cells, the rules'
    terms, the narrative's hints), looked up about 1,500 times per report: a hash method in
    Python (even one returning a stored value) was a function call per lookup."""

    section: int
    table_key: str
    row_key: str
    column_key: str

    def __new__(cls, section: int, table_key: str, row_key: str, column_key: str) -> CellKey:
        fields = (section, table_key, row_key, column_key)
        key = _INTERNED.get(fields)
        if key is None:
            made = object.__new__(cls)
            for name, value in zip(("section", "table_key", "row_key", "column_key"), fields, strict=True):
                object.__setattr__(made, name, value)
            # setdefault: two threads making the same key keep one object
            key = _INTERNED.setdefault(fields, made)
        return key

    def __reduce__(self) -> tuple[type[CellKey], tuple[int, str, str, str]]:
        # Unpickled (a parse worker's result, a Dagster step's input) as this process's object.
        return (CellKey, (self.section, self.table_key, self.row_key, self.column_key))


_INTERNED: dict[tuple[int, str, str, str], CellKey] = {}


def cell_key(section: int, table_key: str, row_key: str, column_key: str) -> CellKey:
    """The one CellKey object of a cell (as CellKey(...) itself: keys are interned)."""
    return CellKey(section, table_key, row_key, column_key)


def _applies(spec_template: str, template: str) -> bool:
    return spec_template in ("*", template)


@cache
def all_rows() -> tuple[RowSpec, ...]:
    with open(CATALOG_DIR / "rows.csv", encoding="utf-8", newline="") as fh:
        return tuple(
            RowSpec(
                template=r["template"],
                section=int(r["section"]),
                table_key=r["table_key"],
                row_key=r["row_key"],
                row_label=r["row_label"],
                group_label=r["group_label"],
                row_order=int(r["row_order"]),
            )
            for r in csv.DictReader(fh)
        )


@cache
def all_columns() -> tuple[ColumnSpec, ...]:
    with open(CATALOG_DIR / "columns.csv", encoding="utf-8", newline="") as fh:
        return tuple(
            ColumnSpec(
                template=r["template"],
                section=int(r["section"]),
                table_key=r["table_key"],
                column_key=r["column_key"],
                column_label=r["column_label"],
                column_order=int(r["column_order"]),
            )
            for r in csv.DictReader(fh)
        )


# The catalog is fixed for a process: every report asks for the same rows, columns and cells
# many times, so each answer is computed once (as a tuple) and handed out as a fresh list.


@cache
def _rows_for(template: str, section: int | None) -> tuple[RowSpec, ...]:
    rows = [r for r in all_rows() if _applies(r.template, template) and (section is None or r.section == section)]
    return tuple(sorted(rows, key=lambda r: (r.section, r.row_order)))


def rows_for(template: str, section: int | None = None) -> list[RowSpec]:
    """Rows of one template (optionally one section) in printed order."""
    return list(_rows_for(template, section))


@cache
def _columns_for(template: str, table_key: str) -> tuple[ColumnSpec, ...]:
    cols = [c for c in all_columns() if _applies(c.template, template) and c.table_key == table_key]
    return tuple(sorted(cols, key=lambda c: c.column_order))


def columns_for(template: str, table_key: str) -> list[ColumnSpec]:
    return list(_columns_for(template, table_key))


@cache
def _cells_for(template: str) -> tuple[CellKey, ...]:
    return tuple(
        cell_key(r.section, r.table_key, r.row_key, c.column_key)
        for r in _rows_for(template, None)
        for c in _columns_for(template, r.table_key)
    )


def cells_for(template: str) -> list[CellKey]:
    """Every cell of a template: each table's rows × that table's columns, in printed order."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; expected one of {TEMPLATES}")
    return list(_cells_for(template))


# ---------------------------------------------------------------------------------------------
# What a figure cell may hold, declared once per kind of column. Counts (件, 条, 项 …) are whole;
# 本年增/减 is a whole number that may be negative; the money columns (本年收费金额 in 万元, 采购总金额)
# may have decimals (web pages print fees to the yuan in 万元: six places). The limits are far
# above any real report (a province's traffic penalties are tens of millions) and far below what
# a float or the placement solver's integers hold, so a figure past them is a misprint, never data.


@dataclass(frozen=True)
class FigureKind:
    name: str  # count | change | money
    whole: bool  # only whole numbers
    signed: bool  # may be printed negative (本年增/减); a negative count is a C5 finding, not unreadable
    limit: float  # the largest magnitude a report of this kind of cell prints

    def fault(self, value: float) -> str | None:
        """Why `value` is not a figure this kind of cell allows; None when it is one."""
        if value != value or abs(value) > self.limit:  # NaN, or past the limit
            return f"a {self.name} is at most {self.limit:,.0f}"
        if self.whole and value != int(value):
            return f"a {self.name} is a whole number"
        return None


COUNT = FigureKind("count", whole=True, signed=False, limit=999_999_999)
CHANGE = FigureKind("change", whole=True, signed=True, limit=999_999_999)
MONEY = FigureKind("money", whole=False, signed=False, limit=1e13)
FIGURE_KINDS: tuple[FigureKind, ...] = (COUNT, CHANGE, MONEY)
# The columns that are not counts; every other column of every table is a count.
_COLUMN_KINDS: dict[str, FigureKind] = {"change": CHANGE, "amount_10k_yuan": MONEY, "procurement_amount": MONEY}
# Past every kind's limit: no cell of the template can hold it.
LARGEST_FIGURE = max(k.limit for k in FIGURE_KINDS)


def figure_kind(column_key: str) -> FigureKind:
    """What a cell of this column may hold."""
    return _COLUMN_KINDS.get(column_key, COUNT)
