"""Document rows → printed lines tied to template cells.

For every template row whose label is found, the figures printed after it are collected as
*slots* (blank cells included: their positions are evidence). Which slot fills which template
column is decided later (``pipelines.template.placement``): here each figure only gets a *baseline* column,
the naive reading of its position, which the consistency rules may overrule for layouts that
shift or drop cells (text pulled out of PDFs).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache

from models.catalog import FIGURE_KINDS, CellKey, FigureKind, all_rows, figure_kind
from models.vocab import ValueStatus
from pipelines.formats.document import ImageText, Row
from pipelines.template.digit_runs import TooManySplits, glued, is_run, splits
from pipelines.template.labels import (
    CellValue,
    holds_a_cell,
    is_group_label,
    is_page_marker,
    normalize,
    parse_cell,
    section2_row_key,
    section3_row_key,
    strip_enumerator,
)

# Python 3.11 looks an enum member up through its class on every use (60 ns each); the loops
# below compare statuses thousands of times per report.
_BLANK = ValueStatus.BLANK
_NUMBER = ValueStatus.NUMBER


# Slot and StreamCell are read-only by convention, not frozen: a report makes hundreds of each,
# and a frozen dataclass's __init__ costs four times a slotted one's.
@dataclass(slots=True)
class Slot:
    text: str
    value: CellValue
    pos: float | None  # grid column or x centre; None where rows carry one cell each
    coords: str = "grid"
    half: float = 0.0  # half the printed width, with x centres
    row_len: int = (
        0  # cells in its physical row (an index position means something only in a row as long as the header's)
    )
    gapped: bool = False  # its row keeps empty cells between filled ones
    run: bool = False  # figures printed run together (glued to a label, or a paragraph of them)
    image: ImageText | None = None  # read from an image by OCR: its confidence and alternatives


@dataclass
class Header:
    """Where each template column's header label stands: figures below it belong to it."""

    coords: str
    columns: dict[float, int]  # header position → index into the template's columns
    halves: dict[float, float] = field(default_factory=dict)  # header position → half its width
    row_len: int | None = None  # with "index" positions: the header rows' length, if they agree

    def consistent(self, n: int) -> bool:
        """Every one of the n columns found once, left to right in the template's order; a
        header read from a row that lost its blank cells fails this and is no evidence."""
        ordered = [self.columns[p] for p in sorted(self.columns)]
        return ordered == list(range(n))

    def column_of(self, slot: Slot) -> int | None:
        if slot.pos is None or slot.coords != self.coords or not self.columns:
            return None
        if self.coords == "index":
            # A cell's index is its column only in a row as long as the header's: text that lost
            # its empty cells shifts every figure after the loss.
            # A shorter row that still keeps empty cells between its figures lost cells only at its
            # end, where they do not shift the figures before them.
            same_grid = self.row_len is not None and (
                slot.row_len == self.row_len or (slot.gapped and slot.row_len < self.row_len)
            )
            return self.columns.get(slot.pos) if same_grid else None
        if self.coords == "grid":
            return self.columns.get(slot.pos)
        # x centres: the header the figure overlaps (the nearest of several), else the nearest
        # header if nearer than half the gap between neighbouring headers.
        xs = sorted(self.columns)
        s0, s1 = slot.pos - slot.half, slot.pos + slot.half
        overlapping = [x for x in xs if x - self.halves.get(x, 0.0) <= s1 and s0 <= x + self.halves.get(x, 0.0)]
        nearest = min(overlapping or xs, key=lambda x: abs(x - slot.pos))  # type: ignore[operator]
        if overlapping:
            return self.columns[nearest]
        gap = min((b - a for a, b in itertools.pairwise(xs)), default=float("inf"))
        return self.columns[nearest] if abs(nearest - slot.pos) <= gap / 2 else None

    def columns_of(self, slots: list[Slot]) -> list[int | None]:
        """column_of for each slot; with x centres the header's geometry is worked out once."""
        if self.coords != "x" or not self.columns:
            return [self.column_of(s) for s in slots]
        xs = sorted(self.columns)
        spans = [(x, x - self.halves.get(x, 0.0), x + self.halves.get(x, 0.0)) for x in xs]
        gap = min((b - a for a, b in itertools.pairwise(xs)), default=float("inf"))
        out: list[int | None] = []
        for slot in slots:
            pos = slot.pos
            if pos is None or slot.coords != "x":
                out.append(None)
                continue
            s0, s1 = pos - slot.half, pos + slot.half
            overlapping = [x for x, left, right in spans if left <= s1 and s0 <= right]
            nearest = min(overlapping or xs, key=lambda x: abs(x - pos))
            out.append(self.columns[nearest] if overlapping or abs(nearest - pos) <= gap / 2 else None)
        return out


