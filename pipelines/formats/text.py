"""Reader for text reports: text copied or extracted from HTML, DOCX and PDF originals.

Five layouts occur: one cell per line (cells prefixed by a tab, rows separated by blank lines, or
each cell ending in ` |` with `| |` closing the row), tab-separated rows, pipe-separated rows
(markdown tables too, with ragged trailing `||`), and columns aligned with spaces as
`pdftotext -layout` prints them. The layout is decided per file from its own lines; lines without
separators are paragraphs.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from functools import lru_cache
from itertools import compress, groupby, repeat
from operator import itemgetter

from charset_normalizer import from_bytes

from pipelines.formats.document import Row, UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Extraction artefacts that carry no report content ("[bookmark: hmcheck_…]" from DOCX → text).
_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]")


# Characters every report prints many times (its template's words), simplified and traditional:
# the decoding that reads most of them is the file's encoding. GBK bytes decode as Big5 and Big5
# bytes as GB18030 without an error, into nonsense, so "decodes without error" cannot decide.
_REPORT_CHARS = frozenset(
    "政府信息公开年度报告申请行政复议诉讼主动处理情况数量本年件" + "資訊公開報告申請復議複議訴訟主動處理情況數量"
)
# A passage in another encoding (a sentence pasted from elsewhere) leaves a few bytes that do not
# decode; more than this share of replaced characters is not that, but the wrong encoding.
_MAX_REPLACED = 0.05


def _report_chars(text: str) -> int:
    return sum(1 for ch in text[:20000] if ch in _REPORT_CHARS)


def decode_report(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Decode report bytes, with a note when some bytes had to be replaced: BOM first, then
    strict UTF-8, then whichever of GB18030, Big5 and UTF-8 reads the template's words (a few
    undecodable bytes replaced, and said to be), then detection."""
    if not data.strip():
        raise UnreadableDocument(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), ()
    if b"\x00" in data[:4096]:
        # NUL bytes without a BOM: UTF-16 without BOM, or a binary file.
        best = from_bytes(data[: 1 << 20]).best()
        if best is None or not best.encoding.startswith("utf_16"):
            raise UnreadableDocument(f"{name}: binary content, not a text report")
        return data.decode(best.encoding, errors="replace"), ()
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    scored = []
    for rank, encoding in enumerate(("gb18030", "cp950", "utf-8")):
        text = data.decode(encoding, errors="replace")
        replaced = text.count("\ufffd")
        scored.append((_report_chars(text) - 2 * replaced, -rank, encoding, text, replaced))
    score, _, encoding, text, replaced = max(scored)
    if score > 0 and replaced <= _MAX_REPLACED * len(text):
        if replaced:
            return text, (
                f"{replaced} bytes are not valid {encoding} and were replaced (a passage in another encoding?)",
            )
        return text, ()
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableDocument(f"{name}: cannot tell the text encoding (binary file?)")
    return str(best), ()


def decode(data: bytes, name: str) -> str:
    """The text of report bytes (decode_report without its notes)."""
    return decode_report(data, name)[0]


# Control characters (Unicode category Cc) other than the whitespace ones \t \n \v \f \r.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    return controls > max(8, len(sample) // 100)


def _split_pipes(line: str) -> tuple[str, ...]:
    cells = list(map(str.strip, line.split("|")))
    # "| a | b |" has an empty piece before the first and after the last pipe.
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return tuple(cells)


_CELL_RUN = re.compile(r"\S+(?: \S+)*")  # a cell: text with at most single spaces inside
# The same cells, each match taking the spaces before its cell: the engine tries a match where a
# cell begins, not at every space of a line (pdftotext's lines are mostly spaces; a first read of
# a spaced report splits some twenty new lines: 47 -> 8 k instructions a line). On the line
# without its trailing whitespace, where no cell is left to find.
_SPACES_CELL = re.compile(r" *(\S+(?: \S+)*)")


@lru_cache(maxsize=1 << 14)
def _wide(text: str) -> int:
    """How many characters of `text` are wide (CJK); cell texts repeat in every report."""
    if text.isascii():
        return 0
    return sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


