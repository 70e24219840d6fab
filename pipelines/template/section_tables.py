"""The template's three tables read from a part's rows: section 2 (figures per 第二十条 item, under
their header columns), section 3 (applications by applicant type: its rows, or a collapsed
（六）其他处理), section 4 (review and litigation: one row per proceeding, or the template's one row
of 15 figures). Each gives a SectionReading of printed lines (pipelines.template.printed_lines)
for placement to settle.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from models.catalog import CellKey, cell_key, columns_for, rows_for
from models.vocab import ValueStatus
from pipelines.formats.document import Row
from pipelines.template.labels import (
    SECTION2_ROW_LABELS,
    SECTION3_COLUMN_LABELS,
    SECTION4_COLUMN_LABELS,
    nfkc,
    parse_cell,
    section2_column_key_among,
    section2_column_of_word,
    section2_line_words,
    section2_row_key,
    section3_printed_order,
    section3_row_key,
    strip_enumerator,
)
from pipelines.template.printed_lines import (
    OTHER_SUB_ROWS,
    PROCEEDINGS,
    Header,
    PrintedLine,
    SectionReading,
    Slot,
    StreamCell,
    _Label,
    cell_stream,
    figures_of,
    find_labels,
    printed_line,
    settle,
    slots_after,
)

_T = TypeVar("_T")


def read_section2(
    rows: list[Row], template: str, *, document_ends: bool = False, figures_apart: bool = False
) -> SectionReading:
    """`document_ends`: no later part follows this one, so a text cut short ends in its table.
    `figures_apart`: the document prints one figure per paragraph (printed_lines.figures_apart)."""
    cells = cell_stream(rows)
    specs = rows_for(template, 2)
    column_labels = _section2_column_labels(template)
    header_cells = _section2_header_cells(template)
    if len(header_cells) > 1 << 14:
        header_cells.clear()  # bounded, as an lru_cache would be
    found: dict[str, tuple[str, list[Slot], dict[float, str], str, dict[float, float], int]] = {}
    header: dict[float, str] = {}  # position → column_key, from the latest header row
    halves: dict[float, float] = {}
    header_row, header_coords, header_len = -1, "grid", 0
    notes: list[str] = []
    worded: dict[str, tuple[str, list[str]]] = {}  # a label printing no figure, and the texts after it
    found_labels = find_labels(cells, section2_row_key)
    bounds = {lab.start: nxt.start for lab, nxt in itertools.pairwise(found_labels)}
    labels = {lab.start: lab for lab in found_labels}
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        column = None
        if cell.multi:
            column = header_cells.get(cell.text, _UNSEEN)
            if column is _UNSEEN:
                column = header_cells[cell.text] = section2_column_key_among(cell.text, column_labels)
        if column is not None:
            if cell.row != header_row:
                header, halves, header_row, header_coords, header_len = {}, {}, cell.row, cell.coords, cell.row_len
            header[cell.pos] = column
            halves[cell.pos] = cell.half
            continue
        label = labels.get(i)
        if label is None or (label.key in found and found[label.key][1]):
            continue
        # A label with no figure cells after it is a row printed (or extracted) all blank.
        slots = figures_of(cells, label, bounds.get(i, len(cells)))
        if document_ends and i not in bounds:
            table_key = next(r.table_key for r in specs if r.row_key == label.key)
            slots, fragment = _without_cut_fragment(label.text, slots, len(_targets(template, 2, table_key, label.key)))
            if fragment:
                notes.append(fragment)
        if not any(s.value.status != ValueStatus.BLANK for s in slots):
            # Nothing printed after the label but text: its words and figures may be on the next line.
            after = [
                c.text for c in cells[label.end + 1 : bounds.get(i, len(cells))] if c is not None and c.slot is None
            ]
            if any(ch.isdigit() for text in after for ch in text):
                worded[label.key] = (label.text, after)
        found[label.key] = (
            label.text,
            slots,
            dict(header),
            header_coords,
            dict(halves),
            header_len,
        )
    if "regulations" not in found:
        unlabelled = _unlabelled_first_row(cells, found_labels, template)
        if unlabelled:
            found["regulations"] = ("", unlabelled, {}, header_coords, {}, 0)
            notes.append(
                "规章's row is printed without its label: the figures between the header and 行政规范性文件 read as 规章's"
            )
    lines: list[PrintedLine] = []
    missing: list[str] = []
    unfound = [spec.row_key for spec in specs if spec.row_key not in found]
    # Rows no table printed may be printed as a line each, their figures tied to column words.
    by_words = section2_lines(rows, template, unfound) if unfound else {}
    for key, (label_text, after) in worded.items():
        # 规章 on a line of its own, 本年制发件数3件，本年废止件数1件，现行有效件数12件 on the next.
        table_key = next(r.table_key for r in specs if r.row_key == key)
        segments = _segments(_line_text(f"{label_text} {' '.join(after)}"))  # the label's, then the next row's
        if not segments or segments[0][0] != key:
            continue
        label_line = _line_of(segments[0][2], segments[0][1], template, table_key, key)
        if label_line is not None:
            by_words[key] = label_line
    if by_words:
        notes.append(
            "printed as a line a row, not as a table, each figure read under the column its word names "
            f"(or, with no column word, in the columns' order): {', '.join(by_words)}"
        )
    for spec in specs:
        if spec.row_key in by_words:
            line, note = by_words[spec.row_key]
            lines.append(line)
            if note:
                notes.append(note)
            continue
        if spec.row_key not in found:
            missing.append(spec.row_key)
            continue
        targets = list(_targets(template, 2, spec.table_key, spec.row_key))
        label_text, slots, seen, coords, seen_halves, seen_len = found[spec.row_key]
        keys = _column_keys(template, spec.table_key)
        mapped = {pos: keys.index(k) for pos, k in seen.items() if k in keys}
        row_header = Header(coords, mapped, seen_halves, seen_len) if len(keys) > 1 else None
        if row_header is not None and not row_header.consistent(len(keys)):
            row_header = None
        lines.append(printed_line(label_text, targets, slots, row_header, figures_apart=figures_apart))
    return settle(SectionReading(lines, missing, notes))


_UNSEEN = "\0unseen"


# Section 2 printed as a line a row, not as a table: `规章：本年新制发0件，本年新废止0件，现行有效0件。`,
# `行政许可：本年处理决定数量125件`, or a row that lost its grid with the columns' words between its
# figures (`规章 本年制发件数 0 本年废止件数 0 现行有效件数 0`). A row label opens the line or a clause of
# it (never inside a sentence: 制发规范性文件3件 is prose); each figure is tied to the word right
# before it. Notes in brackets (单位：万元, a 2019 gloss) are no words of the line.
_LINE_ROW_LABEL = re.compile("|".join(sorted(map(re.escape, SECTION2_ROW_LABELS), key=len, reverse=True)))
_LINE_NOTE = re.compile(r"\([^()]*\)")
# Thousands grouped only where every group is whole (1,234); 0,123 and 1547,2252 are figures apart.
_LINE_FIGURE = re.compile(
    r"(?P<sign>[+-])?(?P<num>(?:[1-9]\d{0,2}(?:,\d{3}(?!\d))+|\d+)(?:\.\d+)?)\s*(?P<unit>万元|元|件|项|个|条|次)?"
)
_LINE_CJK = re.compile(r"[\u3400-\u9fff]")
# What may stand between a word and its figure, or between clauses: punctuation, spaces, 为/共/计.
_LINE_GLUE = re.compile(r"[\s:;,.、。|/为是共计达]+$")
_LINE_WORD = re.compile(r"[\u3400-\u9fff/]+$")
_LINE_EMPTY = re.compile(r"[\s:;,.、。|]*")
# The next row's enumerator (二、 2. 2、) left at a line's end when rows share a paragraph.
_LINE_NEXT_ENUM = re.compile(r"(?:[一二三四五六七八九十]+、|\d+[.、])\s*$")


def _line_text(text: str) -> str:
    """A line as the line reader reads it: NFKC, notes in brackets left out; a full-width comma parts
    figures, never groups thousands (0，6，281), so it is kept apart from NFKC's ','."""
    return _LINE_NOTE.sub("", nfkc(text.replace("，", "；")))