@dataclass(slots=True)
class PrintedLine:
    """The figures printed for a run of template cells (one row, or section 4's 15 cells)."""

    label: str
    targets: list[CellKey]
    slots: list[Slot]
    baseline: list[int] = field(default_factory=list)  # per token: naive index into targets
    # False when the baseline is only "left to right" because nothing in the print shows where
    # the figures sit (as many figures as columns, as many slots, or header columns).
    informed: bool = True
    # Figures printed run together (`run`, as printed) that can be cut into the row's cells in
    # more than one way: every cut, as figure slots (the slots above hold the first). The rules
    # choose among them (placement); empty when the print says where every figure sits.
    run: str = ""
    readings: list[list[Slot]] = field(default_factory=list)
    failure: str | None = None  # figures that cannot be read at all (the row is then not read)

    def readings_doubt(self) -> str:
        """What a row cut in several ways with nothing to choose among them must say."""
        rows = ", ".join(dict.fromkeys(t.row_key for t in self.targets))
        cuts = [cut_text(r) for r in self.readings]
        shown = " or ".join(cuts[1:4]) + (f" (and {len(cuts) - 4} more)" if len(cuts) > 4 else "")
        return (
            f"{self.label} ({rows}): figures run together as {self.run!r} can be cut into {len(self.targets)} "
            f"cells in {len(cuts)} ways; read as {cuts[0]}, a guess; also {shown}"
        )

    @property
    def from_image(self) -> bool:
        """The row was read from an image by OCR."""
        return any(s.image is not None for s in self.slots)

    @property
    def tokens(self) -> list[Slot]:
        """Slots that were printed with something in them (blank slots carry no figure)."""
        return [s for s in self.slots if s.value.status != _BLANK]


@dataclass
class SectionReading:
    lines: list[PrintedLine]
    missing_rows: list[str]  # row keys whose label was not found
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StreamCell:
    row: int
    pos: float  # grid column or x centre
    coords: str
    text: str
    multi: bool  # the physical row has more than one cell
    half: float = 0.0  # half the cell's width, with x centres
    row_len: int = 0
    gapped: bool = False
    run: bool = False  # figures run together (see pipelines.template.digit_runs)
    image: ImageText | None = None  # read from an image by OCR
    # The cell's figure (figure_of), read once when the stream is made: every step asks for it.
    figure: CellValue | None = None
    # A figure cell as the slot it fills (made with the stream: a cached row's cells bring theirs).
    slot: Slot | None = None


# The same cell texts (0, blanks, the template's labels) recur in every row and every report, and
# reading one is pure: each is read once per process.
_cell_value = lru_cache(maxsize=1 << 16)(parse_cell)


def figure_of(text: str, run: bool) -> CellValue | None:
    """A cell's figure; a run of figures counts as one figure cell until it is cut."""
    value = _cell_value(text)
    if run:
        return value if value is not None and value.status == _NUMBER else CellValue(None, _NUMBER)
    return value


def _names_row(label: str) -> bool:
    return (
        section2_row_key(label) is not None
        or section3_row_key(label) is not None
        or strip_enumerator(label) in PROCEEDINGS
    )


@lru_cache(maxsize=1 << 16)
def _read(
    text: str, is_text: bool, measured: bool
) -> tuple[tuple[tuple[str, bool, CellValue | None], ...] | None, CellValue | None]:
    """A cell as the stream holds it (pure, so read once per text): (None, its figure) for a cell
    as printed, or (its parts, None) for a cell _unglue splits, each part with its figure."""
    parts = _unglue(text, is_text, measured) if any(ch.isdigit() for ch in text) else None
    if parts is None:
        value = _cell_value(text)
        if value is None and not is_text and holds_a_cell(text):
            return None, CellValue(None, ValueStatus.UNREADABLE)
        return None, value
    return tuple((part, run, figure_of(part, run)) for part, run in parts), None