# Lines recur across reports (headings, header rows, label rows, rows of zeros); a Row is
# frozen, so a line is split once per process.
@lru_cache(maxsize=1 << 14)
def _split_spaces(line: str) -> Row:
    """A line laid out with spaces (pdftotext -layout): cells are runs separated by two or more
    spaces. pdftotext places a cell at the column of its x position (one column per character
    before it), so a cell starts where it stands; how many columns a CJK character really covers
    depends on the PDF's font, so it is taken as two, or less where the next cell starts sooner
    (cells of one row do not overlap)."""
    # A figure row differs from report to report, so most of a first read's rows come here:
    # plain lists and one loop (no match objects kept, no generators).
    cells: list[str] = []
    starts: list[int] = []
    for m in _SPACES_CELL.finditer(line.rstrip()):
        cells.append(m.group(1))
        starts.append(m.start(1))
    wide = [0 if c.isascii() else _wide(c) for c in cells]  # figures are ASCII: no lookup
    scale = 2.0
    for k in range(len(cells) - 1):
        n_wide = wide[k]
        if n_wide:
            narrow = len(cells[k]) - n_wide
            scale = min(scale, max(1.0, (starts[k + 1] - starts[k] - 1 - narrow) / n_wide))
    widths = tuple([float(len(c) - n + scale * n) for c, n in zip(cells, wide, strict=True)])
    centres = tuple([s + w / 2 for s, w in zip(starts, widths, strict=True)])
    return Row(tuple(cells), is_text=len(cells) == 1, positions=centres, coords="x", widths=widths)


_SPACED = re.compile(r"\S(?: {2,}|\u3000+)\S")


def _is_spaced(line: str) -> bool:
    return _SPACED.search(line) is not None


@lru_cache(maxsize=1 << 14)
def _tab_row(line: str) -> Row:
    return Row(tuple(c.strip() for c in line.split("\t")))


@lru_cache(maxsize=1 << 14)
def _pipe_row(line: str) -> Row:
    return Row(_split_pipes(line))


@lru_cache(maxsize=1 << 14)
def _paragraph(stripped: str) -> Row:
    return Row((stripped,), is_text=True)


# A row gathered from one-cell lines: its cells recur as a tab row's do (a label and its zeros),
# so each distinct row is one Row, which the table readers then know.
@lru_cache(maxsize=1 << 14)
def _cells_row(cells: tuple[str, ...]) -> Row:
    return Row(cells)


# What a figure cell prints (0, 1,234, 5件, 140万, —, /, 无, 减4): a lone pipe before one is an empty cell.
_FIGURE_LIKE = re.compile(r"[\d.,，\-—–/+\s]*(?:万元|元|件次|人次|件|条|项|个|次|万)?|无|[增减]\d+")


# Words a figure cell may print (增加5, 减少2, 12件, 140万元): none of them makes a line text.
_FIGURE_WORDS = re.compile(r"增加|减少|[增减]|万元|元|件次|人次|件|条|项|个|次|万")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _words(line: str) -> bool:
    """A line of text (a label, a heading), not a figure cell (增加5 is a figure)."""
    return _CJK.search(_FIGURE_WORDS.sub("", line)) is not None


def _opens_row(lines: list[str], i: int, cell_line: bool = False) -> bool:
    """Whether the lone pipe at lines[i] stands before a label (the next non-empty line's first
    cell); `cell_line`: a label printed as a cell ('规章 |'), not a heading after the table."""
    for line in lines[i + 1 : i + 50]:
        stripped = line.strip()
        if not stripped:
            continue
        cell = stripped.split("|", 1)[0].strip()
        return bool(cell) and not _FIGURE_LIKE.fullmatch(cell) and (not cell_line or "|" in stripped)
    return True


