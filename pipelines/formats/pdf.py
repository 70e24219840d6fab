"""Reader for PDF files, with pdfplumber (pdfminer.six underneath: CJK fonts and CMaps).

Ruled tables are read from their lines (cells spanning several grid cells come back once, at the
grid column they start in); tables running over a page break are simply consecutive rows. Pages
without ruling lines are read as lines of words with their horizontal centres, so figures can
still be matched to the header columns above them. Text outside tables becomes paragraphs.
"""

from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from pipelines.formats.document import Row, UnreadableDocument

# Upper bound (points) of the gap between words of one cell in a table drawn without lines.
_CELL_GAP = 12.0


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _lines(words: list[dict]) -> list[list[dict]]:
    """Group words into lines by their vertical position."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _line_row(line: list[dict]) -> Row:
    """A line of words → a paragraph, or a table row whose cells are runs of close words."""
    cells: list[list[dict]] = []
    for w in line:
        # Words further apart than about one character are separate cells.
        gap = 0.9 * min(w["bottom"] - w["top"], _CELL_GAP)
        if cells and w["x0"] - cells[-1][-1]["x1"] < gap:
            cells[-1].append(w)
        else:
            cells.append([w])
    texts = tuple("".join(w["text"] for w in c) for c in cells)
    centres = tuple((c[0]["x0"] + c[-1]["x1"]) / 2 for c in cells)
    # A lone word is a paragraph, or a figure alone on its line: its position still counts.
    widths = tuple(c[-1]["x1"] - c[0]["x0"] for c in cells)
    return Row(texts, is_text=len(texts) == 1, positions=centres, coords="x", widths=widths)


# A row drawn without its inner vertical rules comes out of the table as one cell: its label and
# its figures separated by spaces ("规范性文件 0 0 0").
_LABEL_AND_FIGURES = re.compile(r"^(?P<label>\S*[^\d\s.,+-]\S*?)\s+(?P<figures>[-+]?\d[\d.,]*(?:\s+[-+]?\d[\d.,]*)*)$")


def _split_unruled_row(kept: list[tuple[int, str]]) -> list[tuple[int, str]]:
    if len(kept) != 1:
        return kept
    m = _LABEL_AND_FIGURES.match(kept[0][1].strip())
    if m is None:
        return kept
    start = kept[0][0]
    return [(start, m["label"]), *((start + 1 + k, f) for k, f in enumerate(m["figures"].split()))]


def pdf_rows(data: bytes, name: str) -> tuple[str, str, tuple[Row, ...]]:
    """(layout, plain text, rows) of a PDF file."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PdfminerException, ValueError) as exc:
        raise UnreadableDocument(f"{name}: not a readable PDF file ({exc})") from exc
    rows: list[Row] = []
    texts: list[str] = []
    ruled = False
    with pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            tables = page.find_tables()
            ruled = ruled or bool(tables)
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            blocks: list[tuple[float, list[Row]]] = []
            for table in tables:
                grid: list[Row] = []
                for cells in table.extract():
                    kept = [(i, (c or "").replace("\n", "")) for i, c in enumerate(cells) if c is not None]
                    kept = _split_unruled_row(kept)
                    if kept:
                        grid.append(Row(tuple(t for _, t in kept), positions=tuple(float(i) for i, _ in kept)))
                blocks.append((table.bbox[1], grid))
            outside = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
            for line in _lines(outside):
                blocks.append((line[0]["top"], [_line_row(line)]))
            for _, block in sorted(blocks, key=lambda b: b[0]):
                rows.extend(block)
    text = "\n".join(texts)
    if not text.strip():
        raise UnreadableDocument(f"{name}: the PDF has no text layer (a scan?); it needs OCR first")
    return ("pdf/ruled" if ruled else "pdf/unruled"), text, tuple(rows)
