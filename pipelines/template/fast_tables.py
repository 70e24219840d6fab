"""A text report's three tables read in one pass over their rows, where the print says every cell.

The general readers (pipelines.template.section_tables) make every row into stream cells and slots
(printed_lines.cell_stream), then printed lines, and the placement (pipelines.template.placement)
fills the cells from those; on a first read of a report most of its figure rows are new text, and
making those objects is most of what the read costs. Most text reports print each table row as its
labels and then its figure cells, under the template's headers and group labels. For such a page
`read_cells` takes the same steps over the rows themselves (the same label matchers and header
rules, the same choice of a label's figures as printed_lines.figures_of, the same baseline as
printed_line) and fills the cells as place_figures fills a reading as printed: the cells of the
general readers' Reading.AS_PRINTED, made without their objects.

It declines (None: the general readers read the report) wherever its shortcuts would not be their
steps or where their reading would not be as printed: a cell read from an image; a cell that holds
a label with figures glued to it, or figures run together; a label found by joining two fragments,
or a join that could name a row; a row label found twice; a row of the template not found; a 2021
（六）其他处理 printed as one row; a section-4 table printed one proceeding a row, or without a
figure; a figure whose column the print does not say (the solver's), that suits no column of its
row or its cell (unreadable), or out of its row's order; figures that break a rule (C1–C4) as
printed; the document ending in its tables (a report cut short). `tests/test_fast_tables.py`
checks that every generated text layout and damage and every wild text class reads the same with
and without it, and that each of those pages is declined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from itertools import compress, pairwise, repeat
from operator import attrgetter, mul

import numpy as np
import numpy.typing as npt

from models.catalog import FIGURE_KINDS, CellKey, figure_kind, rows_for
from models.rules import RuleInstance, rule_instances
from models.vocab import ValueStatus
from pipelines.formats.document import Row
from pipelines.template.labels import (
    SECTION3_COLUMN_LABELS,
    SECTION4_COLUMN_LABELS,
    CellValue,
    section2_column_key_among,
    section2_row_key,
    section3_printed_order,
    section3_row_key,
    strip_enumerator,
)
from pipelines.template.placement import _BLANK as _BLANK_CELL
from pipelines.template.placement import CellReading, _reading
from pipelines.template.printed_lines import (
    _READS,
    OTHER_SUB_ROWS,
    PROCEEDINGS,
    Header,
    Slot,
    _index_positions,
    _label_text,
    _read,
    _zeros,
)
from pipelines.template.section_tables import (
    _ENUMERATED,
    _UNSEEN,
    _column_keys,
    _section2_column_labels,
    _section2_header_cells,
    _section3_accept,
    _targets,
    figure_runs,
)

_BLANK = ValueStatus.BLANK
_UNREADABLE = ValueStatus.UNREADABLE


class _Decline(Exception):
    """The page is not one whose tables this module reads as the general readers would."""


class _RowInfo:
    """What the general stream reads from one row, kept per Row object: the readers hand out one
    Row per distinct line (lru caches), so a line that recurs (headers, rows of zeros) is read
    once per process, and its figure cells' slots (read-only, as the general stream's cached rows
    share theirs) are made once. What _Part takes from each row is kept here as tuples, so a part
    is made by C-level extends, not a step per cell."""

    __slots__ = ("_slots", "cells", "columns", "empty", "figures", "multi", "multis", "printed", "row", "words")

    def __init__(self, row: Row) -> None:
        self.row = row
        self._slots: list[Slot | None] | None = None
        if row.images is not None:
            raise _Decline  # a cell read from an image
        self.cells = row.cells
        # An empty paragraph: one stream index that ends any run of figures.
        self.empty = row.is_text and not "".join(row.cells).strip()
        if self.empty:
            return
        is_text = row.is_text
        measured = row.positions is not None and row.coords == "x"
        reads = _READS.get((is_text, measured))
        if reads is None:
            reads = _READS[(is_text, measured)] = {}
        figures: list[CellValue | None] = []
        for text in row.cells:
            read = reads.get(text)
            if read is None:
                read = reads[text] = _read(text, is_text, measured)
            if read[0] is not None:
                raise _Decline  # a label with figures glued to it, or figures run together
            figures.append(read[1])
        self.figures = tuple(figures)
        # A figure printed (not a blank cell), per cell: what _printed asks of a run of cells.
        self.printed = tuple([f is not None and f.status != _BLANK for f in figures])
        # Its text cells (a figure-less cell is never empty: parse_cell reads blanks as figures).
        self.words = tuple([c for c, figure in enumerate(figures) if figure is None])
        n = len(row.cells)
        self.multi = n > 1
        self.multis = (self.multi,) * n
        self.columns = range(n)

    def place(self, c: int) -> tuple[str, float, float, int]:
        """(coords, position, half width, row length) of cell c, as the general stream has them."""
        row = self.row
        n = len(row.cells)
        coords = row.coords if row.positions else "index"
        pos = (row.positions or _index_positions(n))[c]
        half = row.widths[c] / 2 if row.widths else 0.0
        return coords, pos, half, n

    def slots(self) -> list[Slot | None]:
        """Each cell's slot (None for a text cell), as printed_lines._stream_row makes them."""
        if self._slots is None:
            row = self.row
            cells = row.cells
            n = len(cells)
            positions = row.positions or _index_positions(n)
            coords = row.coords if row.positions else "index"
            halves = tuple([w / 2 for w in row.widths]) if row.widths else _zeros(n)
            filled = [bool(c.strip()) for c in cells]
            gapped = True in filled and False in filled[filled.index(True) : n - filled[::-1].index(True) - 1]
            positioned = n > 1 or coords == "x"
            self._slots = [
                None if figure is None else Slot(text, figure, pos if positioned else None, coords, half, n, gapped)
                for text, figure, pos, half in zip(cells, self.figures, positions, halves, strict=False)
            ]
        return self._slots


