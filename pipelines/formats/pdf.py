"""Reader for PDF files: pages read by PDFium (pipelines.formats.pdfium_pages: characters, ruling
lines and pictures, and pdfplumber's word, line and table rules over them); pdfplumber (pdfminer)
reads the files whose pages PDFium does not give pdfminer's geometry for (rotated pages, a
MediaBox off the origin, text that is not upright).

Ruled tables are read from their lines (cells spanning several grid cells come back once, at the
grid column they start in); tables running over a page break are simply consecutive rows. Pages
without ruling lines are read as lines of words with their horizontal centres, so figures can
still be matched to the header columns above them. Text outside tables becomes paragraphs.

A page without a text layer (a scan), and a picture on a page that covers a table's worth of it
with no text over it (a table pasted as an image), are rasterised with pdfium at the picture's
own resolution and read by OCR (pipelines.formats.scan, imported only then).

pdfium (pypdfium2) opens the file first: it tells an encrypted PDF that needs a password, and
counts the pages, cheaply, so a PDF over the page limit is rejected before a page is read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pypdfium2

from pipelines.formats import pdfium_pages
from pipelines.formats.document import Row, UnreadableDocument
from pipelines.formats.limits import ParseLimits, over
from pipelines.formats.pdfium_pages import Table

# A picture covering at least this share of the page, with no text over it, is read by OCR.
_IMAGE_SHARE = 0.08
# Rasterise scans at their own resolution, within these bounds (dots per inch).
_MIN_DPI, _MAX_DPI, _DEFAULT_DPI = 100, 300, 200

# Upper bound (points) of the gap between words of one cell in a table drawn without lines.
_CELL_GAP = 12.0


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _in_any(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether the word's middle is in one of the boxes (_inside of each, the middle computed once)."""
    if not boxes:
        return False
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


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


def _table_texts(
    table: Table, columns: pdfium_pages.CharColumns, cell_text: Callable[[list[dict]], str]
) -> list[list[str | None]]:
    """What pdfplumber's `table.extract()` returns: a character belongs to the cell its middle
    falls in (left and top sides included; a cell lies inside its row, so the row's test adds
    nothing), a cell's characters in the page's order, its text extract_text of them. extract()
    scans every character for every row and cell; here the cells' sides cut the table into a
    grid, each grid box knows the cells over it, and the characters find their boxes by a
    bisection over the page's arrays (searchsorted "right" is bisect_right)."""
    cells = table.cells
    xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
    ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
    column = {x: k for k, x in enumerate(xs)}
    line = {y: k for k, y in enumerate(ys)}
    over: dict[int, list[list[dict]]] = {}  # grid box (line * columns + column) → its cells' characters
    found: dict[tuple[float, float, float, float], list[dict]] = {}
    for cell in cells:
        if cell in found:
            continue
        chars = found[cell] = []
        for i in range(column[cell[0]], column[cell[2]]):
            for j in range(line[cell[1]], line[cell[3]]):
                over.setdefault(j * len(xs) + i, []).append(chars)
    h, v = columns.middles
    inside = np.flatnonzero((h >= xs[0]) & (h < xs[-1]) & (v >= ys[0]) & (v < ys[-1]))
    boxes = (np.searchsorted(ys, v[inside], "right") - 1) * len(xs) + np.searchsorted(xs, h[inside], "right") - 1
    page_chars = columns.chars
    for k, box in zip(inside.tolist(), boxes.tolist(), strict=True):
        for chars in over.get(box, ()):
            chars.append(page_chars[k])
    out: list[list[str | None]] = []
    for row in table.rows:
        texts: list[str | None] = []
        for slot in row.cells:
            if slot is None:
                texts.append(None)
                continue
            chars = found[slot]
            texts.append(cell_text(chars) if chars else "")
        out.append(texts)
    return out


