"""Figures printed run together: the ways to cut a run of digits into a row's cells.

Text copied from web pages loses the boundaries between a table row's cells: `行政许可3960181` is
396 | 0 | 181, `0000909` is seven section-3 cells. The template knows how many cells the row has,
and a printed number never starts with 0 unless it is 0, so a run admits only a few cuts; the
consistency rules (pipelines.template.placement) then choose among them. Spaces that survive in a
run (`0 06 00 0 6`) are boundaries: a figure never spans one.

Pure functions, no template knowledge beyond what the caller says about each column: whether it may
be negative (本年增/减) and whether it may have decimals (fees, amounts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

# More cuts than this for one row are not enumerated: the caller is told (TooManySplits) and must
# treat the row as unreadable rather than pick one.
MAX_SPLITS = 5000
_MAX_STEPS = 200_000  # search steps, for runs whose dead ends are many even when cuts are few

_UNIT = re.compile(r"(万元|元)$")
_RUN = re.compile(r"^[-+]?\d[\d.\s+-]*$")


class TooManySplits(ValueError):
    """The run admits more than the cap of cuts (or the search would take too long)."""


def is_run(text: str) -> bool:
    """Text made only of figures run together: digits, spaces, signs, decimal points (and a
    unit at the end)."""
    compact = _UNIT.sub("", unicodedata.normalize("NFKC", text).strip())
    return bool(_RUN.match(compact)) and compact[-1].isdigit()


def glued(text: str) -> tuple[str, str] | None:
    """A label with a run of figures glued to its end (`行政许可3960181` → ('行政许可',
    '3960181')); None when the text does not end in figures or has no label before them."""
    raw = unicodedata.normalize("NFKC", text).strip()
    unit = _UNIT.search(raw)
    body = raw[: unit.start()] if unit else raw
    i = len(body)
    while i > 0 and (body[i - 1].isdigit() or body[i - 1] in " \t.+-"):
        i -= 1
    run = body[i:].strip()
    # A run starts with a digit or a sign; a leading point belongs to the label.
    while run and not (run[0].isdigit() or run[0] in "+-"):
        run = run[1:].strip()
    label = body[: len(body) - len(run)].rstrip() if run else ""
    if not run or not label or not any(ch.isdigit() for ch in run) or not run[-1].isdigit():
        return None
    return label, run + (unit.group() if unit else "")


def splits(
    run: str,
    n: int,
    *,
    signed: Collection[int] = (),
    decimal: Collection[int] = (),
    limits: Sequence[float] = (),
    limit: int = MAX_SPLITS,
) -> list[tuple[str, ...]]:
    """Every way to cut `run` into exactly n printed figures, in order, each valid as printed:
    no leading zero except 0 itself; a sign only on figures whose index is in `signed` (and no
    -0); a decimal point only on figures whose index is in `decimal`; no figure past its column's
    entry in `limits` (models.catalog's limits: a 20-digit count is no figure, so no cut makes
    one). Whitespace in the run is a boundary between figures. A unit at the end of the run (元,
    万元) stays on the last figure.

    Returns the cuts as tuples of figure texts, [] when none exists; raises TooManySplits when
    there are more than `limit`."""
    text = unicodedata.normalize("NFKC", run).strip()
    unit_m = _UNIT.search(text)
    unit = unit_m.group() if unit_m else ""
    if unit_m:
        text = text[: unit_m.start()]
    pieces = text.split()
    if n <= 0 or not pieces:
        return []
    signed, decimal = frozenset(signed), frozenset(decimal)
    # digits left from piece p on (for pruning: every figure needs at least one digit)
    digits_from = [0] * (len(pieces) + 1)
    for p in range(len(pieces) - 1, -1, -1):
        digits_from[p] = digits_from[p + 1] + sum(ch.isdigit() for ch in pieces[p])

    def ends(s: str, i: int, j: int) -> list[int]:
        """Where a figure for column j starting at s[i] may end."""
        k = i
        if s[k] in "+-":
            if j not in signed:
                return []
            k += 1
        if k >= len(s) or not s[k].isdigit():
            return []
        most = limits[j] if j < len(limits) else float("inf")
        if s[k] == "0":
            ints = [k + 1]
        else:
            ints = []
            m = k
            while m < len(s) and s[m].isdigit() and int(s[k : m + 1]) <= most:
                m += 1
                ints.append(m)
        out = []
        for e in ints:
            if not (s[i] in "+-" and s[i + 1 : e] == "0"):
                out.append(e)
            if j in decimal and e < len(s) and s[e] == ".":
                m = e + 1
                while m < len(s) and s[m].isdigit():
                    m += 1
                    out.append(m)
        return out

    found: list[tuple[str, ...]] = []
    acc: list[str] = []
    steps = 0

    def go(p: int, i: int, j: int) -> None:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS:
            raise TooManySplits(f"{run!r}: search for cuts into {n} figures exceeded {_MAX_STEPS} steps")
        if p == len(pieces):
            if j == n:
                found.append((*acc[:-1], acc[-1] + unit) if unit else tuple(acc))
                if len(found) > limit:
                    raise TooManySplits(f"{run!r}: more than {limit} cuts into {n} figures")
            return
        s = pieces[p]
        if i == len(s):
            go(p + 1, 0, j)
            return
        left = n - j
        digits_left = digits_from[p + 1] + sum(ch.isdigit() for ch in s[i:])
        if left <= 0 or digits_left < left or len(pieces) - p > left:
            return
        for e in ends(s, i, j):
            acc.append(s[i:e])
            go(p, e, j + 1)
            acc.pop()

    go(0, 0, 0)
    return found
