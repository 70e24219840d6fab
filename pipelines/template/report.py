"""One raw file → one parsed report: metadata and every template cell, with what was repaired.

raw file → Document (pipelines.formats) → parts (pipelines.template.sections) → printed lines
(pipelines.template.printed_lines) → cells (pipelines.template.placement). Nothing here touches the warehouse.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from models.catalog import CellKey, cell_key, cells_for, figure_kind
from models.rules import RuleInstance, rule_instances
from models.vocab import Reading, ValueStatus
from pipelines.formats import read_document
from pipelines.formats.document import PICTURE_NOTE, Document, UnreadableDocument
from pipelines.formats.limits import ParseLimits
from pipelines.template.fast_tables import read_cells
from pipelines.template.labels import CellValue, normalize, parse_cell
from pipelines.template.metadata import SECTION4_ONLY, Metadata, read_metadata
from pipelines.template.narrative import StatedFigure, section2_stated, stated_figures
from pipelines.template.placement import CellReading, Repair, blank_cell, place_figures, token_cell
from pipelines.template.printed_lines import PrintedLine, SectionReading, figures_apart
from pipelines.template.run_on import unfold_run_on
from pipelines.template.section_tables import read_section2, read_section3, read_section4
from pipelines.template.sections import split_sections

_SUB_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_other")
_MISSING = CellReading(None, ValueStatus.MISSING, None)  # immutable: shared by every missing cell


class NotAReport(UnreadableDocument):
    """A readable file in which no report of either template can be recognised; `known` holds
    what could still be told about it (agency, year, sections found)."""

    def __init__(self, message: str, known: dict[str, object]) -> None:
        super().__init__(message)
        self.known = known


@dataclass
class ParsedReport:
    source_file: str
    source_sha256: str
    layout: str
    agency: str | None
    year: int | None
    template: str
    template_evidence: str
    cells: dict[CellKey, CellReading]
    # as_printed | repaired (the rules placed shifted figures) | ambiguous (a placement is a guess)
    # | unresolved (no placement satisfies the rules; figures kept as printed)
    # | no_figures (the tables' labels are printed without one figure: every cell missing)
    reading: str
    repairs: list[Repair] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what is missing or doubtful
    stated: list[StatedFigure] = field(default_factory=list)
    rules: list[RuleInstance] = field(default_factory=list)
    sections_found: list[int] = field(default_factory=list)


def parse_document(doc: Document) -> ParsedReport:
    doc = unfold_run_on(doc)
    meta = read_metadata(doc)
    name = doc.path.name
    parts = split_sections(doc)
    known: dict[str, object] = {
        "agency": meta.agency,
        "year": meta.year,
        "template": meta.template,
        "template_evidence": meta.template_evidence,
        "layout": doc.layout,
        "sections_found": sorted(parts),
        "sections_missing": [n for n in range(1, 7) if n not in parts],
    }
    if meta.template is None:
        raise NotAReport(f"{name}: no table of the 2019 or 2021 template found ({meta.template_evidence})", known)
    template = meta.template
    problems: list[str] = list(doc.notes)
    if meta.agency is None:
        problems.append(f"agency name not confidently found: {meta.agency_doubt}")
    elif meta.agency_doubt:
        problems.append(f"agency name {meta.agency} is probable, not certain: {meta.agency_doubt}")
    if meta.year is None:
        problems.append("statistics year not found in the text")

    # Text pages as most print their tables, every figure in its column and the rules holding as
    # printed, are read in one pass: the cells the general readers would give, read as printed.
    section4_only = meta.template_evidence.startswith(SECTION4_ONLY)
    fast = read_cells(parts, template) if doc.layout.startswith("text/") and not section4_only else None
    if fast is not None:
        # Every table row read: pictures the reader did not read are no problem (as below).
        problems = [p for p in problems if not (p in doc.notes and p.startswith(PICTURE_NOTE))]
        stated = stated_figures(doc)
        return _report(
            doc,
            meta,
            template,
            fast,
            Reading.AS_PRINTED,
            problems=problems,
            stated=stated,
            sections_found=sorted(parts),
        )
    apart = figures_apart([row for n in (2, 3, 4) for row in parts.get(n, [])])
    s2 = read_section2(parts.get(2, []), template, document_ends=max(parts, default=0) <= 2, figures_apart=apart)
    s3 = read_section3(parts.get(3) or (_last_row_before(doc, parts, 4) if section4_only else []), template)
    s4 = read_section4(parts.get(4, []), template)
    for number, reading in ((2, s2), (3, s3), (4, s4)):
        if number not in parts:
            problems.append(f"section {number} heading not found")
        if reading.missing_rows:
            problems.append(f"section {number}: rows not found: {', '.join(reading.missing_rows)}")
        problems.extend(f"section {number}: {n}" for n in reading.notes)
    if not any(r.lines for r in (s2, s3, s4)) and not any(n in parts for n in (2, 3, 4)):
        raise NotAReport(f"{name}: template {template} labels found, but no table row could be read", known)
    unprinted = _drop_unprinted_lines((2, s2), (3, s3), (4, s4), document_ends=max(parts, default=0) <= 4)
    printed = any(s.value.status != ValueStatus.BLANK for r in (s2, s3, s4) for line in r.lines for s in line.slots)
    if section4_only:
        if not printed:
            raise NotAReport(f"{name}: only section 4's labels found, and no figure under them", known)
        # One page of a report (a flip-book's): its section-4 cells; the other parts are on
        # other pages, their cells missing (never zeros), and the template is the year's guess.
        problems.append(
            "only section 4's table is printed, at most with section 3's last row (one page of the report, as "
            f"a flip-book's): the other cells are missing; the template ({template}) is the year's, nothing printed tells"
        )
    if not printed:
        # The tables' parts and labels and not one figure (tables printed as images, their cell
        # text lost, or the report cut before its first figure): the report is kept with what can
        # be told about it, every cell missing, never zeros.
        problems.append(
            "no figures: the tables are there but not one figure cell is printed (images, or cell text lost); "
            "every cell is missing"
        )
        return _report(doc, meta, template, {}, Reading.NO_FIGURES, problems=problems, sections_found=sorted(parts))
    problems.extend(unprinted)
    problems.extend(_trim_cut_row((2, s2), (3, s3), (4, s4), last_part=max(parts)))

    section3_rows = [line.targets[0].row_key for line in s3.lines]
    rules = rule_instances(template, section3_rows)
    stated = stated_figures(doc)
    ruled = place_figures(s3.lines + s4.lines, rules, {f.cell: f.value for f in stated if f.cell is not None})
    problems.extend(ruled.doubts)

    cells: dict[CellKey, CellReading] = {}
    uncertain_before = len(problems)
    repairs = list(ruled.repairs)
    cells.update(
        _positional(s2, problems, section2_stated(doc) if any(line.readings for line in s2.lines) else [], repairs)
    )
    cells.update(ruled.cells)
    outcome = ruled.outcome
    if outcome == Reading.AS_PRINTED and len(repairs) > len(ruled.repairs):
        outcome = Reading.REPAIRED  # the narrative chose a section-2 cut
    problems.extend(_unsure_unchecked(cells, ruled.cells))
    if outcome in (Reading.AS_PRINTED, Reading.REPAIRED) and len(problems) > uncertain_before:
        outcome = Reading.AMBIGUOUS  # a section-2 placement is a guess
    unreadable = unreadable_problems(cells)
    problems.extend(unreadable)
    if unreadable and outcome in (Reading.AS_PRINTED, Reading.REPAIRED):
        outcome = Reading.UNREADABLE_CELLS  # never clean: some figures are unknown
    if all(n in parts for n in (2, 3, 4)) and not any(r.missing_rows for r in (s2, s3, s4)):
        # Pictures the page shows but the reader did not read (a CMS page's logos, banners and QR
        # codes, linked from the site's root) could only matter where figures are missing: with
        # every table row read, they are no problem of the report.
        problems = [p for p in problems if not (p in doc.notes and p.startswith(PICTURE_NOTE))]
    # A 2021 report that prints （六）其他处理 as one row has that row (the 2019 key) and not the
    # three sub-rows: they are absent from the report, not 0 (shared/spec).
    collapsed = template == "2021" and "other_handling" in section3_rows

    return _report(
        doc,
        meta,
        template,
        cells,
        outcome,
        repairs=repairs,
        problems=problems,
        stated=stated,
        sections_found=sorted(parts),
        collapsed_other_handling=collapsed,
    )


def _report(
    doc: Document,
    meta: Metadata,
    template: str,
    cells: dict[CellKey, CellReading],
    reading: str,
    *,
    repairs: list[Repair] | None = None,
    problems: list[str],
    stated: list[StatedFigure] | None = None,
    sections_found: list[int],
    collapsed_other_handling: bool = False,
) -> ParsedReport:
    """Every template cell of the report: those read, the rest missing."""
    evidence = meta.template_evidence
    if doc.from_traditional:
        evidence += "; printed in traditional characters, read after conversion to simplified"
    # Every expected cell missing, in order, then those read put in place (a copy and a C-level
    # update; a cell read outside the expected ones, never seen, would take the comprehension).
    missing = _all_missing(template, collapsed_other_handling)
    out = missing.copy()
    out.update(cells)
    if len(out) != len(missing):
        out = {k: cells.get(k, _MISSING) for k in report_cells(template, collapsed_other_handling)}
    section3_rows = _section3_rows(template, collapsed_other_handling)
    return ParsedReport(
        source_file=doc.path.name,
        source_sha256=doc.sha256,
        layout=doc.layout,
        agency=meta.agency,
        year=meta.year,
        template=template,
        template_evidence=evidence,
        cells=out,
        reading=reading,
        repairs=repairs or [],
        problems=problems,
        stated=stated or [],
        rules=rule_instances(template, section3_rows),
        sections_found=sections_found,
    )


def _last_row_before(doc: Document, parts: dict[int, list], number: int) -> list:
    """Section 3's last row (四、结转下年度继续办理 0 0 0 0 0 0 0) right before part `number`'s heading,
    where no part comes before it: a flip-book's page that opens on it. Only that row: a page's
    header (Page 8 - X信访局…) must not be read as a row (信访 of 信访举报投诉类申请)."""
    rows = parts.get(number)
    if not rows or min(parts) != number:
        return []
    at = next((i for i, row in enumerate(doc.rows) if row is rows[0]), 0)
    before = doc.rows[at - 2] if at >= 2 else None
    return [before] if before is not None and "结转下年" in normalize(before.joined) else []


def _trim_cut_row(*sections: tuple[int, SectionReading], last_part: int) -> list[str]:
    """The document's last printed row, when the document ends inside it (no later part follows
    its table) and it has fewer cells than columns: a report cut short. The cells it prints are
    read left to right; the rest are missing, never blanks."""
    order = [(number, line) for number, reading in sections for line in reading.lines if line.slots]
    if not order:
        return []
    number, line = order[-1]
    if number != last_part or len(line.slots) >= len(line.targets) or line.readings:
        return []
    cut = line.targets[len(line.slots) :]
    line.targets = line.targets[: len(line.slots)]
    line.baseline = [k for k, s in enumerate(line.slots) if s.value.status != ValueStatus.BLANK]
    line.informed = True
    return [
        f"section {number}: the document ends inside {line.label!r} after {len(line.slots)} cells; "
        f"{', '.join(f'{c.row_key}.{c.column_key}' for c in cut)} are missing"
    ]


@cache
def _all_missing(template: str, collapsed_other_handling: bool) -> dict[CellKey, CellReading]:
    """report_cells, each missing (made once; only copied)."""
    return dict.fromkeys(report_cells(template, collapsed_other_handling), _MISSING)


@cache
def _section3_rows(template: str, collapsed_other_handling: bool) -> tuple[str, ...]:
    """The section-3 rows of report_cells, in order (fixed per template: made once)."""
    expected = report_cells(template, collapsed_other_handling)
    return tuple(dict.fromkeys(k.row_key for k in expected if k.section == 3))


def report_cells(template: str, collapsed_other_handling: bool = False) -> list[CellKey]:
    """The cells a report of this template has; a 2021 report whose （六）其他处理 is one row has
    that row's cells instead of its three sub-rows'."""
    cells = cells_for(template)
    if not collapsed_other_handling:
        return cells
    columns = [k.column_key for k in cells if k.section == 3 and k.row_key == "total_handled"]
    out: list[CellKey] = []
    for key in cells:
        if key.row_key in _SUB_ROWS:
            continue
        if key.row_key == "total_handled" and key.column_key == columns[0]:
            out.extend(cell_key(3, "requests", "other_handling", c) for c in columns)
        out.append(key)
    return out


def _drop_unprinted_lines(*sections: tuple[int, SectionReading], document_ends: bool) -> list[str]:
    """A row label with nothing at all printed after it is a blank row where the report goes on
    (text that dropped its empty cells). Where no row has a figure, or the document ends in the
    tables (no later part follows) after the last printed figure, the rows after it are a table
    whose figures were lost or a report cut short: missing, never zeros. Removes them from the
    sections and says which they were."""
    order = [(number, line) for number, reading in sections for line in reading.lines]
    last = max((k for k, (_, line) in enumerate(order) if line.slots), default=-1)
    if last >= 0 and not document_ends:
        return []
    dropped: dict[int, list[str]] = {}
    unprinted = {id(line) for _, line in order[last + 1 :]}
    for number, line in order[last + 1 :]:
        dropped.setdefault(number, []).append(line.targets[0].row_key if number != 4 else "review_litigation")
    for _, reading in sections:
        reading.lines = [line for line in reading.lines if id(line) not in unprinted]
    return [
        f"section {number}: nothing printed after the labels of {', '.join(keys)} (the table ends there); their cells are missing"
        for number, keys in dropped.items()
    ]


# Below this OCR confidence a figure that no rule checks is a doubt the report must state.
UNSURE_OCR = 0.9


def _unsure_unchecked(cells: dict[CellKey, CellReading], checked: dict[CellKey, CellReading]) -> list[str]:
    """OCR figures read with low confidence where the template has no arithmetic to check them
    (section 2): named, so the report is not loaded as exact."""
    return [
        f"section {k.section}: {k.row_key}.{k.column_key} read by OCR as {c.raw_text!r} with confidence "
        f"{c.confidence:.2f}; no rule checks it"
        for k, c in cells.items()
        if c.confidence is not None  # first: only OCR cells have one, and it needs no hash of k
        and k not in checked
        and c.confidence < UNSURE_OCR
        and c.status == ValueStatus.NUMBER
    ]


def unreadable_why(cell: CellKey, raw_text: str) -> str:
    """Why a cell's printed text is no figure the template allows."""
    kind = figure_kind(cell.column_key)
    value = parse_cell(raw_text)
    fault = kind.fault(value.value) if value is not None and value.value is not None else None
    return fault or f"a {kind.name} is printed in Arabic numerals"