def _pictures(page: _PageContent, has_text: bool) -> list[tuple[float, float, float, float, float]]:
    """(x0, top, x1, bottom, dpi) of the pictures on a page to read by OCR: the whole page when it
    has no text layer, else each large picture with no text over it."""
    area = float(page.width * page.height)
    out = []
    for im in page.images:
        x0, top, x1, bottom = (
            max(0.0, im["x0"]),
            max(0.0, im["top"]),
            min(page.width, im["x1"]),
            min(page.height, im["bottom"]),
        )
        if (x1 - x0) * (bottom - top) < _IMAGE_SHARE * area:
            continue
        if has_text and any(_inside(c, (x0, top, x1, bottom)) for c in page.chars):
            continue
        width_px = (im.get("srcsize") or (0, 0))[0]
        dpi = width_px / ((x1 - x0) / 72) if width_px and x1 > x0 else _DEFAULT_DPI
        out.append((x0, top, x1, bottom, min(_MAX_DPI, max(_MIN_DPI, dpi))))
    if not has_text and not out:
        out.append((0.0, 0.0, float(page.width), float(page.height), float(_DEFAULT_DPI)))
    if not has_text:
        # A scanned page: read it whole, at its pictures' resolution.
        dpi = max(p[4] for p in out)
        out = [(0.0, 0.0, float(page.width), float(page.height), dpi)]
    return out


def _read_pictures(
    data: bytes, pictures: dict[int, list[tuple[float, float, float, float, float]]]
) -> dict[int, list[tuple[float, list[Row]]]]:
    """Rows read by OCR from each page's pictures, with the top (points) each picture starts at."""
    from pipelines.formats.scan import read_image

    out: dict[int, list[tuple[float, list[Row]]]] = {}
    document = pypdfium2.PdfDocument(data)
    try:
        for number, boxes in pictures.items():
            page = document[number]
            for x0, top, x1, bottom, dpi in boxes:
                scale = dpi / 72
                bitmap = page.render(scale=scale)
                image = np.asarray(bitmap.to_pil().convert("RGB"))
                h, w = image.shape[:2]
                crop = image[
                    int(top * scale) : min(h, int(bottom * scale) + 1), int(x0 * scale) : min(w, int(x1 * scale) + 1)
                ]
                out.setdefault(number, []).append((top, read_image(crop).rows))
    finally:
        document.close()
    return out


def _open(data: bytes, name: str, limits: ParseLimits) -> pypdfium2.PdfDocument:
    """The PDF opened by pdfium, once it opens without a password within the page limit; raises
    UnreadableDocument naming the file and the problem or the limit otherwise."""
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument(f"{name}: encrypted PDF (password required)") from exc
        raise UnreadableDocument(f"{name}: not a readable PDF file ({exc})") from exc
    pages = len(document)
    problem = None
    if pages > limits.pdf_pages:
        problem = over("the PDF has", f"{pages} pages", "pdf_pages", limits)
    elif pages == 0:
        problem = "the PDF has no pages"
    if problem:
        document.close()
        raise UnreadableDocument(f"{name}: {problem}")
    return document


@dataclass
class _PageContent:
    """What the reader takes from a page, whichever library read it."""

    width: float
    height: float
    chars: list[dict]
    images: list[dict]
    # Filled only for a page with a text layer.
    text: str = ""
    words: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    cell_text: Callable[[list[dict]], str] = pdfium_pages.extract_text
    columns: pdfium_pages.CharColumns | None = None


def _pdfium_pages(document: pypdfium2.PdfDocument) -> list[_PageContent]:
    out = []
    for number in range(len(document)):
        page = pdfium_pages.read_page(document, number)
        content = _PageContent(page.width, page.height, page.chars, page.images)
        if _has_text(page.chars):
            content.columns = page.columns or pdfium_pages.CharColumns.of(page.chars)
            content.words = pdfium_pages.page_words(content.columns)
            content.text = pdfium_pages.page_text(content.words)
            content.tables = pdfium_pages.find_tables(page.edges)
        out.append(content)
    return out