def _unglue(text: str, is_text: bool, measured: bool = False) -> list[tuple[str, bool]] | None:
    """A cell that holds a row label with its figures run together after it (`行政许可3960181`,
    `三、本年度办理结果(一)予以公开0000909`) as its parts: group labels, the row label, the run
    (flagged True). A paragraph that is only figures is one run, unless the reader measured where
    it stands (`measured`: x positions of a PDF or spaced text), where it is one figure printed in
    its column (an unruled PDF prints a wrapped label's figures on a line of their own). None: the
    cell is as printed."""
    if is_text and not measured and is_run(text):
        return [(text, True)]
    parts = glued(text)
    if parts is None:
        return None
    label, run = parts
    groups: list[str] = []
    while not _names_row(label):
        cut = next((k for k in range(1, len(label)) if is_group_label(label[:k]) and label[k:].strip()), None)
        if cut is None:
            return None
        groups.append(label[:cut].strip())
        label = label[cut:].strip()
    if not _names_row(label):
        return None
    return [*((g, False) for g in groups), (label, False), (run, True)]


# _read's answers by cell text, one table per (is_text, measured): a lookup by the text alone
# costs a third of the lru_cache call with its three arguments, and a report reads ~300 cells.
_READS: dict[
    tuple[bool, bool], dict[str, tuple[tuple[tuple[str, bool, CellValue | None], ...] | None, CellValue | None]]
] = {}
_MAX_READS = 1 << 16


# A row's stream cells are a pure function of the row and its index in the part, and most rows
# recur at the same place in report after report (labels with zeros or blanks, headers, headings):
# each (index, row) is made into cells once per process and its cells (read-only) are shared.
_STREAM_ROWS: dict[tuple[object, ...], tuple[StreamCell | None, ...]] = {}
_MAX_STREAM_ROWS = 1 << 15


def cell_stream(rows: list[Row]) -> list[StreamCell | None]:
    """Cells in reading order; None marks an empty paragraph, which ends any run of figures."""
    out: list[StreamCell | None] = []
    append = out.append
    known = _STREAM_ROWS
    if len(known) > _MAX_STREAM_ROWS:
        known.clear()
    for r, row in enumerate(rows):
        key: tuple[object, ...] | None = None
        # Kept: rows without OCR readings (not cheap to compare) whose positions are indexes or x
        # centres (floats); grid columns may come as ints or floats from different readers.
        if row.images is None and (row.positions is None or row.coords == "x"):
            key = (r, row.cells, row.positions, row.widths, row.is_text, row.coords)
            hit = known.get(key)
            if hit is not None:
                out.extend(hit)
                continue
        start = len(out)
        _stream_row(r, row, append)
        if key is not None:
            known[key] = tuple(out[start:])
    return out


def _stream_row(r: int, row: Row, append: Callable[[StreamCell | None], None]) -> None:
    """One row's cells, appended to the stream."""
    cells = row.cells
    is_text = row.is_text
    if is_text and not row.joined.strip():
        append(None)
        return
    n = len(cells)
    if is_text and n == 1 and is_page_marker(cells[0]):
        return  # a page break's number inside a table: the table goes on after it
    # A paragraph is kept as a one-cell row: a table row that lost every figure cell in
    # extraction ("二、上年结转政府信息公开申请数量" alone on its line) is still a label.
    # Without positions from the reader, a cell's index in its row stands for its column.
    positions = row.positions or _index_positions(n)
    coords = row.coords if row.positions else "index"
    halves = tuple([w / 2 for w in row.widths]) if row.widths else _zeros(n)
    images: tuple[ImageText | None, ...] = row.images or (None,) * n
    # Empty cells between the first and the last filled one.
    filled = [bool(c.strip()) for c in cells]
    gapped = True in filled and False in filled[filled.index(True) : n - filled[::-1].index(True) - 1]
    measured = row.positions is not None and row.coords == "x"
    multi = n > 1
    reads = _READS.get((is_text, measured))
    if reads is None or len(reads) > _MAX_READS:
        reads = _READS[(is_text, measured)] = {}
    # A figure cell's slot is made here from the row's values, its position kept where it means
    # something (a row of several cells, or x centres): a first read makes ~60 a report.
    positioned = multi or coords == "x"
    for text, pos, half, image in zip(cells, positions, halves, images, strict=False):
        read = reads.get(text)
        if read is None:
            read = reads[text] = _read(text, is_text, measured)
        parts, figure = read
        if parts is None:
            cell = StreamCell(r, pos, coords, text, multi, half, n, gapped, False, image, figure)
            if figure is not None:
                cell.slot = Slot(text, figure, pos if positioned else None, coords, half, n, gapped, False, image)
            append(cell)
            continue
        several = multi or len(parts) > 1
        for part, run, part_figure in parts:
            kept = image if image is not None and run else None
            cell = StreamCell(r, pos, coords, part, several, half, n, gapped, run, kept, part_figure)
            if part_figure is not None:
                at = pos if several or coords == "x" else None
                cell.slot = Slot(part, part_figure, at, coords, half, n, gapped, run, kept)
            append(cell)