def unreadable_problems(cells: dict[CellKey, CellReading]) -> list[str]:
    """One problem per unreadable cell, naming the cell and what it prints."""
    return [
        f"section {k.section}: {k.row_key}.{k.column_key} prints {c.raw_text!r}, not a figure the template allows "
        f"({unreadable_why(k, c.raw_text or '')}); its value is unknown (NULL)"
        for k, c in cells.items()
        if c.status == ValueStatus.UNREADABLE
    ]


def _fits(value: CellValue, column_key: str) -> bool:
    """Whether a printed figure may sit in the column: C5 (a negative figure only under 本年增/减)
    and the column's kind (decimals only in an amount); a figure not read fits anywhere."""
    if value.status != ValueStatus.NUMBER or value.value is None:
        return True
    kind = figure_kind(column_key)
    return (value.value >= 0 or kind.signed) and kind.fault(value.value) is None


def _allowed_placements(line: PrintedLine) -> list[tuple[int, ...]]:
    """The order-preserving placements of a row's figures that every figure's column allows."""
    tokens = line.tokens
    return [
        pos
        for pos in itertools.combinations(range(len(line.targets)), len(tokens))
        if all(_fits(t.value, line.targets[p].column_key) for t, p in zip(tokens, pos, strict=True))
    ]