def _pdfplumber_pages(data: bytes, name: str) -> list[_PageContent]:
    """The fallback for what PDFium does not give as pdfminer did (pdfium_pages.NotFromPdfium:
    rotated pages, a MediaBox off the origin, text that is not upright): pdfplumber's own reading."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils import extract_text
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PdfminerException, ValueError) as exc:
        detail = str(exc) or type(exc).__name__
        raise UnreadableDocument(f"{name}: not a readable PDF file ({detail})") from exc
    out = []
    with pdf:
        for whole in pdf.pages:
            # As pdfium_pages reads a page: a watermark's characters (text run diagonally, or faint) left out,
            # radicals read as the ideographs they draw, a character drawn twice (fake bold) read once.
            page = whole.filter(_not_watermark(whole.chars))
            for char in page.chars:
                char["text"] = char["text"].translate(pdfium_pages.IDEOGRAPHS)
            page = page.dedupe_chars(tolerance=pdfium_pages.OVERPRINT_TOLERANCE)
            content = _PageContent(
                float(page.width), float(page.height), page.chars, page.images, cell_text=extract_text
            )
            if _has_text(page.chars):
                content.text = page.extract_text() or ""
                content.words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                content.tables = [Table(t.cells) for t in page.find_tables()]
            out.append(content)
    return out


def _not_watermark(chars: list[dict]) -> Callable[[dict], bool]:
    """pdfium_pages' watermark rules for a page of pdfplumber's characters (which do not carry the fill's
    transparency): a filter keeping every object but a watermark's characters, diagonal or faint and large."""
    upright = [c for c in chars if not pdfium_pages.diagonal(c["matrix"][0], c["matrix"][1])]
    # A glyph's height: pdfminer's box is turned with text turned by a right angle (a turned page's).
    sizes = [float(c["size"] if c.get("upright", True) else c["width"]) for c in upright]
    large = pdfium_pages.watermark_sized(sizes, [_faint(c) for c in upright])
    dropped = {id(c) for c, is_large in zip(upright, large, strict=True) if is_large}

    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        return id(obj) not in dropped and not pdfium_pages.diagonal(obj["matrix"][0], obj["matrix"][1])

    return keep


def _faint(char: dict) -> bool:
    colour = char.get("non_stroking_color")
    if isinstance(colour, (tuple, list)) and len(colour) in (1, 3) and all(isinstance(v, (int, float)) for v in colour):
        rgb = [round(float(v) * 255) for v in (colour * 3 if len(colour) == 1 else colour)]
        return bool(pdfium_pages.faint(*rgb))
    return False


def _has_text(chars: list[dict]) -> bool:
    return any(not c["text"].isspace() for c in chars)


def pdf_rows(data: bytes, name: str, limits: ParseLimits | None = None) -> tuple[str, str, tuple[Row, ...]]:
    """(layout, plain text, rows) of a PDF file, read under `limits`."""
    document = _open(data, name, limits or ParseLimits.from_env())
    try:
        contents = _pdfium_pages(document)
    except pdfium_pages.NotFromPdfium:
        contents = _pdfplumber_pages(data, name)
    finally:
        document.close()
    ruled = False
    # Per page: its text layer's text, and its blocks of rows with the top they start at.
    page_texts: list[str] = []
    pages: list[list[tuple[float, list[Row]]]] = []
    pictures: dict[int, list[tuple[float, float, float, float, float]]] = {}
    for number, page in enumerate(contents):
        blocks: list[tuple[float, list[Row]]] = []
        pages.append(blocks)
        has_text = _has_text(page.chars)
        page_texts.append(page.text)
        found = _pictures(page, has_text)
        if found:
            pictures[number] = found
        if not has_text:
            continue
        tables = page.tables
        ruled = ruled or bool(tables)
        columns = page.columns or pdfium_pages.CharColumns.of(page.chars if tables else [])
        for table in tables:
            grid: list[Row] = []
            for cells in _table_texts(table, columns, page.cell_text):
                kept = [(i, (c or "").replace("\n", "")) for i, c in enumerate(cells) if c is not None]
                kept = _split_unruled_row(kept)
                if kept:
                    grid.append(Row(tuple(t for _, t in kept), positions=tuple(float(i) for i, _ in kept)))
            blocks.append((table.bbox[1], grid))
        boxes = [t.bbox for t in tables]
        outside = [w for w in page.words if not _in_any(w, boxes)]
        for line in _lines(outside):
            blocks.append((line[0]["top"], [_line_row(line)]))
    for number, read in _read_pictures(data, pictures).items() if pictures else ():
        pages[number].extend(read)
        # The text OCR read joins the page's text, in reading order with the page's own.
        ocr_text = "\n".join(r.cells[0] if r.is_text else " ".join(r.cells) for _, block in read for r in block)
        page_texts[number] = "\n".join(t for t in (page_texts[number], ocr_text) if t)
    rows = [row for blocks in pages for _, block in sorted(blocks, key=lambda b: b[0]) for row in block]
    text = "\n".join(page_texts)
    if not text.strip():
        what = "scanned pages" if pictures else "no text layer and no pictures"
        raise UnreadableDocument(f"{name}: the PDF has {what}, and OCR recognised no text on them")
    layout = "pdf/ruled" if ruled else "pdf/unruled"
    if pictures:
        # Every row read from pictures: a scanned report; else text pages with pictures read.
        layout = "pdf/scan" if all(r.images for r in rows) else f"{layout}+images"
    return layout, text, tuple(rows)