_ROWS: dict[int, _RowInfo] = {}  # id(row) → its info (which holds the row, so the id stays its own)
_MAX_ROWS = 1 << 15


def _row_info(row: Row) -> _RowInfo:
    info = _ROWS.get(id(row))
    if info is None or info.row is not row:
        if len(_ROWS) >= _MAX_ROWS:
            _ROWS.clear()
        info = _ROWS[id(row)] = _RowInfo(row)
    return info


class _Part:
    """One part's rows as the general readers' cell stream holds them, without its objects: per
    stream index the cell's text, figure (None for text), row and index in the row; an empty
    paragraph is one index whose row is -1 (it ends any run of figures)."""

    __slots__ = ("columns", "figures", "infos", "multis", "printed", "rows", "texts", "words")

    def __init__(self, rows: list[Row]) -> None:
        infos: list[_RowInfo | None] = []
        texts: list[str] = []
        figures: list[CellValue | None] = []
        printed: list[bool] = []  # a figure printed there (not None, not a blank cell)
        row_of: list[int] = []
        columns: list[int] = []
        multis: list[bool] = []
        # The text cells' stream indexes: labels and headers are found among these alone (no
        # label matcher or header rule reads a figure cell as a label or a header).
        words: list[int] = []
        known = _ROWS
        for r, row in enumerate(rows):
            info = known.get(id(row))
            if info is None or info.row is not row:
                info = _row_info(row)
            if info.empty:
                infos.append(None)
                texts.append("")
                figures.append(None)
                printed.append(False)
                row_of.append(-1)
                columns.append(0)
                multis.append(False)
                continue
            infos.append(info)
            start = len(texts)
            words.extend(map(start.__add__, info.words))
            texts.extend(info.cells)
            figures.extend(info.figures)
            printed.extend(info.printed)
            multis.extend(info.multis)
            row_of.extend(repeat(r, len(info.cells)))
            columns.extend(info.columns)
        self.infos, self.texts, self.figures, self.printed = infos, texts, figures, printed
        self.rows, self.columns, self.multis, self.words = row_of, columns, multis, words

    def slot(self, i: int) -> Slot:
        info = self.infos[self.rows[i]]
        assert info is not None
        slot = info.slots()[self.columns[i]]
        assert slot is not None
        return slot

    def position(self, i: int) -> tuple[str, float, float, int]:
        info = self.infos[self.rows[i]]
        assert info is not None
        return info.place(self.columns[i])