def _values_of(line: PrintedLine, pos: Sequence[int]) -> tuple[float | None, ...]:
    """The row's values with its figures at `pos` (a cell left blank is 0; a figure not read None)."""
    values: list[float | None] = [0.0] * len(line.targets)
    for token, p in zip(line.tokens, pos, strict=False):
        values[min(p, len(values) - 1)] = token.value.value if token.value.status != ValueStatus.UNREADABLE else None
    return tuple(values)


def parse_file(path: Path, data: bytes | None = None, limits: ParseLimits | None = None) -> ParsedReport:
    """Parse one raw file (`data`: its bytes, if already read) under `limits` (default: from the
    environment); raises UnreadableDocument (or NotAReport) naming the file and why."""
    return parse_document(read_document(path, data, limits))


def _stated_cut(line: PrintedLine, stated: Sequence[StatedFigure]) -> int | None:
    """The one cut of a run-together row that agrees with every figure the narrative states for
    its cells (C7); None where the narrative states none of them, or several cuts (or none) agree."""
    said = {f.cell: f.value for f in stated if f.cell in line.targets}
    if not said:
        return None
    agree = [
        c
        for c, cut in enumerate(line.readings)
        if all(cut[line.targets.index(cell)].value.value == value for cell, value in said.items())
    ]
    return agree[0] if len(agree) == 1 else None