def _segments(text: str) -> list[tuple[str, str, str]]:
    """(row key, label, segment) for each row label that opens the text or a clause of it (never one
    inside a sentence's words), its segment running to the next such label (without that label's
    enumerator, 二、 2.)."""
    starts = [m for m in _LINE_ROW_LABEL.finditer(text) if m.start() == 0 or not _LINE_CJK.match(text[m.start() - 1])]
    out = []
    for m, nxt in zip(starts, [*starts[1:], None], strict=False):
        segment = _LINE_NEXT_ENUM.sub("", text[m.start() : nxt.start()]) if nxt else text[m.start() :]
        out.append((SECTION2_ROW_LABELS[m.group()], m.group(), segment))
    return out


def section2_lines(rows: list[Row], template: str, wanted: Sequence[str]) -> dict[str, tuple[PrintedLine, str]]:
    """The section-2 rows in `wanted` (those no table printed) that the part prints as a line each:
    row key → its printed line and what to say of it. A figure is read under the column its word
    names (section2_line_words: the template's own labels); a line naming only some columns gives
    only those cells (the others missing, said); a figure whose word names no column of the row is
    not read. A line printing no column word at all (规章：0件，1件，12件) is read in the columns'
    order only where it prints nothing but the label and one figure for each of the row's cells."""
    specs = {r.row_key: r for r in rows_for(template, 2)}
    out: dict[str, tuple[PrintedLine, str]] = {}
    for row in rows:
        text = _line_text(" ".join(row.cells))  # cells apart: a table row's 规章 | 0 is no 规章0
        if not any(ch.isdigit() for ch in text):
            continue
        for key, label, segment in _segments(text):
            if key not in wanted or key in out or key not in specs:
                continue
            read = _line_of(segment, label, template, specs[key].table_key, key)
            if read is not None:
                out[key] = read
    return out