def _labels(
    part: _Part, match: Callable[[str], str | None], accept: Callable[[str | None, str], bool]
) -> list[tuple[int, str, str]]:
    """find_labels' labels, (stream index, key, text), where no label is a join of two fragments;
    declines where a join could name a row (find_labels would then join, or might)."""
    out: list[tuple[int, str, str]] = []
    pending: list[str] = []
    texts = part.texts
    for i in part.words:
        text = texts[i]
        key = match(text)
        if key is not None and not accept(out[-1][1] if out else None, key):
            key = None
        starts_label, group, fragment = _label_text(text)
        if pending and not starts_label:
            for fragment_text in pending:
                joined_key = match(fragment_text + text)
                if joined_key is not None and (key is None or joined_key == key):
                    raise _Decline
        if key is not None:
            out.append((i, key, text))
            pending.clear()
        elif group:
            continue
        elif fragment:
            pending = [*pending[-2:], text]
        else:
            pending.clear()
    return out


def _slots_after(part: _Part, i: int) -> range:
    """printed_lines.slots_after, as stream indexes."""
    rows, figures = part.rows, part.figures
    end = len(rows)
    row = rows[i]
    same_row_follows = i + 1 < end and rows[i + 1] == row
    j = i + 1
    while j < end and figures[j] is not None and (not same_row_follows or rows[j] == row):
        j += 1
    return range(i + 1, j)


def _printed(part: _Part, indexes: range) -> bool:
    """Whether a figure (not a blank cell) is printed among these consecutive stream indexes."""
    return True in part.printed[indexes.start : indexes.stop]


def _figures_of(part: _Part, start: int, bound: int) -> Sequence[int]:
    """printed_lines.figures_of for a label of one cell, as stream indexes."""
    after = _slots_after(part, start)
    # The figure cells up to the bound, where the label's own cells print none but later ones do
    # (a cell printed is a figure cell: the flag is False for text cells).
    if not _printed(part, after) and True in part.printed[start + 1 : bound]:
        figures = part.figures
        return [j for j in range(start + 1, bound) if figures[j] is not None]
    return after


# A line as the general readers make it: its label, its cells, its figures' stream indexes, the
# header its figures may be placed by.
_Line = tuple[str, tuple[CellKey, ...], Sequence[int], Header | None]


def _section2(part: _Part, template: str) -> list[_Line]:
    column_labels = _section2_column_labels(template)
    header_cells = _section2_header_cells(template)
    if len(header_cells) > 1 << 14:
        header_cells.clear()
    labels = {i: (key, text) for i, key, text in _labels(part, section2_row_key, _any_row)}
    starts = sorted(labels)
    # No label at all (section 2 printed as lines): no bounds, and the page is declined below.
    bounds = dict(zip(starts, [*starts[1:], len(part.texts)], strict=False))
    found: dict[str, tuple[str, Sequence[int], _Seen]] = {}
    header: dict[float, str] = {}
    halves: dict[float, float] = {}
    header_row, header_coords, header_len = -1, "grid", 0
    rows, texts, multis = part.rows, part.texts, part.multis
    for i in part.words:  # a figure cell is neither a header nor a label
        text = texts[i]
        column = None
        if multis[i]:
            column = header_cells.get(text, _UNSEEN)
            if column is _UNSEEN:
                column = header_cells[text] = section2_column_key_among(text, column_labels)
        if column is not None:
            coords, pos, half, n = part.position(i)
            if rows[i] != header_row:
                header, halves, header_row, header_coords, header_len = {}, {}, rows[i], coords, n
            header[pos] = column
            halves[pos] = half
            continue
        label = labels.get(i)
        if label is None:
            continue
        key, label_text = label
        if key in found:
            raise _Decline  # a row label found twice: the general reader's choice between them
        seen = (header_coords, tuple(header.items()), tuple(halves.items()), header_len)
        if not _printed(part, range(i + 1, bounds[i])) and any(
            ch.isdigit() for j in range(i + 1, bounds[i]) if part.figures[j] is None for ch in texts[j]
        ):
            raise _Decline  # no figure after the label but text with digits: its words may name them
        found[key] = (label_text, _figures_of(part, i, bounds[i]), seen)
    lines: list[_Line] = []
    for spec in rows_for(template, 2):
        if spec.row_key not in found:
            raise _Decline  # a row not found: the general reader says which
        label_text, slots, seen = found[spec.row_key]
        lines.append(
            (
                label_text,
                _targets(template, 2, spec.table_key, spec.row_key),
                slots,
                _row_header(template, spec.table_key, seen),
            )
        )
    return lines


# The header a section-2 label saw before it: its coords, (position, column) and (position, half
# width) in the order seen, and its row's length.
_Seen = tuple[str, tuple[tuple[float, str], ...], tuple[tuple[float, float], ...], int]