def _positional(
    reading: SectionReading,
    problems: list[str],
    stated: Sequence[StatedFigure] = (),
    repairs: list[Repair] | None = None,
) -> dict[CellKey, CellReading]:
    """Section 2 has no arithmetic to decide ambiguity: figures fill columns in printed order.
    A row with fewer figures than columns and no blank cells to show where they sit is read where
    C5 and the columns' kinds leave one reading of its values (a negative figure under 本年增/减, an
    amount with decimals under 采购总金额, zeros wherever they sit: a blank cell is 0 too); else it is
    a guess, and said to be one."""
    cells: dict[CellKey, CellReading] = {}
    for line in reading.lines:
        n = len(line.targets)
        cut = _stated_cut(line, stated) if line.readings else None
        if cut is not None:
            # C7: the narrative states figures of this row, and only one cut agrees with them
            line.slots = line.readings[cut]
            if repairs is not None:
                repairs.append(
                    Repair(
                        line.label,
                        (line.run,),
                        tuple(
                            (s.text, f"run {line.run!r}", f"{t.row_key}.{t.column_key}")
                            for s, t in zip(line.slots, line.targets, strict=False)
                        ),
                        f"figures printed run together can be cut into these cells in {len(line.readings)} ways; "
                        "only this one agrees with the figures the narrative states (C7)",
                    )
                )
        elif line.readings:  # figures run together, several cuts, no rule to choose: the first is a guess
            problems.append(f"section 2: {line.readings_doubt()}")
        baseline = line.baseline
        if not line.informed:
            allowed = _allowed_placements(line)
            if allowed:
                baseline = list(allowed[0])
            if len({_values_of(line, pos) for pos in allowed}) != 1 or None in _values_of(line, baseline):
                problems.append(
                    f"section 2: {len(line.tokens)} figures for {n} columns after {line.label!r} "
                    f"({line.targets[0].row_key}); their columns cannot be told apart, placed left to right"
                )
        for target in line.targets:
            cells[target] = blank_cell(line)
        used = -1
        for token, pos in zip(line.tokens, baseline, strict=False):
            pos = max(pos, used + 1)
            if pos >= len(line.targets):
                break
            cells[line.targets[pos]] = token_cell(token, line.targets[pos])
            used = pos
    return cells
