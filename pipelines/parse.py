"""One raw file → one parsed report: metadata and every template cell, with what was repaired.

raw file → Document (pipelines.readers) → parts (pipelines.sections) → printed lines
(pipelines.align) → cells (pipelines.reading). Nothing here touches the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from models.catalog import CellKey, cells_for, rows_for
from pipelines.align import SectionReading, read_section2, read_section3, read_section4
from pipelines.document import Document, UnreadableDocument
from pipelines.labels import to_simplified
from pipelines.metadata import read_metadata
from pipelines.narrative import StatedFigure, stated_figures
from pipelines.reading import CellReading, Repair, resolve
from pipelines.readers import read_document
from pipelines.rules import RuleInstance, rule_instances
from pipelines.sections import split_sections

_SUB_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_other")


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
    reading: str
    repairs: list[Repair] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what is missing or doubtful
    stated: list[StatedFigure] = field(default_factory=list)
    rules: list[RuleInstance] = field(default_factory=list)
    sections_found: list[int] = field(default_factory=list)


def _simplified(doc: Document) -> Document:
    """A report in traditional characters (mirror sites convert whole pages) read as simplified, so
    its labels match the template's; a simplified report is returned as it is, unconverted."""
    text = to_simplified(doc.text)
    if text is doc.text:
        return doc
    rows = tuple(replace(r, cells=tuple(map(to_simplified, r.cells))) for r in doc.rows)
    return replace(doc, text=text, rows=rows)


def parse_document(doc: Document) -> ParsedReport:
    doc = _simplified(doc)
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
    problems: list[str] = []
    if meta.agency is None:
        problems.append(f"agency name not confidently found: {meta.agency_doubt}")
    elif meta.agency_doubt:
        problems.append(f"agency name {meta.agency} is probable, not certain: {meta.agency_doubt}")
    if meta.year is None:
        problems.append("statistics year not found in the text")

    s2 = read_section2(parts.get(2, []), template)
    s3 = read_section3(parts.get(3, []), template)
    s4 = read_section4(parts.get(4, []), template)
    for number, reading in ((2, s2), (3, s3), (4, s4)):
        if number not in parts:
            problems.append(f"section {number} heading not found")
        if reading.missing_rows:
            problems.append(f"section {number}: rows not found: {', '.join(reading.missing_rows)}")
        problems.extend(f"section {number}: {n}" for n in reading.notes)
    if not any(r.lines for r in (s2, s3, s4)):
        raise NotAReport(f"{name}: template {template} labels found, but no table figures could be read", known)

    section3_rows = [line.targets[0].row_key for line in s3.lines]
    rules = rule_instances(template, section3_rows)
    stated = stated_figures(doc)
    ruled = resolve(s3.lines + s4.lines, rules, {f.cell: f.value for f in stated if f.cell is not None})
    problems.extend(ruled.doubts)

    cells: dict[CellKey, CellReading] = {}
    uncertain_before = len(problems)
    cells.update(_positional(s2, problems))
    cells.update(ruled.cells)
    reading = ruled.outcome
    if reading in ("as_printed", "repaired") and len(problems) > uncertain_before:
        reading = "ambiguous"  # a section-2 placement is a guess
    if template == "2021":
        _expand_collapsed_other_handling(cells, problems)

    expected = cells_for(template)
    out = {k: cells.get(k, CellReading(None, "missing", None)) for k in expected}
    return ParsedReport(
        source_file=name,
        source_sha256=doc.sha256,
        layout=doc.layout,
        agency=meta.agency,
        year=meta.year,
        template=template,
        template_evidence=meta.template_evidence,
        cells=out,
        reading=reading,
        repairs=ruled.repairs,
        problems=problems,
        stated=stated,
        # The checks run on the final cells: a collapsed （六）其他处理 is its sub-rows by now.
        rules=rule_instances(template, [r.row_key for r in rows_for(template, 3)]),
        sections_found=sorted(parts),
    )


def parse_file(path: Path, data: bytes | None = None) -> ParsedReport:
    """Parse one raw file (`data`: its bytes, if already read); raises UnreadableDocument (or
    NotAReport) naming the file and why."""
    return parse_document(read_document(path, data))


def _positional(reading: SectionReading, problems: list[str]) -> dict[CellKey, CellReading]:
    """Section 2 has no arithmetic to decide ambiguity: figures fill columns in printed order.
    A row with fewer figures than columns and no blank cells to show where they sit is a guess,
    and said to be one."""
    cells: dict[CellKey, CellReading] = {}
    for line in reading.lines:
        n = len(line.targets)
        if not line.informed:
            problems.append(
                f"section 2: {len(line.tokens)} figures for {n} columns after {line.label!r}; "
                "their columns cannot be told apart, placed left to right"
            )
        for target in line.targets:
            cells[target] = CellReading(0.0, "blank", "")
        used = -1
        for token, pos in zip(line.tokens, line.baseline):
            pos = max(pos, used + 1)
            if pos >= len(line.targets):
                break
            cells[line.targets[pos]] = CellReading(token.value.value, token.value.status, token.text)
            used = pos
    return cells


def _expand_collapsed_other_handling(cells: dict[CellKey, CellReading], problems: list[str]) -> None:
    """A 2021 report that prints （六）其他处理 as one row: where that row is all zero, its three
    sub-rows are zero too (they are non-negative and sum to it); otherwise they stay missing."""
    group = {k: v for k, v in cells.items() if k.row_key == "other_handling"}
    if not group:
        return
    for key, reading in group.items():
        del cells[key]
        if (reading.value or 0.0) == 0.0:
            for sub in _SUB_ROWS:
                cells[CellKey(3, "requests", sub, key.column_key)] = CellReading(0.0, reading.status, reading.raw_text)
    if any((r.value or 0.0) != 0.0 for r in group.values()):
        problems.append("section 3: （六）其他处理 printed as one non-zero row; its three sub-rows cannot be told apart")