def _row_header(template: str, table_key: str, seen: _Seen) -> Header | None:
    """The header a section-2 row's figures may be placed by (read_section2's, from the header
    its label saw), or None where it does not name the row's columns in order; the same header
    rows precede the same rows report after report, so each is worked out once (a Header here is
    only read)."""
    key = (template, table_key, seen)
    if key in _ROW_HEADERS:
        return _ROW_HEADERS[key]
    coords, columns, halves, row_len = seen
    keys = _column_keys(template, table_key)
    row_header = None
    if len(keys) > 1 and columns:
        mapped = {pos: keys.index(k) for pos, k in columns if k in keys}
        row_header = Header(coords, mapped, dict(halves), row_len)
        if not row_header.consistent(len(keys)):
            row_header = None
    if len(_ROW_HEADERS) >= 1 << 12:
        _ROW_HEADERS.clear()
    _ROW_HEADERS[key] = row_header
    return row_header


_ROW_HEADERS: dict[tuple[str, str, _Seen], Header | None] = {}


def _any_row(previous: str | None, key: str) -> bool:
    return True


def _section3(part: _Part, template: str) -> list[_Line]:
    col_keys = _column_keys(template, "requests")
    labels = _labels(part, section3_row_key, _section3_accept)
    body = next((i for i, key, _ in labels if key not in ("total_handled", "other_other")), len(part.texts))
    if template == "2021" and any(key in OTHER_SUB_ROWS and i >= body for i, key, _ in labels):
        labels = [label for label in labels if label[1] != "other_handling"]
    header: Header | None = None
    for i in part.words:
        if i >= body:
            break
        if not part.multis[i]:
            continue
        column = SECTION3_COLUMN_LABELS.get(strip_enumerator(part.texts[i]))
        if column is None:
            continue
        coords, pos, half, n = part.position(i)
        header = header or Header(coords, {}, row_len=n)
        if header.row_len != n:
            header.row_len = None
        if coords == header.coords:
            header.columns.setdefault(pos, col_keys.index(column))
            header.halves.setdefault(pos, half)
    if header is not None and not header.consistent(len(col_keys)):
        header = None
    header = _shared(header)
    if section3_printed_order([part.texts[i] for i in part.words if i < body], col_keys) is not None:
        raise _Decline  # columns printed in another order: read_section3 places them so
    found: dict[str, tuple[str, Sequence[int]]] = {}
    for k, (i, key, text) in enumerate(labels):
        if i < body:
            continue
        if key in found:
            raise _Decline
        bound = labels[k + 1][0] if k + 1 < len(labels) else len(part.texts)
        if bound == len(part.texts) and _ENUMERATED.match(text):
            raise _Decline  # perhaps a cut label's number after its figures: section_tables._without_cut_label's
        found[key] = (text, _figures_of(part, i, bound))
    if template == "2021" and "other_handling" in found and found["other_handling"][1]:
        raise _Decline  # （六）其他处理 printed as one row, perhaps: the general reader's note
    lines: list[_Line] = []
    for row_key in _row_keys(template, 3):
        if row_key not in found:
            raise _Decline
        label_text, slots = found[row_key]
        lines.append((label_text, _targets(template, 3, "requests", row_key), slots, header))
    return lines


@cache
def _row_keys(template: str, section: int) -> tuple[str, ...]:
    return tuple(r.row_key for r in rows_for(template, section))