@lru_cache(maxsize=256)
def _zeros(n: int) -> tuple[float, ...]:
    return (0.0,) * n


@lru_cache(maxsize=256)
def _index_positions(n: int) -> tuple[float, ...]:
    return tuple(float(c) for c in range(n))


def slots_after(cells: list[StreamCell | None], i: int) -> list[Slot]:
    """Figures after the label at cells[i]: the rest of its physical row up to the next text
    cell; when the label ends its row (one cell per line), the following rows up to the next
    text cell."""
    label = cells[i]
    assert label is not None
    slots: list[Slot] = []
    following = cells[i + 1] if i + 1 < len(cells) else None
    same_row_follows = following is not None and following.row == label.row
    j = i + 1
    while j < len(cells):
        cell = cells[j]
        if cell is None or (same_row_follows and cell.row != label.row):
            break
        slot = cell.slot
        if slot is None:  # no figure
            break
        slots.append(slot)
        j += 1
    return slots


OTHER_SUB_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_other")


@dataclass(slots=True)  # read-only by convention: a frozen dataclass's __init__ costs 5x
class _Label:
    start: int  # index of the (first part of the) label in the cell stream
    end: int  # index of its last part
    key: str
    text: str


_MAX_FRAGMENT = 40


@cache
def _canonical_labels() -> dict[str, str]:
    """row_key → its catalog label, normalised and without enumerator."""
    return {r.row_key: strip_enumerator(r.row_label) for r in all_rows()}


def _closeness(text: str, key: str) -> float:
    return SequenceMatcher(None, strip_enumerator(text), _canonical_labels().get(key, "")).ratio()


@lru_cache(maxsize=1 << 16)
def _label_text(text: str) -> tuple[bool, bool, bool]:
    """What find_labels asks of a text cell, in one lookup: whether it starts with its own
    enumerator (3. （一） 一、: it begins a label, never a second half), whether it is a group
    label, and whether it is short enough to be the first half of a wrapped label."""
    return (
        strip_enumerator(text) != normalize(text),
        is_group_label(text),
        len(normalize(text)) <= _MAX_FRAGMENT,
    )


def find_labels(
    cells: list[StreamCell | None],
    match: Callable[[str], str | None],
    accept: Callable[[str | None, str], bool] = lambda previous, key: True,
) -> list[_Label]:
    """Row labels in reading order. A label broken over two lines (an unruled PDF puts the
    figures on a line between the halves, and a group label may stand between them too) is
    found by joining a text fragment that names no row with a later one. `accept(previous key,
    key)` rejects a match that makes no sense where it stands."""
    out: list[_Label] = []
    pending: list[int] = []  # recent text fragments that named no row, nearest last

    def matched(text: str) -> str | None:
        key = match(text)
        return key if key is not None and accept(out[-1].key if out else None, key) else None

    for i, cell in enumerate(cells):
        if cell is None or not cell.text.strip() or cell.figure is not None:
            continue
        key = matched(cell.text)
        joined_label = None
        starts_label, group, fragment = _label_text(cell.text)
        for p in [] if starts_label else reversed(pending):
            joined = cells[p].text + cell.text  # type: ignore[union-attr]
            joined_key = matched(joined)
            if joined_key is None:
                continue
            if key is None:
                joined_label = _Label(p, i, joined_key, joined)  # only the halves together name a row
                break
            # The second half names the row by itself; join only where the figures stand between
            # the halves and the join reads at least as much like the official label.
            figures_between = any(c is not None and c.figure is not None for c in cells[p + 1 : i])
            if (
                key == joined_key
                and figures_between
                and _closeness(joined, key) >= max(0.8, _closeness(cell.text, key))
            ):
                joined_label = _Label(p, i, joined_key, joined)
                break
        if joined_label is not None:
            out.append(joined_label)
            pending.clear()
        elif key is not None:
            out.append(_Label(i, i, key, cell.text))
            pending.clear()
        elif group:
            continue  # a group label may stand between the halves of a wrapped row label
        elif fragment:
            pending = [*pending[-2:], i]
        else:
            pending.clear()
    return out


def _as_slots(cells: list[StreamCell | None]) -> list[Slot]:
    return [c.slot for c in cells if c is not None and c.slot is not None]