def _line_of(segment: str, label: str, template: str, table_key: str, row_key: str) -> tuple[PrintedLine, str] | None:
    """One row's line (`segment`: its label and what follows up to the next row label)."""
    labels = tuple((c.column_label, c.column_key) for c in columns_for(template, table_key))
    words = section2_line_words(labels)
    keys = [key for _, key in labels]
    targets = _targets(template, 2, table_key, row_key)
    tied: dict[int, Slot] = {}
    untied: list[str] = []
    figures: list[Slot] = []
    rest, at = [], len(label)
    for m in _LINE_FIGURE.finditer(segment, len(label)):
        after = segment[m.end("num") : m.end("num") + 1]
        if after in ("年", "月", "日", "号", "%") or segment[m.start() - 1 : m.start()] == "第":
            continue  # a date, a share or an item's number: no figure of the row
        printed = m.group().replace(" ", "")
        value = parse_cell(printed)
        if value is None:
            continue
        slot = Slot(printed, value, None)
        figures.append(slot)
        before = _LINE_GLUE.sub("", segment[at : m.start()])
        rest.append(segment[at : m.start()])
        at = m.end()
        word = _LINE_WORD.search(before)
        column = section2_column_of_word(word.group(), words) if word else None
        if column is None or keys.index(column) in tied:
            untied.append(printed)
            continue
        tied[keys.index(column)] = slot
    rest.append(segment[at:])
    if not tied:
        # No column word: a grid-less row, read in order only where it is nothing but its figures.
        if len(figures) != len(keys) or any(_LINE_EMPTY.fullmatch(r) is None for r in rest):
            return None
        return printed_line(label, list(targets), figures), ""
    order = sorted(tied)
    line = printed_line(label, [targets[j] for j in order], [tied[j] for j in order])
    said = []
    unnamed = [targets[j] for j in range(len(keys)) if j not in tied]
    if unnamed:
        said.append(f"{', '.join(f'{t.row_key}.{t.column_key}' for t in unnamed)} not named in it: missing")
    if untied:
        said.append(f"{', '.join(untied)} after no word of the row's columns: not read")
    return line, f"{label}'s line ({row_key}): {'; '.join(said)}" if said else ""