def _section4(part: _Part, template: str) -> _Line:
    row_keys = _row_keys(template, 4)
    n = len(row_keys) * len(_column_keys(template, "review_litigation"))
    texts, figures = part.texts, part.figures
    # The general reader first looks for one row per proceeding, each with its label and figures.
    for i in part.words:
        if strip_enumerator(texts[i]) in PROCEEDINGS and _printed(part, _slots_after(part, i)):
            raise _Decline
    # ... or each outcome with its own figures (the table transposed, or one outcome per line):
    # the template's header prints them without figures, the last 总计 before all fifteen.
    labelled = [i for i in part.words if strip_enumerator(texts[i]) in SECTION4_COLUMN_LABELS and _slots_after(part, i)]
    if len(labelled) > 1:
        raise _Decline
    # _section4_header: the 15 outcome labels at distinct positions of one kind.
    places = [
        part.position(i) for i in part.words if part.multis[i] and strip_enumerator(texts[i]) in SECTION4_COLUMN_LABELS
    ]
    header = None
    if places:
        positions = sorted({p[1] for p in places})
        if len({p[0] for p in places}) == 1 and len(positions) == n:
            lengths = {p[3] for p in places}
            header = Header(
                places[0][0],
                {p: k for k, p in enumerate(positions)},
                {p[1]: p[2] for p in places},
                lengths.pop() if len(lengths) == 1 else None,
            )
    # The last run of figure cells with a figure in it.
    runs = figure_runs([i if figure is not None else None for i, figure in enumerate(figures)])
    run = next(
        (r for r in reversed(runs) if any(figures[j].status not in (_BLANK, _UNREADABLE) for j in r)),  # type: ignore[union-attr]
        None,
    )
    if run is None:
        raise _Decline  # no figure, or only unreadable ones: the general reader's notes
    while run and figures[run[0]].status == _BLANK and len(run) > n:  # type: ignore[union-attr]
        run = run[1:]
    while run and figures[run[-1]].status == _BLANK and len(run) > n:  # type: ignore[union-attr]
        run = run[:-1]
    return "行政复议/行政诉讼", _all_targets(template), run, _shared(header)


@cache
def _all_targets(template: str) -> tuple[CellKey, ...]:
    return tuple(t for k in _row_keys(template, 4) for t in _targets(template, 4, "review_litigation", k))


def _fill(part: _Part, line: _Line, cells: dict[CellKey, CellReading]) -> None:
    """The line's cells as printed_line, place_figures' reading as printed (or _positional, for
    section 2) and _cells_of fill them, where every figure has its column by the print: as many
    figures as cells, as many slots as cells, or each under its header. Declines where the print
    does not say (the solver or a guess would place them), a figure suits no column of its row
    or its cell (unreadable), or the positions break the printed order. `cells` holds every cell
    blank already (read_cells'), so only the printed ones are written; each step is a C-level map
    over the line's cells (a report fills some 200)."""
    _, targets, slots, header = line
    printed = part.printed
    n = len(targets)
    # A figure that suits no column of its row (the general reader says it is unreadable) suits
    # not its own column either: its reading below is unreadable, and declines.
    if type(slots) is range and slots.step == 1:
        flags: Sequence[bool] = printed[slots.start : slots.stop]
    else:
        flags = list(map(printed.__getitem__, slots))
    known = _TARGET_READINGS.get(targets) or _kind_readings(targets)
    read_targets: Sequence[CellKey]
    read_known: Sequence[dict[str, CellReading]]
    tokens: Sequence[int] = slots if all(flags) else list(compress(slots, flags))
    if not tokens:
        return  # nothing printed: the line's cells stay blank
    if len(tokens) == n:  # every cell printed, in order (most rows)
        read_targets, read_known = targets, known
    elif len(slots) == n:  # a slot per cell: the printed ones in order, within the row
        read_targets, read_known = list(compress(targets, flags)), list(compress(known, flags))
    elif header is not None:
        positions = _columns_of(header, part, list(tokens))
        if None in positions:
            raise _Decline  # the print does not say where the figures sit
        if positions[0] < 0 or positions[-1] >= n or positions != sorted(set(positions)):  # type: ignore[operator, type-var]
            raise _Decline  # the printed order broken: not read as printed
        read_targets = list(map(targets.__getitem__, positions))  # type: ignore[arg-type]
        read_known = list(map(known.__getitem__, positions))  # type: ignore[arg-type]
    else:
        raise _Decline
    found: list[CellReading | None] = list(map(dict.get, read_known, map(part.texts.__getitem__, tokens)))
    if not all(found):  # a miss (None); `None in` would call the readings' __eq__
        for k, (j, reading) in enumerate(zip(tokens, found, strict=True)):
            if reading is None:
                found[k] = _new_reading(part, j, read_targets[k], read_known[k])
    cells.update(zip(read_targets, found, strict=True))  # type: ignore[arg-type]  # no None left


def _new_reading(part: _Part, j: int, target: CellKey, known: dict[str, CellReading]) -> CellReading:
    """The reading of figure j in `target`'s cell, kept in `known` (its column's kind's) where it
    is readable; an unreadable one declines the page."""
    figure = part.figures[j]
    assert figure is not None
    text = part.texts[j]
    reading = _reading(figure.value, figure.status, text, target.column_key, None, figure.unit)
    if reading.status == _UNREADABLE:
        raise _Decline
    if len(known) < _MAX_READINGS:
        known[text] = reading
    return reading


