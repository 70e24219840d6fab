"""Document rows → printed lines tied to template cells.

For every template row whose label is found, the figures printed after it are collected as
*slots* (blank cells included: their positions are evidence). Which slot fills which template
column is decided later (``pipelines.reading``): here each figure only gets a *baseline* column,
the naive reading of its position, which the consistency rules may overrule for layouts that
shift or drop cells (text pulled out of PDFs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.catalog import CellKey, columns_for, rows_for
from pipelines.document import Row
from pipelines.labels import (
    SECTION3_COLUMN_LABELS,
    CellValue,
    parse_cell,
    section2_row_key,
    section3_row_key,
    strip_enumerator,
)


@dataclass(frozen=True)
class Slot:
    text: str
    value: CellValue
    grid_col: int | None  # position in its physical row; None where rows carry one cell each


@dataclass
class PrintedLine:
    """The figures printed for a run of template cells (one row, or section 4's 15 cells)."""

    label: str
    targets: list[CellKey]
    slots: list[Slot]
    baseline: list[int] = field(default_factory=list)  # per token: naive index into targets
    # False when the baseline is only "left to right" because nothing in the print shows where
    # the figures sit (as many figures as columns, as many slots, or header columns).
    informed: bool = True

    @property
    def tokens(self) -> list[Slot]:
        """Slots that were printed with something in them (blank slots carry no figure)."""
        return [s for s in self.slots if s.value.status != "blank"]


@dataclass
class SectionReading:
    lines: list[PrintedLine]
    missing_rows: list[str]  # row keys whose label was not found
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Cell:
    row: int
    col: int
    text: str
    multi: bool  # the physical row has more than one cell


def _cells(rows: list[Row]) -> list[_Cell | None]:
    """Cells in reading order; None marks an empty paragraph, which ends any run of figures."""
    out: list[_Cell | None] = []
    for r, row in enumerate(rows):
        if row.is_text and not row.joined.strip():
            out.append(None)
            continue
        # A paragraph is kept as a one-cell row: a table row that lost every figure cell in
        # extraction ("二、上年结转政府信息公开申请数量" alone on its line) is still a label.
        for c, text in enumerate(row.cells):
            out.append(_Cell(r, c, text, len(row.cells) > 1))
    return out


def _slots_after(cells: list[_Cell | None], i: int) -> list[Slot]:
    """Figures after the label at cells[i]: the rest of its physical row up to the next text
    cell; when the label ends its row (one cell per line), the following rows up to the next
    text cell."""
    label = cells[i]
    assert label is not None
    slots: list[Slot] = []
    same_row_follows = i + 1 < len(cells) and cells[i + 1] is not None and cells[i + 1].row == label.row
    j = i + 1
    while j < len(cells):
        cell = cells[j]
        if cell is None or (same_row_follows and cell.row != label.row):
            break
        value = parse_cell(cell.text)
        if value is None:
            break
        slots.append(Slot(cell.text, value, cell.col if same_row_follows and cell.multi else None))
        j += 1
    return slots


def baseline(slots: list[Slot], n_targets: int, header: dict[int, int] | None = None) -> tuple[list[int], bool]:
    """Naive target index of each printed figure, and whether the print supports it: in order
    when there are exactly as many figures (or slots) as targets, else by the header's grid
    columns, else left-aligned (unsupported)."""
    tokens = [(k, s) for k, s in enumerate(slots) if s.value.status != "blank"]
    if len(tokens) == n_targets:
        return list(range(n_targets)), True
    if len(slots) == n_targets:
        return [k for k, _ in tokens], True
    if header and tokens and all(s.grid_col in header for _, s in tokens):
        return [header[s.grid_col] for _, s in tokens], True  # type: ignore[index]
    return [min(k, n_targets - 1) for k, _ in tokens], not tokens


def _line(label: str, targets: list[CellKey], slots: list[Slot], header: dict[int, int] | None = None) -> PrintedLine:
    base, informed = baseline(slots, len(targets), header)
    return PrintedLine(label, targets, slots, base, informed)


def read_section2(rows: list[Row], template: str) -> SectionReading:
    cells = _cells(rows)
    found: dict[str, list[Slot]] = {}
    labels: dict[str, str] = {}
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        key = section2_row_key(cell.text)
        if key is None or key in found:
            continue
        # A label with no figure cells after it is a row printed (or extracted) all blank.
        found[key] = _slots_after(cells, i)
        labels[key] = cell.text
    lines: list[PrintedLine] = []
    missing: list[str] = []
    for spec in rows_for(template, 2):
        targets = [CellKey(2, spec.table_key, spec.row_key, c.column_key) for c in columns_for(template, spec.table_key)]
        if spec.row_key not in found:
            missing.append(spec.row_key)
            continue
        slots = found[spec.row_key]
        lines.append(_line(labels[spec.row_key], targets, slots))
    return SectionReading(lines, missing)


def read_section3(rows: list[Row], template: str) -> SectionReading:
    cells = _cells(rows)
    col_keys = [c.column_key for c in columns_for(template, "requests")]
    header: dict[int, int] = {}  # grid column → index into col_keys
    found: dict[str, tuple[str, list[Slot]]] = {}
    previous: str | None = None
    in_body = False
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        key = section3_row_key(cell.text)
        plain = strip_enumerator(cell.text)
        if not in_body:
            if key in (None, "total_handled", "other_other"):
                column = SECTION3_COLUMN_LABELS.get(plain)
                if column is not None and cell.multi:
                    header.setdefault(cell.col, col_keys.index(column))
                continue
            in_body = True
        if key is None:
            continue
        # 其他 alone is the third row of （六）其他处理 only right after that group.
        if key == "other_other" and previous not in ("other_handling", "other_overdue_correction", "other_unpaid_fee"):
            continue
        previous = key
        slots = _slots_after(cells, i)
        if key not in found or (not found[key][1] and slots):
            found[key] = (cell.text, slots)

    row_specs = rows_for(template, 3)
    row_keys = [r.row_key for r in row_specs]
    notes: list[str] = []
    # 2021 prints （六）其他处理 as a group of three rows; some reports collapse it into one row.
    collapsed = (
        template == "2021"
        and "other_handling" in found
        and found["other_handling"][1]
        and not any(k in found for k in ("other_overdue_correction", "other_unpaid_fee", "other_other"))
    )
    if collapsed:
        notes.append("（六）其他处理 is printed as one row instead of its three sub-rows")
        row_keys = [k for k in row_keys if not k.startswith("other_")]
        row_keys.insert(row_keys.index("total_handled"), "other_handling")

    lines: list[PrintedLine] = []
    missing: list[str] = []
    for row_key in row_keys:
        if row_key not in found:
            missing.append(row_key)
            continue
        label, slots = found[row_key]
        targets = [CellKey(3, "requests", row_key, c) for c in col_keys]
        lines.append(_line(label, targets, slots, header))
    return SectionReading(lines, missing, notes)


_PROCEEDINGS = {
    "行政复议": "administrative_review",
    "未经复议直接起诉": "litigation_without_review",
    "复议后起诉": "litigation_after_review",
}


def read_section4(rows: list[Row], template: str) -> SectionReading:
    cells = _cells(rows)
    row_keys = [r.row_key for r in rows_for(template, 4)]
    col_keys = [c.column_key for c in columns_for(template, "review_litigation")]

    def targets_of(row_key: str) -> list[CellKey]:
        return [CellKey(4, "review_litigation", row_key, c) for c in col_keys]

    # One row per proceeding, each with its label (some HTML and DOCX tables are drawn so).
    per_row: dict[str, tuple[str, list[Slot]]] = {}
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        key = _PROCEEDINGS.get(strip_enumerator(cell.text))
        if key and key not in per_row:
            slots = _slots_after(cells, i)
            if any(s.value.status != "blank" for s in slots):
                per_row[key] = (cell.text, slots)
    if len(per_row) == len(row_keys):
        lines = [_line(per_row[k][0], targets_of(k), per_row[k][1]) for k in row_keys]
        return SectionReading(lines, [])

    # The template's layout: a three-level header, then all 15 figures in one row. Take the last
    # run of figure cells in the part (the header may hold stray fragments of split labels).
    runs: list[list[Slot]] = []
    current: list[Slot] = []
    for cell in cells:
        value = parse_cell(cell.text) if cell is not None else None
        if value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(Slot(cell.text, value, None))
    if current:
        runs.append(current)
    runs = [r for r in runs if any(s.value.status != "blank" for s in r)]
    if not runs:
        return SectionReading([], row_keys)
    slots = runs[-1]
    # Blank cells at the run's edges are the neighbouring rows' padding, not figures.
    while slots and slots[0].value.status == "blank" and len(slots) > 15:
        slots = slots[1:]
    while slots and slots[-1].value.status == "blank" and len(slots) > 15:
        slots = slots[:-1]
    all_targets = [t for k in row_keys for t in targets_of(k)]
    line = _line("行政复议/行政诉讼", all_targets, slots)
    return SectionReading([line], [])