def figures_of(cells: list[StreamCell | None], label: _Label, bound: int) -> list[Slot]:
    """The figures of a label: those printed between its two halves, else those right after it,
    else (a label wrapped over more lines, the figures beside a later line of it) the figures
    after it and before the next label."""
    between = _as_slots(cells[label.start + 1 : label.end])
    if between:
        return between
    after = slots_after(cells, label.end)
    if any(s.value.status != _BLANK for s in after):
        return after
    later = _as_slots(cells[label.end + 1 : bound])
    return later if any(s.value.status != _BLANK for s in later) else after


def baseline(slots: list[Slot], n_targets: int, header: Header | None = None) -> tuple[list[int], bool]:
    """Naive target index of each printed figure, and whether the print supports it: in order
    when there are exactly as many figures (or slots) as targets, else by the header's grid
    columns, else left-aligned (unsupported)."""
    tokens = [(k, s) for k, s in enumerate(slots) if s.value.status != _BLANK]
    if len(tokens) == n_targets:
        return list(range(n_targets)), True
    if len(slots) == n_targets:
        return [k for k, _ in tokens], True
    placed = header.columns_of([s for _, s in tokens]) if header else []
    if tokens and placed and all(p is not None for p in placed):
        return placed, True  # type: ignore[return-value]
    return [min(k, n_targets - 1) for k, _ in tokens], not tokens


def printed_line(
    label: str,
    targets: list[CellKey],
    slots: list[Slot],
    header: Header | None = None,
    *,
    figures_apart: bool = False,
) -> PrintedLine:
    """`figures_apart`: the document prints each figure as a paragraph of its own (a row's figures
    one per line), so a lone paragraph of digits after a label is one figure, never a run to cut
    (规章, then 100: one figure, its empty cells lost, not 1|0|0)."""
    filled = [k for k, s in enumerate(slots) if s.value.status != _BLANK]
    if (
        figures_apart
        and len(filled) <= len(targets)
        and any(slots[k].run for k in filled)
        and all(_plain_figure(slots[k].text) for k in filled)
    ):
        # Each paragraph one figure, however few the row prints (35, then +12: two figures, not
        # 35 | +1 | 2 to fill the row's three cells); more paragraphs than cells stay a run that
        # admits no cut (the row not read, said), never its first figures kept.
        slots = [
            replace(s, value=_cell_value(s.text) or s.value, run=False) if k in filled else s
            for k, s in enumerate(slots)
        ]
    if filled and all(slots[k].run for k in filled):
        return _run_line(label, targets, [slots[k] for k in filled])
    n = len(targets)
    # A whole number from 0 to 999,999,999 suits every kind of column (count, change, money):
    # only a row with another number needs its columns' kinds (a row has at least one column).
    if n and all((v := slots[k].value.value) is None or (0 <= v <= _ANY_KIND_LIMIT and v == int(v)) for k in filled):
        pass
    else:
        kinds = _kinds(targets)
        slots = [_unreadable_in(s, kinds) for s in slots]
    # baseline(), its two common cases first: unreadable_in never blanks a slot, so `filled` stands.
    if len(filled) == n:
        return PrintedLine(label, targets, slots, list(range(n)), True)
    if len(slots) == n:
        return PrintedLine(label, targets, slots, filled, True)
    base, informed = baseline(slots, n, header)
    return PrintedLine(label, targets, slots, base, informed)


_ANY_KIND_LIMIT = min(k.limit for k in FIGURE_KINDS)


def _plain_figure(text: str) -> bool:
    """One printed figure (no space inside, its value read): not a run of several."""
    value = _cell_value(text)
    return len(text.split()) == 1 and value is not None and value.status == _NUMBER


def figures_apart(rows: Sequence[Row]) -> bool:
    """Whether the text prints its table's figures one per paragraph: two paragraphs in a row that
    each hold one figure and nothing else (a web copy that runs a row's figures together prints
    them in one paragraph, glued to its label or after it), and no row's figures glued to its
    label (行政许可3960181: such a text runs figures together, whatever else it does)."""
    apart = False
    streak = 0
    for row in rows:
        text = row.joined.strip() if row.is_text and len(row.cells) == 1 else ""
        streak = streak + 1 if text and _plain_figure(text) else 0
        apart = apart or streak >= 2
        parts = glued(text) if text and text[-1].isdigit() else None
        if parts is not None and _names_row(parts[0]):
            return False
    return apart