def _kind_readings(targets: tuple[CellKey, ...]) -> tuple[dict[str, CellReading], ...]:
    """Per cell of a line, the readings of its column's kind of figure (count, change, money) by
    text. placement._reading depends on the column only by its kind, and the figure is its text's
    (a cell that _read would split declined the page), so a reading is kept per kind and text:
    "0" in any count cell is read once."""
    kept = _TARGET_READINGS.get(targets)
    if kept is None:
        kept = _TARGET_READINGS[targets] = tuple(_READINGS[figure_kind(t.column_key).name] for t in targets)
    return kept


def _columns_of(header: Header, part: _Part, tokens: list[int]) -> list[int | None]:
    """header.columns_of(the tokens' slots). With x centres (spaced text: a row's blank cells are
    not printed, so every figure is placed by its header) from the cells' places alone, without
    making their slots, and each (centre, half width) placed once per header: the same columns'
    figures stand at the same places report after report."""
    if header.coords != "x" or not header.columns:
        return header.columns_of([part.slot(j) for j in tokens])
    entry = _PLACED.get(id(header))
    if entry is None or entry[0] is not header:
        if len(_PLACED) >= 1 << 10:
            _PLACED.clear()
        entry = _PLACED[id(header)] = (header, {})
    placed = entry[1]
    out: list[int | None] = []
    for j in tokens:
        coords, pos, half, _ = part.position(j)
        if coords != "x":
            out.append(None)
            continue
        column = placed.get((pos, half), _UNPLACED)
        if column is _UNPLACED:
            column = placed[(pos, half)] = _x_column(header, pos, half)
        out.append(column)  # type: ignore[arg-type]
    return out


def _shared(header: Header | None) -> Header | None:
    """One Header object per distinct header (this module only reads its headers), so that the
    places _columns_of worked out for it serve the next report printed under the same header."""
    if header is None:
        return None
    key = (header.coords, tuple(header.columns.items()), tuple(header.halves.items()), header.row_len)
    kept = _HEADERS.get(key)
    if kept is None:
        if len(_HEADERS) >= 1 << 10:
            _HEADERS.clear()
        kept = _HEADERS[key] = header
    return kept


_HEADERS: dict[tuple[object, ...], Header] = {}
_UNPLACED = object()
# id(header) → (the header, (centre, half width) → its column or None); the entry holds the header,
# so the id stays its own.
_PLACED: dict[int, tuple[Header, dict[tuple[float, float], int | None]]] = {}


def _x_column(header: Header, pos: float, half: float) -> int | None:
    """Header.columns_of's x-centre column of one figure at `pos` with half width `half`."""
    xs = sorted(header.columns)
    spans = [(x, x - header.halves.get(x, 0.0), x + header.halves.get(x, 0.0)) for x in xs]
    gap = min((b - a for a, b in pairwise(xs)), default=float("inf"))
    s0, s1 = pos - half, pos + half
    overlapping = [x for x, left, right in spans if left <= s1 and s0 <= right]
    nearest = min(overlapping or xs, key=lambda x: abs(x - pos))
    return header.columns[nearest] if overlapping or abs(nearest - pos) <= gap / 2 else None


# _fill's readable readings: kind of figure → its text → its reading (placement._reading's,
# shared), and each line's cells' dicts of them (the lines' targets are the template's tuples).
_READINGS: dict[str, dict[str, CellReading]] = {kind.name: {} for kind in FIGURE_KINDS}
_TARGET_READINGS: dict[tuple[CellKey, ...], tuple[dict[str, CellReading], ...]] = {}
_MAX_READINGS = 1 << 14


@cache
def _applicable(template: str) -> tuple[RuleInstance, ...]:
    """The rules place_figures checks for a report whose section 3 and 4 rows are all read."""
    present = {t for k in _row_keys(template, 3) for t in _targets(template, 3, "requests", k)}
    present.update(_all_targets(template))
    return tuple(r for r in rule_instances(template, _row_keys(template, 3)) if present.issuperset(r.cell_tuple))


@cache
def _rule_terms(template: str) -> tuple[tuple[CellKey, ...], tuple[tuple[int, int, tuple[int, ...]], ...]]:
    """The applicable rules' cells one after another, and per rule (start, end, coefficients)
    into them: a report's values for every rule are then looked up in one C-level map."""
    cells: list[CellKey] = []
    spans: list[tuple[int, int, tuple[int, ...]]] = []
    for rule in _applicable(template):
        spans.append((len(cells), len(cells) + len(rule.cell_tuple), rule.coefficients))
        cells.extend(rule.cell_tuple)
    return tuple(cells), tuple(spans)