def _bars_then_figures(lines: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
    """A row whose empty cells are lone `|` lines and whose last figures open a line of their own
    (区发改局: `… | 25 |`, `|` four times, `| 25 |`; `二、… |`, `|` five times, `| 0 |`): the row's
    cells and the index of its last line; the pipe that opens the last line closes one more empty
    cell. None where lines[i] is not such a row's first line."""
    stripped = lines[i].strip()
    if not stripped.endswith("|") or stripped == "|":
        return None
    j = i + 1
    while j < len(lines) and lines[j].strip() == "|":
        j += 1
    last = lines[j].strip() if j < len(lines) else ""
    rest = _split_pipes(last)
    if j == i + 1 or not last.startswith("|") or not rest or not all(c and _FIGURE_LIKE.fullmatch(c) for c in rest):
        return None
    return (*_split_pipes(stripped), *([""] * (j - i)), *rest), j


def _pipe_rows_with_bars(lines: list[str]) -> tuple[Row, ...]:
    """Pipe rows where a row printed without figures is its label and a bar, then one lone `|`
    line per empty cell (胡市镇: `规章 |`, then `|` three times): that row, its cells empty."""
    rows: list[Row] = []
    i = 0
    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        i += 1
        joined = _bars_then_figures(lines, i - 1)
        if joined is not None:
            rows.append(Row(joined[0]))
            i = joined[1] + 1
            continue
        if stripped.endswith("|") and line.count("|") == 1 and stripped != "|":
            empties = 0
            while i < len(lines) and lines[i].strip() == "|":
                empties, i = empties + 1, i + 1
            if empties:
                rows.append(Row((stripped[:-1].strip(), *([""] * empties))))
                continue
        if line.count("|") >= 2:
            rows.append(_pipe_row(line))
        elif stripped and stripped != "|":
            rows.append(_paragraph(stripped))
    return tuple(rows)


def text_rows(text: str, name: str) -> tuple[str, tuple[Row, ...]]:
    """Split decoded text into physical rows; returns (layout, rows)."""
    if _looks_binary(text):
        raise UnreadableDocument(f"{name}: binary content, not a text report")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "[bookmark:" in text:
        text = _ARTEFACT.sub("", text)
    lines = text.split("\n")
    # Each count is skipped where the whole text has not the character it counts.
    # The lines with a tab, and those that are one tab and a cell, counted by C-level maps over the
    # lines (a cell-per-line report has a thousand; a regex over the text costs more, tried at
    # every character).
    tabbed = sum(map(str.__contains__, lines, repeat("\t"))) if "\t" in text else 0
    # (each line's pipes counted once, by a C-level map)
    pipes = list(map(str.count, lines, repeat("|"))) if "|" in text else []
    piped = len(pipes) - pipes.count(0) - pipes.count(1)
    # One cell per line, each ending in " |"; a line ending in "| |" closes the row.
    one_pipe = compress(lines, map((1).__eq__, pipes))
    cell_piped = sum(map(str.endswith, map(str.rstrip, one_pipe), repeat("|")))
    if cell_piped and tabbed:
        # A page's source indentation kept (\t\t\t0  |, lines of tabs alone): no tab-separated rows.
        tabbed -= sum(
            1
            for ln in lines
            if "\t" in ln and "\t" not in ln.strip() and not ln.strip().strip("|").strip("\t ").count("|")
        )
    if cell_piped > max(piped, tabbed):
        layout = "text/cell-per-line-pipes"
    elif piped > tabbed:
        layout = "text/pipes"
    elif tabbed and (last_tabs := list(map(str.rfind, lines, repeat("\t")))).count(0) > 0.8 * tabbed:
        # (a line whose last tab is its first character is one tab and a cell)
        layout = "text/cell-per-line"
    elif tabbed:
        layout = "text/tabs"
    elif next(itertools.islice((ln for ln in lines if _is_spaced(ln)), 4, None), None) is not None:  # 5 lines
        layout = "text/spaces"
    else:
        layout = "text/plain"

    # The layouts of one row per line need none of the cell-per-line state below (pending cells,
    # opened rows): each line is read alone, as the general loop would read it.
    if layout == "text/tabs":
        return layout, tuple(
            _tab_row(ln) if "\t" in ln else _paragraph(ln.strip()) for ln in lines if "\t" in ln or ln.strip()
        )
    if layout == "text/pipes":
        if "|" in map(str.strip, compress(lines, pipes)):
            return layout, _pipe_rows_with_bars(lines)
        return layout, tuple(
            _pipe_row(ln) if n >= 2 else _paragraph(ln.strip())
            for ln, n in zip(lines, pipes, strict=True)
            if n >= 2 or ln.strip()
        )
    if layout == "text/spaces":
        # (C-level maps: a spaced report's lines are some seventy, most of them known)
        return layout, tuple(
            map(_split_spaces, map(str.replace, filter(str.strip, lines), repeat("\u3000"), repeat("  ")))
        )
    if layout == "text/plain":
        return layout, tuple(_paragraph(stripped) for ln in lines if (stripped := ln.strip()))
    if layout == "text/cell-per-line":
        return layout, _cell_per_line_rows(lines, last_tabs)

    rows: list[Row] = []
    pending: list[str] = []  # cells of the current row in the cell-per-line layout
    openers = (
        layout == "text/cell-per-line-pipes"
        and sum(1 for i, ln in enumerate(lines) if ln.strip() == "|" and _opens_row(lines, i)) >= 2
    )

    def flush() -> None:
        if pending:
            rows.append(_cells_row(tuple(pending)))
            pending.clear()

    opened = False  # the line before opened a row (a lone pipe there is the row's first, empty cell)
    joined_to = -1  # the last line of a row _bars_then_figures joined
    for i, line in enumerate(lines):
        if i <= joined_to:
            continue
        if opened and line.strip() != "|":
            opened = False
        if layout == "text/cell-per-line-pipes" and not openers and (joined := _bars_then_figures(lines, i)):
            pending.extend(joined[0])
            flush()
            joined_to = joined[1]
            continue
        if layout == "text/cell-per-line" and line.startswith("\t") and line.count("\t") == 1:
            pending.append(line[1:].strip())
            continue
        stripped = line.strip()
        if (
            layout == "text/cell-per-line-pipes"
            and pending
            and stripped
            and "|" not in stripped
            and i + 1 < len(lines)
            and lines[i + 1].strip() == "|"
            and (i + 2 == len(lines) or not lines[i + 2].strip() or _words(lines[i + 2]))
            and _FIGURE_LIKE.fullmatch(stripped)
        ):
            # A row's last figure whose bar the page's source put on the next line, a line of tabs
            # after it (\t\t\t0 / `   | ` / `\t\t`); a label there (行政规范性文件 / `|` / `0 |`) is a
            # row's first cell, and a bar between every two cells (24 / `|` / 增加5) an empty cell: read below.
            pending.append(stripped)
            joined_to = i + 1
            continue
        if layout == "text/cell-per-line-pipes" and "|" in stripped:
            cells = _split_pipes(stripped)
            if stripped.count("|") == 1 and len(cells) == 1:
                pending.append(cells[0])  # one cell of the current row
                continue
            if stripped == "|":
                # A lone pipe is an empty cell; on pages that open every row with one (a lone pipe,
                # then the row's cells one per line), the one before a label, or before the first
                # cell of a row, opens that row.
                if openers and not opened and (not pending or _opens_row(lines, i, cell_line=True)):
                    flush()
                    opened = True
                else:
                    pending.append("")
                    opened = False
                continue
            if pending:  # the row's last cell and its end ("对外公开总数量 | |"; "||" alone ends it)
                if any(cells):
                    pending.extend(cells[:1] if len(cells) <= 1 or not any(cells[1:]) else cells)
                flush()
                continue
            rows.append(Row(cells))
            continue
        flush()
        if layout in ("text/pipes", "text/cell-per-line-pipes") and line.count("|") >= 2:
            rows.append(_pipe_row(line))
        elif layout in ("text/tabs", "text/cell-per-line") and "\t" in line:
            rows.append(_tab_row(line))
        elif layout == "text/spaces" and stripped:
            rows.append(_split_spaces(line.replace("\u3000", "  ")))
        elif stripped:
            rows.append(_paragraph(stripped))
    flush()
    return layout, tuple(rows)


def _cell_per_line_rows(lines: list[str], last_tabs: list[int]) -> tuple[Row, ...]:
    """text/cell-per-line's rows: the lines that are one tab and a cell (their last tab, from
    str.rfind, is their first character) make a row, until any other line, which is a tab row or
    a paragraph. The lines are grouped by that flag in C (a report prints a thousand cell lines,
    in some fifty runs); only the lines between the runs are read one by one."""
    rows: list[Row] = []
    for is_cell, group in groupby(zip(map((0).__eq__, last_tabs), lines, strict=True), key=itemgetter(0)):
        if is_cell:
            rows.append(_cells_row(tuple(map(str.strip, map(itemgetter(1), group)))))
            continue
        for _, line in group:
            if "\t" in line:
                rows.append(_tab_row(line))
            elif stripped := line.strip():
                rows.append(_paragraph(stripped))
    return tuple(rows)
