"""Rows as text: the box table `xxgk query` and `xxgk check` print, CSV and JSON.

Works on plain column names and Python rows (what DuckDB's fetch returns, or a polars frame's
`rows()`), so every DuckDB type prints, intervals and unions included, and printing imports no
dataframe library. Widths are counted in terminal cells: a Chinese character takes two.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

_MIN_WIDTH = 3  # a column cut to fit the terminal keeps two cells and "…"
_KEEP_WIDTH = 10  # when not every column fits, each one shown is given up to this many cells
_ELLIPSIS = "…"


def interval_text(value: datetime.timedelta) -> str:
    """An INTERVAL as DuckDB prints it: 1 day, 2 days 03:00:00, 00:00:01.5 (not 1 day, 0:00:00)."""
    if value < datetime.timedelta(0):
        return "-" + interval_text(-value)
    days = f"{value.days} day{'' if value.days == 1 else 's'}" if value.days else ""
    hours, rest = divmod(value.seconds, 3600)
    clock = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}" + (
        f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
    )
    if not value.seconds and not value.microseconds:
        return days or "00:00:00"
    return f"{days} {clock}" if days else clock


def cell_text(value: Any) -> str:
    """How a value prints in a table (null, true/false, 8.0; newlines and tabs shown escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.timedelta):
        return interval_text(value)
    text = str(value)
    if any(c in text for c in "\n\r\t"):
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text


def display_width(text: str) -> int:
    """Terminal cells `text` takes: wide (CJK) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def _prefix(text: str, cells: int) -> str:
    out, used = [], 0
    for c in text:
        used += _char_width(c)
        if used > cells:
            break
        out.append(c)
    return "".join(out)


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in … when cut."""
    return text if display_width(text) <= width else _prefix(text, width - 1) + _ELLIPSIS


def _cut(text: str, max_str: int) -> str:
    """A value longer than `max_str` cells: its first `max_str` and … (as polars printed them)."""
    return _prefix(text, max_str) + _ELLIPSIS if display_width(text) > max_str else text


def _fit(widths: list[int], budget: int) -> list[int]:
    """Narrow the widest columns (never below _MIN_WIDTH) until their sum fits the budget."""
    if sum(widths) <= budget:
        return widths
    lo, hi = _MIN_WIDTH, max(widths)
    while lo < hi:  # the largest cap c with sum(min(w, c)) <= budget
        mid = (lo + hi + 1) // 2
        if sum(min(w, mid) for w in widths) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return [min(w, lo) for w in widths]


def _kept_columns(widths: list[int], width: int) -> list[int]:
    """Which columns fit `width` cells, taken from both ends inward (as the DuckDB CLI does), each
    counted at up to _KEEP_WIDTH cells; every column when they all fit."""
    if sum(min(w, _MIN_WIDTH) + 3 for w in widths) + 1 <= width:
        return list(range(len(widths)))
    ends = [i for pair in zip(range(len(widths)), reversed(range(len(widths))), strict=True) for i in pair]
    kept: list[int] = []
    used = 1 + 4  # the outer rule and the "…" column that stands for the others
    for i in dict.fromkeys(ends):  # 0, n-1, 1, n-2, …
        cost = min(widths[i], _KEEP_WIDTH) + 3
        if used + cost > width and kept:
            break
        kept.append(i)
        used += cost
    return sorted(kept)


def format_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, max_str: int = 80, width: int | None = None
) -> str:
    """A box table of every row given; values longer than `max_str` cells are cut after it with ….

    When `width` is given, the widest columns are narrowed until the table fits that many cells,
    and when even that is too wide, columns from the middle are left out (a … column stands for
    them, and a line under the table says how many were shown).
    """
    header = [_cut(cell_text(c), max_str) for c in columns]
    body = [[_cut(cell_text(v), max_str) for v in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(header)]
    note = ""
    if width is not None and columns:
        kept = _kept_columns(widths, width)
        if len(kept) < len(columns):
            # The "…" column goes where the left-out columns were: after the last kept one on the left.
            gap = next(k for k, i in enumerate(kept) if k != i)
            order: list[int | None] = [*kept[:gap], None, *kept[gap:]]
            header = [h if i is None else header[i] for i, h in ((i, _ELLIPSIS) for i in order)]
            body = [[_ELLIPSIS if i is None else r[i] for i in order] for r in body]
            widths = [1 if i is None else widths[i] for i in order]
            note = f"\n{len(columns)} columns, {len(kept)} shown (--full for all, or name fewer columns)"
        # Each column takes its text plus two spaces, and there is one rule more than columns.
        widths = _fit(widths, width - 3 * len(widths) - 1)
        header = [truncate(h, w) for h, w in zip(header, widths, strict=True)]
        body = [[truncate(v, w) for v, w in zip(r, widths, strict=True)] for r in body]

    def line(cells: list[str]) -> str:
        padded = (c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True))
        return "│ " + " ┆ ".join(padded) + " │"

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    out = [rule("┌", "─", "┬", "┐"), line(header), rule("╞", "═", "╪", "╡")]
    out += [line(r) for r in body]
    out.append(rule("└", "─", "┴", "┘"))
    return "\n".join(out) + note


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.timedelta):
        return interval_text(value)
    return value


def format_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header; null is an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return buffer.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinity are not JSON
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime.timedelta):
        return interval_text(value)
    return str(value)  # dates, decimals, intervals, UUIDs, blobs: as they print


def format_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON array of one object per row."""
    records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2)