@cache
def _rule_matrix(template: str) -> tuple[tuple[CellKey, ...], npt.NDArray[np.float64] | None]:
    """The applicable rules as a matrix: the distinct cells they name (each looked up once), and
    per rule its coefficients over them, so that every residual is one product; no matrix where a
    rule names a cell whose figures need not be whole (none of sections 3 and 4 does)."""
    cells: dict[CellKey, int] = {}
    rules = _applicable(template)
    for rule in rules:
        for cell in rule.cell_tuple:
            cells.setdefault(cell, len(cells))
    if not all(figure_kind(cell.column_key).whole for cell in cells):
        return tuple(cells), None
    matrix = np.zeros((len(rules), len(cells)))
    for r, rule in enumerate(rules):
        for cell, coefficient in zip(rule.cell_tuple, rule.coefficients, strict=True):
            matrix[r, cells[cell]] += coefficient
    matrix.flags.writeable = False
    return tuple(cells), matrix


_VALUE = attrgetter("value")


def _rules_hold(template: str, ruled: dict[CellKey, CellReading]) -> bool:
    """placement._checkable_hold(_applicable(template), ruled): every rule whose cells all hold a
    known value holds. A cell read here holds a whole number within its kind's limit (a count;
    _fill declines an unreadable one) or a blank's 0, so every residual is a whole number summed
    exactly in any order, and |residual| < 1e-6 is residual == 0: one matrix product says what
    summing each rule's products in order says."""
    cells, matrix = _rule_matrix(template)
    if matrix is None:
        return _rules_hold_in_order(template, ruled)
    try:
        vector = np.fromiter(map(_VALUE, map(ruled.__getitem__, cells)), np.float64, len(cells))
    except TypeError:  # a value not known (None): that rule is not checked
        return _rules_hold_in_order(template, ruled)
    return not (matrix @ vector).any()


def _rules_hold_in_order(template: str, ruled: dict[CellKey, CellReading]) -> bool:
    """Each rule's residual as placement sums it: the same products summed in the same order."""
    cells, spans = _rule_terms(template)
    values = [reading.value for reading in map(ruled.__getitem__, cells)]
    unknown = None in values
    for start, end, coefficients in spans:
        terms = values[start:end]
        if unknown and None in terms:
            continue  # a rule on an unreadable cell cannot be checked
        residual = sum(map(mul, coefficients, terms))
        if not abs(residual) < 1e-6:
            return False
    return True


def read_cells(parts: dict[int, list[Row]], template: str) -> dict[CellKey, CellReading] | None:
    """The cells of sections 2, 3 and 4 as the general readers and place_figures read them where
    the print places every figure and the rules (C1–C4) hold as printed (Reading.AS_PRINTED, no
    problem said); None where this one-pass reading declines (see the module's docstring) or the
    figures as printed break a rule: the caller then reads the tables with the general readers."""
    if not all(n in parts for n in (2, 3, 4)) or max(parts) <= 4:
        return None  # the tables end the document: what a report cut short says is theirs
    # Every cell of the three tables blank, each line then writing its printed cells: every row is
    # found (or the page declined), so every cell is one of a line's.
    cells = _all_blank(template).copy()
    try:
        part = _Part(parts[2])
        for line in _section2(part, template):
            _fill(part, line, cells)
        part = _Part(parts[3])
        for line in _section3(part, template):
            _fill(part, line, cells)
        part = _Part(parts[4])
        _fill(part, _section4(part, template), cells)
    except _Decline:
        return None
    if not _rules_hold(template, cells):
        return None  # the solver reads it (a repair, or no reading)
    return cells


@cache
def _all_blank(template: str) -> dict[CellKey, CellReading]:
    """The cells of sections 2 to 4 the lines of read_cells fill, each blank (made once; copied)."""
    keys = [t for spec in rows_for(template, 2) for t in _targets(template, 2, spec.table_key, spec.row_key)]
    keys += [t for k in _row_keys(template, 3) for t in _targets(template, 3, "requests", k)]
    keys += _all_targets(template)
    return dict.fromkeys(keys, _BLANK_CELL)