def _unlabelled_first_row(cells: list[StreamCell | None], labels: list[_Label], template: str) -> list[Slot] | None:
    """The figures of 规章's row printed without its label (a CMS leaving the cell empty): those after
    第二十条第（一）项's header and before 行政规范性文件's label, with nothing but empty cells among them;
    None where anything else stands there or there are more figures than the row's cells."""
    start = next((lab.start for lab in labels if lab.key == "normative_documents"), None)
    if start is None:
        return None
    slots: list[Slot] = []
    i = start - 1
    while i >= 0:
        cell = cells[i]
        if cell is not None and cell.slot is not None:
            slots.append(cell.slot)
        elif cell is not None and cell.text.strip():
            break
        i -= 1
    slots.reverse()
    keys = _column_keys(template, "art20_1")
    while len(slots) > len(keys) and slots[0].value.status == ValueStatus.BLANK:
        slots = slots[1:]  # the label's own empty cell, read as a blank figure
    if i < 0 or not slots or len(slots) > len(keys):
        return None
    # The header's last cell, or the last line of it wrapped (对外公开 / 总数量).
    text = strip_enumerator(cells[i].text)  # type: ignore[union-attr]
    names = [c.column_label for c in columns_for(template, "art20_1")]
    return slots if len(text) >= 2 and any(text in label for label in names) else None


@cache
def _section2_header_cells(template: str) -> dict[str, str | None]:
    """Cell text → the section-2 column it names (section2_column_key_among), per template,
    filled as texts come: a lookup by the text skips hashing the template's label pairs."""
    return {}


@cache
def _targets(template: str, section: int, table_key: str, row_key: str) -> tuple[CellKey, ...]:
    """A row's cells, in column order (fixed per template: made once)."""
    return tuple(cell_key(section, table_key, row_key, c.column_key) for c in columns_for(template, table_key))


@cache
def _column_keys(template: str, table_key: str) -> list[str]:
    """A table's column keys in order (read only)."""
    return [c.column_key for c in columns_for(template, table_key)]


@cache
def _section2_column_labels(template: str) -> tuple[tuple[str, str], ...]:
    """The template's section-2 header labels with their column keys, made once per template."""
    tables = dict.fromkeys(r.table_key for r in rows_for(template, 2))
    return tuple({c.column_label: c.column_key for t in tables for c in columns_for(template, t)}.items())


def _section3_accept(previous: str | None, key: str) -> bool:
    # 其他 alone is a header (法人或其他组织 › 其他) or the third row of （六）其他处理, only
    # right after that group's rows.
    return key != "other_other" or previous in ("other_handling", "other_overdue_correction", "other_unpaid_fee")