def _kinds(targets: list[CellKey]) -> tuple[FigureKind, ...]:
    """The kinds of figure the targets' columns hold, each once."""
    return _kinds_of(tuple(targets))


@lru_cache(maxsize=1 << 12)
def _kinds_of(targets: tuple[CellKey, ...]) -> tuple[FigureKind, ...]:
    # Every report asks for the same rows' targets.
    return tuple(dict.fromkeys(figure_kind(t.column_key) for t in targets))


def unreadable_in(slot: Slot, targets: list[CellKey]) -> Slot:
    """The slot, made unreadable when its number suits none of the row's columns (12.5 in a row of
    counts): its value is then unknown to the rules, never a figure they weigh."""
    return _unreadable_in(slot, _kinds(targets))


def _unreadable_in(slot: Slot, kinds: tuple[FigureKind, ...]) -> Slot:
    value = slot.value.value
    if slot.value.status != _NUMBER or value is None:
        return slot
    for kind in kinds:
        if kind.fault(value) is None:
            return slot
    return replace(slot, value=CellValue(None, ValueStatus.UNREADABLE, slot.value.unit))


def _run_line(label: str, targets: list[CellKey], tokens: list[Slot]) -> PrintedLine:
    """A row whose figures were printed run together: cut them into the row's cells. One cut:
    read as printed. Several: all kept for the rules to choose (section 2 has none: a guess, said
    to be one). None, or too many to weigh: the row's figures cannot be read, unless each of as many
    pieces as cells is one cell (a figure per line), some of them no figure the column allows:
    those are read as unreadable."""
    n = len(targets)
    run = " ".join(s.text for s in tokens)
    kinds = [figure_kind(t.column_key) for t in targets]
    signed = [j for j, k in enumerate(kinds) if k.signed]
    decimal = [j for j, k in enumerate(kinds) if not k.whole]
    failure = None
    try:
        cuts = splits(run, n, signed=signed, decimal=decimal, limits=[k.limit for k in kinds])
    except TooManySplits:
        cuts, failure = (
            [],
            f"figures run together after {label!r} ({_row_names(targets)}) as {run!r} can be cut into {n} cells in too many ways to weigh; the row is not read",
        )
    if not cuts and failure is None:
        plain = all(_cell_value(s.text) is not None and len(s.text.split()) == 1 for s in tokens)
        if plain and len(tokens) <= n:
            # Each a figure of its own, fewer than cells (the usual reading of a short row) or one
            # per cell with some no figure its column allows (12.5 among counts, a 20-digit number).
            tokens = [
                unreadable_in(replace(s, value=_cell_value(s.text) or s.value, run=False), targets) for s in tokens
            ]
            base, informed = baseline(tokens, n)
            return PrintedLine(label, targets, tokens, base, informed)
        failure = f"figures run together after {label!r} ({_row_names(targets)}) as {run!r} cannot be cut into {n} cells; the row is not read"
    readings = [[Slot(f, _cell_value(f), None) for f in cut] for cut in cuts]  # type: ignore[arg-type]
    first = readings[0] if readings else []
    return PrintedLine(
        label, targets, first, list(range(len(first))), True, run, readings if len(readings) > 1 else [], failure
    )


def _row_names(targets: list[CellKey]) -> str:
    return ", ".join(dict.fromkeys(t.row_key for t in targets))


def cut_text(slots: list[Slot]) -> str:
    return "|".join(s.text for s in slots)


def settle(reading: SectionReading) -> SectionReading:
    """Rows whose run-together figures cannot be read are not read: listed as missing, with why.
    Where a section prints its figures run together, a row label with nothing after it lost its
    figures (a page cut short, a table copied without them): missing too, not a row of blanks."""
    runs = any(line.run for line in reading.lines)
    for line in reading.lines:
        if runs and not line.slots and line.failure is None:
            line.failure = f"no figures after {line.label!r} ({_row_names(line.targets)}) where the rows' figures are printed run together; the row is not read"
    kept = [line for line in reading.lines if line.failure is None]
    failed = [line for line in reading.lines if line.failure is not None]
    missing = [*reading.missing_rows, *(t.row_key for line in failed for t in dict.fromkeys(line.targets))]
    failures = [line.failure for line in failed if line.failure is not None]
    return SectionReading(kept, list(dict.fromkeys(missing)), [*reading.notes, *failures])


PROCEEDINGS = {
    "行政复议": "administrative_review",
    "未经复议直接起诉": "litigation_without_review",
    "复议后起诉": "litigation_after_review",
}