def read_section3(rows: list[Row], template: str) -> SectionReading:
    cells = cell_stream(rows)
    col_keys = [c.column_key for c in columns_for(template, "requests")]
    header: Header | None = None
    found: dict[str, tuple[str, list[Slot]]] = {}
    # Header labels (总计, 其他 …) come before the first row label; after it they are rows.
    labels = find_labels(cells, section3_row_key, _section3_accept)
    body = next((lab.start for lab in labels if lab.key not in ("total_handled", "other_other")), len(cells))
    if template == "2021" and any(lab.key in OTHER_SUB_ROWS and lab.start >= body for lab in labels):
        # （六）其他处理 heads its three sub-rows here: a group label, not a row of figures.
        labels = [lab for lab in labels if lab.key != "other_handling"]
    for cell in cells[:body]:
        column = SECTION3_COLUMN_LABELS.get(strip_enumerator(cell.text)) if cell is not None else None
        if cell is not None and column is not None and cell.multi:
            header = header or Header(cell.coords, {}, row_len=cell.row_len)
            if header.row_len != cell.row_len:
                header.row_len = None  # header rows of different lengths: indexes are no columns
            if cell.coords == header.coords:
                header.columns.setdefault(cell.pos, col_keys.index(column))
                header.halves.setdefault(cell.pos, cell.half)
    if header is not None and not header.consistent(len(col_keys)):
        header = None
    order = section3_printed_order([c.text for c in cells[:body] if c is not None], col_keys)
    notes: list[str] = []
    shares: list[str] = []
    # A header naming the year before's column (上年同期): the rows' figures past their cells are its.
    prior = next(
        (c.text.strip() for c in cells[:body] if c is not None and _PRIOR_YEAR.match("".join(c.text.split()))), None
    )
    for n, label in enumerate(labels):
        if label.start < body:
            continue
        bound = labels[n + 1].start if n + 1 < len(labels) else len(cells)
        slots = figures_of(cells, label, bound)
        if n + 1 == len(labels) and bound == len(cells):
            slots, cut_label = _without_cut_label(label.text, slots, len(_targets(template, 3, "requests", label.key)))
            if cut_label:
                notes.append(cut_label)
        slots, share = _without_shares(slots, len(col_keys))
        if share and not shares:
            shares.append(share)
            notes.append(
                f"a share ({label.text}: {share}) is printed after the rows' {len(col_keys)} cells: no cell of the template"
            )
        if prior is not None:
            slots, extra = _without_past(slots, len(col_keys))
            if extra and not any(prior in note for note in notes):
                notes.append(
                    f"a column of the year before ({prior}; {label.text}: {extra}) is printed after the rows' "
                    f"{len(col_keys)} cells: no cell of the template, set aside"
                )
        if label.key not in found or (not found[label.key][1] and slots):
            found[label.key] = (label.text, slots)

    row_specs = rows_for(template, 3)
    row_keys = [r.row_key for r in row_specs]
    # 2021 prints （六）其他处理 as a group of three rows; some reports collapse it into one row.
    collapsed = (
        template == "2021"
        and "other_handling" in found
        and found["other_handling"][1]
        and not any(k in found for k in OTHER_SUB_ROWS)
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
        label_text, slots = found[row_key]
        lines.append(printed_line(label_text, _printed_targets(template, row_key, order), slots, header))
    return settle(SectionReading(lines, missing, notes))


def _printed_targets(template: str, row_key: str, order: tuple[int, ...] | None) -> list[CellKey]:
    """A section-3 row's cells in the order its header prints the columns (section3_printed_order)."""
    targets = _targets(template, 3, "requests", row_key)
    return list(targets) if order is None else [targets[i] for i in order]


_ENUMERATED = re.compile(r"^(\d)[.、]")
# A share printed in a column after the row's cells (公开率, 占比: 35%, 12.5%): no template cell.
_SHARE = re.compile(r"^\d+(?:\.\d+)?[%\uff05]$")


def _without_shares(slots: list[Slot], n_cells: int) -> tuple[list[Slot], str | None]:
    """The row's slots without the shares printed after its n_cells figures (and the empty cells
    after them), and the first share, or the slots as they are where there is none."""
    filled = [k for k, s in enumerate(slots) if s.value.status != ValueStatus.BLANK]
    if len(filled) <= n_cells or not all(_SHARE.match(slots[k].text.strip()) for k in filled[n_cells:]):
        return slots, None
    return slots[: filled[n_cells]], slots[filled[n_cells]].text.strip()


# A column of the year before's figures, named so in section 3's header (上年同期 | 12 after 总计).
_PRIOR_YEAR = re.compile(r"^(?:上年|去年|上一年)(?:同期|总计|合计|数|数量|度)?$")


def _without_past(slots: list[Slot], n_cells: int) -> tuple[list[Slot], str | None]:
    """The row's slots up to its n_cells-th figure (the empty cells between them kept) and the
    figures past it, as printed, or the slots as they are where it prints no more."""
    filled = [k for k, s in enumerate(slots) if s.value.status != ValueStatus.BLANK]
    if len(filled) <= n_cells:
        return slots, None
    return slots[: filled[n_cells]], " | ".join(slots[k].text.strip() for k in filled[n_cells:])


def _without_cut_label(label: str, slots: list[Slot], n_cells: int) -> tuple[list[Slot], str | None]:
    """The last row of a text that stops right after the next sub-row label's number (1.属于国家秘密,
    its seven figures, then the 2 of 2.其他法律…, where a stored page was cut): that number is no
    figure of the row. Only a lone whole number one past the row's own, after exactly as many
    figures as the row has cells."""
    own = _ENUMERATED.match(label)
    figures = [s for s in slots if s.value.status != ValueStatus.BLANK]
    if own is None or len(figures) != n_cells + 1 or figures[-1] is not slots[-1]:
        return slots, None
    if figures[-1].text.strip() != str(int(own.group(1)) + 1):
        return slots, None
    return slots[:-1], (
        f"the text stops after {label!r}'s figures and a lone {figures[-1].text.strip()!r}, the number of the "
        "next sub-row's label cut short; not read as a figure"
    )


def _without_cut_fragment(label: str, slots: list[Slot], n_cells: int) -> tuple[list[Slot], str | None]:
    """The document's last row when the stored text stops a few characters into what follows the
    table (政府集中采购, 0, 0, then the 20 of 2020年…): after exactly as many figures as the row has
    cells, each a cell of its own, one more lone whole number is what the cut left, no figure of
    the row (a row holds no more figures than cells)."""
    if len(slots) != n_cells + 1 or any(s.value.status == ValueStatus.BLANK for s in slots):
        return slots, None
    last = slots[-1].text.strip()
    if not last.isdigit() or any(len(s.text.split()) != 1 for s in slots):
        return slots, None
    return slots[:-1], (
        f"the text stops after {label!r}'s {n_cells} figures and a lone {last!r}, what the cut left of the "
        "text after the table; not read as a figure"
    )


def figure_runs(items: Sequence[_T | None]) -> list[list[_T]]:
    """The runs of consecutive items between the Nones (cells without a figure), in order."""
    runs: list[list[_T]] = []
    current: list[_T] = []
    for item in items:
        if item is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(item)
    if current:
        runs.append(current)
    return runs


def read_section4(rows: list[Row], template: str) -> SectionReading:
    cells = cell_stream(rows)
    row_keys = [r.row_key for r in rows_for(template, 4)]
    col_keys = [c.column_key for c in columns_for(template, "review_litigation")]

    def targets_of(row_key: str) -> list[CellKey]:
        return list(_targets(template, 4, "review_litigation", row_key))

    # One row per proceeding, each with its label (some HTML and DOCX tables are drawn so).
    per_row: dict[str, tuple[str, list[Slot]]] = {}
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        key = PROCEEDINGS.get(strip_enumerator(cell.text))
        if key and key not in per_row:
            slots = slots_after(cells, i)
            if any(s.value.status != ValueStatus.BLANK for s in slots):
                per_row[key] = (cell.text, slots)
    if len(per_row) == len(row_keys):
        lines = [printed_line(per_row[k][0], targets_of(k), per_row[k][1]) for k in row_keys]
        return settle(SectionReading(lines, []))
    labelled = _labelled_outcomes(cells, row_keys, col_keys)
    if labelled is not None:
        lines = [printed_line(labelled[k][0], targets_of(k), labelled[k][1]) for k in row_keys]
        return settle(SectionReading(lines, []))

    # The template's layout: a three-level header, then all 15 figures in one row. Take the last
    # run of figure cells in the part (the header may hold stray fragments of split labels).
    header = _section4_header(cells, len(row_keys) * len(col_keys))
    runs = figure_runs([cell.slot if cell is not None else None for cell in cells])  # None: no figure, a paragraph
    n = len(row_keys) * len(col_keys)
    # A run with a figure in it; one of only unreadable text (a stray line after the table) only
    # where no run has a figure.
    printed = [r for r in runs if any(s.value.status not in (ValueStatus.BLANK, ValueStatus.UNREADABLE) for s in r)]
    printed = printed or [r for r in runs if any(s.value.status != ValueStatus.BLANK for s in r)]
    notes: list[str] = []
    if printed:
        slots = printed[-1]
        joined = _proceeding_runs(printed, n, len(col_keys))
        if joined is not None:
            slots, parts = joined
            notes.append(
                f"section 4 printed as {parts} tables, a proceeding's five cells whole in each: read in the template's order"
            )
    elif any(len(r) >= n for r in runs):
        # The table is there with its cells, but not one figure is printed: every cell blank, read as 0.
        slots = next(r for r in runs if len(r) >= n)
        notes.append("no figure printed in the table: every cell read as blank")
    elif header is not None:
        slots = []  # the header and no cells at all: nothing printed (figures lost), not blanks
    else:
        return SectionReading([], row_keys)
    # Blank cells at the run's edges are the neighbouring rows' padding, not figures.
    while slots and slots[0].value.status == ValueStatus.BLANK and len(slots) > n:
        slots = slots[1:]
    while slots and slots[-1].value.status == ValueStatus.BLANK and len(slots) > n:
        slots = slots[:-1]
    all_targets = [t for k in row_keys for t in targets_of(k)]
    line = printed_line("行政复议/行政诉讼", all_targets, slots, header)
    return settle(SectionReading([line], [], notes))


def _proceeding_runs(runs: list[list[Slot]], n: int, per: int) -> tuple[list[Slot], int] | None:
    """Section 4 printed as two or three tables (行政复议's five cells, then 行政诉讼's ten; or each
    proceeding's five), each with its header: the last runs of figures, each a whole number of
    proceedings and together the n cells, joined in print order, and how many tables; None where the
    last run holds the n cells itself or the runs do not add up so."""
    taken: list[list[Slot]] = []
    for run in reversed(runs):
        lo, hi = 0, len(run)
        while lo < hi and run[lo].value.status == ValueStatus.BLANK:
            lo += 1
        while hi > lo and run[hi - 1].value.status == ValueStatus.BLANK:
            hi -= 1
        if not taken and hi - lo >= n:
            return None
        if (hi - lo) % per:
            return None
        taken.insert(0, run[lo:hi])
        total = sum(len(r) for r in taken)
        if total == n:
            return [s for r in taken for s in r], len(taken)
        if total > n:
            return None
    return None


def _labelled_outcomes(
    cells: list[StreamCell | None], row_keys: list[str], col_keys: list[str]
) -> dict[str, tuple[str, list[Slot]]] | None:
    """Section 4 printed with each outcome label before its own figures, as some publishers draw
    it: one outcome per line under each proceeding (行政复议, 结果维持 0, 结果纠正 0, …, 行政诉讼,
    未经复议直接起诉, 结果维持 0, …), or the table transposed (the proceedings across the top, one
    row per outcome: 结果维持 0 0 0). Each proceeding's figures in column order, where every cell
    is found once; else None (the template's layout prints the outcomes without figures)."""
    proceeding: str | None = None
    order: list[str] = []  # the proceedings in the order printed (the transposed table's columns)
    pairs: dict[tuple[str, str], Slot] = {}  # (proceeding, outcome) → its one figure
    across: dict[str, list[Slot]] = {}  # outcome → one figure per proceeding
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        text = strip_enumerator(cell.text)
        if text in PROCEEDINGS:
            proceeding = PROCEEDINGS[text]
            order.append(proceeding)
            continue
        column = SECTION4_COLUMN_LABELS.get(text)
        slots = slots_after(cells, i) if column is not None else []
        if column is None or not slots:
            continue
        if len(slots) == 1 and proceeding is not None and (proceeding, column) not in pairs:
            pairs[(proceeding, column)] = slots[0]
        elif len(slots) == len(row_keys) and column not in across:
            across[column] = slots
        else:
            return None  # an outcome printed twice, or with figures of no such table
    if len(pairs) == len(row_keys) * len(col_keys) and not across:
        return {k: (k, [pairs[(k, c)] for c in col_keys]) for k in row_keys}
    if len(across) == len(col_keys) and not pairs and sorted(order) == sorted(row_keys):
        return {k: (k, [across[c][j] for c in col_keys]) for j, k in enumerate(order)}
    return None


def _section4_header(cells: list[StreamCell | None], n: int) -> Header | None:
    """The 15 outcome labels (结果维持 … 总计 for each proceeding) by position, if all are found
    at distinct positions of one kind."""
    found = [c for c in cells if c is not None and c.multi and strip_enumerator(c.text) in SECTION4_COLUMN_LABELS]
    if not found or len({c.coords for c in found}) != 1:
        return None
    positions = sorted({c.pos for c in found})
    if len(positions) != n:
        return None
    halves = {c.pos: c.half for c in found}
    lengths = {c.row_len for c in found}
    return Header(
        found[0].coords, {p: i for i, p in enumerate(positions)}, halves, lengths.pop() if len(lengths) == 1 else None
    )
