"""Page images → rows: the tables' grids from their ruling lines, text lines from the ink, OCR.

A scanned page (a PDF page without a text layer, a table pasted as a picture, an HTML `<img>`
table) is read as the other readers read a page: ruled tables become grid rows whose cells keep
the grid column they start in (spanning cells once), the text around them becomes paragraphs,
all in reading order. So the template's alignment and rules read a scan like any other format.

1. Ink: the red channel of the image, so a red seal stamped over a table is paper, not ink.
2. Deskew: the angle (±3°) that makes the ink's rows sharpest.
3. Tables: long horizontal strokes (morphological opening) are ruling lines; within each band
   between two lines, a column of ink through the whole band is a vertical rule. A cell spans
   the bands down to the first ruling line under it, and the columns between its rules.
4. Text: each cell's lines of ink, and the page's lines outside tables, are cropped and read
   by the recogniser (pipelines.formats.ocr) in batches.

Every cell read carries the OCR's confidence and its alternative readings (Row.images).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from pipelines.formats.document import ImageText, Row

_INK = 150  # grey level below which a pixel is ink (the red channel: a red seal is not ink)
# Where ruling lines are looked for: a one-pixel rule, rotated on the scanner and back by the
# deskew, is smeared into two grey lines of pixels, lighter than _INK.
_FAINT_INK = 200
_MIN_TABLE_WIDTH = 0.25  # of the page: narrower ruled boxes are not tables
_MAX_SKEW = 3.0  # degrees
_MIN_LINE_CONFIDENCE = 0.2
_REDDISH = 30  # red above green and blue by this much: a seal's colour
_UNDER_SEAL = 0.6  # of the seal's brightness: darker reddish pixels are text under the seal


@dataclass
class ImageReading:
    """What was read from one image: its rows in reading order, and how sure the OCR was."""

    rows: list[Row] = field(default_factory=list)
    tables: int = 0
    cells_read: int = 0


@dataclass
class _Cell:
    row: int  # the band it starts in
    col: int  # the grid column it starts in
    x0: int
    y0: int
    x1: int
    y1: int
    lines: list[tuple[int, int]] = field(default_factory=list)  # its text lines (y0, y1), inside the cell
    texts: list[ImageText] = field(default_factory=list)


def ink_of(image: np.ndarray, level: int = _INK) -> np.ndarray:
    """Boolean ink mask of an RGB (or grey) image: dark in the red channel, so a red seal is paper.

    A JPEG keeps colour at half resolution, so a seal's strokes leave dark fringes in the red
    channel, and black text under the seal comes out dark red: among reddish pixels, ink is only
    what is clearly darker than the seal itself (its brightness measured on its own colour)."""
    return _inks(image, (level,))[0]


def _inks(image: np.ndarray, levels: tuple[int, ...]) -> list[np.ndarray]:
    """ink_of at each level, the seal measured once."""
    if image.ndim != 3:
        return [image < level for level in levels]
    red = image[:, :, 0]
    masks = [red < level for level in levels]
    redness = red.astype(np.int16) - np.minimum(image[:, :, 1], image[:, :, 2])
    reddish = redness > _REDDISH
    if not any((mask & reddish).any() for mask in masks):
        return masks
    seal = redness > 3 * _REDDISH
    if seal.sum() < 100:
        return masks
    luma = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    brightness = float(np.median(luma[seal]))
    paper = reddish & (luma >= _UNDER_SEAL * brightness)
    return [mask & ~paper for mask in masks]


def _skew(ink: np.ndarray) -> float:
    """The rotation (degrees) that lines the ink's rows up best, searched on a small copy."""
    scale = min(1.0, 800 / max(ink.shape))
    small = cv2.resize(ink.astype(np.uint8) * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = rotated.sum(axis=1, dtype=np.float64)
        return float((rows**2).sum())

    coarse = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.5), key=sharpness)
    return float(max(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.1), key=sharpness))


def _deskewed(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The image turned upright, with its ink and its faint ink (where rules are looked for); a
    page that needs no turning (most) has its masks computed once."""
    ink, faint = _inks(image, (_INK, _FAINT_INK))
    angle = _skew(ink)
    if abs(angle) < 0.05:
        return image, ink, faint
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 255
    image = cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
    ink, faint = _inks(image, (_INK, _FAINT_INK))
    return image, ink, faint


def _runs(flags: npt.ArrayLike) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    padded = np.concatenate([[False], np.asarray(flags, dtype=bool), [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _horizontal_rules(ink: np.ndarray) -> np.ndarray:
    length = max(25, ink.shape[1] // 40)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    return cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0


def _upright_strokes(ink: np.ndarray) -> np.ndarray:
    """The ink where vertical rules are looked for: a thin rule on a scan is broken by noise and
    JPEG and, slightly rotated, steps from one pixel column to the next, so short gaps are closed
    up and each stroke is widened by a pixel either side."""
    widened = cv2.dilate(ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    return cv2.morphologyEx(widened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5))) > 0


def _table_boxes(rules: np.ndarray, ink: np.ndarray, upright: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each ruled table: horizontal rules stacked over each other, joined by
    the vertical rules between them (`upright`: _upright_strokes)."""
    w = ink.shape[1]
    ys = _runs(rules.any(axis=1))
    boxes: list[list[int]] = []
    for a, b in ys:
        cols = np.flatnonzero(rules[a:b].any(axis=0))
        x0, x1 = int(cols.min()), int(cols.max()) + 1
        if boxes:
            last = boxes[-1]
            lo, hi = max(x0, last[0]), min(x1, last[2])
            # The next rule of the same table: overlapping, and a vertical rule joins them: a
            # column of ink through the gap, or, on a scan, where a rule may be broken, strokes
            # through most of the gap at both ends of the table (a heading between two tables
            # may have a stroke there at one end, not at both).
            left, right = min(x0, last[0]), max(x1, last[2])
            gap = upright[last[3] : a]
            ends = gap[:, max(0, left - 6) : left + 6], gap[:, max(0, right - 6) : right + 6]
            framed = all(e.size > 0 and bool((e.mean(axis=0) >= 0.75).any()) for e in ends)
            between = ink[last[3] : a, lo:hi]
            ruled = between.size > 0 and bool(between.all(axis=0).any())
            if hi > lo and (framed or ruled or a - last[3] <= 2):
                last[0], last[2], last[3] = min(last[0], x0), max(last[2], x1), b
                continue
        boxes.append([x0, a, x1, b])
    return [(x0, y0, x1, y1) for x0, y0, x1, y1 in boxes if x1 - x0 >= _MIN_TABLE_WIDTH * w and y1 - y0 > 10]


def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _grid(upright: np.ndarray, rules: np.ndarray, box: tuple[int, int, int, int]) -> list[_Cell]:
    """The cells of one ruled table, each once, at the band and grid column it starts in
    (`upright`: _upright_strokes)."""
    x0, y0, x1, y1 = box
    lines = [(a + y0, b + y0) for a, b in _runs(rules[y0:y1, x0:x1].any(axis=1))]
    bands = [(top[1], bottom[0]) for top, bottom in itertools.pairwise(lines) if bottom[0] - top[1] > 4]
    verticals: list[list[tuple[int, int]]] = []
    for top, bottom in bands:
        # A vertical rule crosses the whole band (text never does: cells have padding).
        left = max(0, x0 - 2)
        inner = upright[top + 1 : bottom - 1, left : x1 + 2]
        full = inner.mean(axis=0) >= 0.9 if inner.size else np.zeros(0, dtype=bool)
        verticals.append([(a + left, b + left) for a, b in _runs(full)])
    xs = _cluster([(a + b) / 2 for v in verticals for a, b in v], tolerance=6)
    if len(xs) < 2:
        return []

    def column(x: float) -> int:
        return int(np.argmin([abs(x - c) for c in xs]))

    cells: list[_Cell] = []
    open_cells: dict[tuple[int, int], _Cell] = {}  # (first, last column) → a cell without a rule below yet
    for r, ((top, bottom), v) in enumerate(zip(bands, verticals, strict=True)):
        edges = sorted({column((a + b) / 2) for a, b in v})
        still_open: dict[tuple[int, int], _Cell] = {}
        for c0, c1 in itertools.pairwise(edges):
            cell = open_cells.get((c0, c1))
            if cell is None:
                cell = _Cell(r, c0, round(xs[c0]), top, round(xs[c1]), bottom)
                cells.append(cell)
            cell.y1 = bottom
            # Is there a ruling line under this cell? Then it ends in this band.
            below = rules[bottom : bottom + 4, cell.x0 + 3 : cell.x1 - 3]
            covered = below.any(axis=0).mean() if below.size else 1.0
            if covered < 0.6 and r + 1 < len(bands):
                still_open[(c0, c1)] = cell
        open_cells = still_open
    return cells


def _text_lines(ink: np.ndarray, char_height: float | None = None) -> list[tuple[int, int]]:
    """(y0, y1) of each line of text in an ink mask: runs of inked rows, the gaps inside a
    character (三, 二) closed up to one character's height."""
    runs = _runs(ink.any(axis=1))
    if not runs:
        return []
    tallest = char_height or max(b - a for a, b in runs)
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and b - merged[-1][0] <= 1.25 * tallest and a - merged[-1][1] <= 0.5 * tallest:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    # Specks (noise, a dot left of a rule) are no line of text.
    return [(a, b) for a, b in merged if b - a >= 0.3 * tallest and ink[a:b].sum() >= 6]


def _crop(image: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    """The text's box with a white margin around it (the recogniser was trained on lines with
    margins; a lone digit cropped tight reads badly), never the rules around a cell."""
    h, w = image.shape[:2]
    tight = image[max(0, y0 - 1) : min(h, y1 + 1), max(0, x0 - 1) : min(w, x1 + 1)]
    line = y1 - y0
    white = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.copyMakeBorder(tight, line // 4, line // 4, line // 4, line // 4, cv2.BORDER_CONSTANT, value=white)


def _columns_of_ink(ink: np.ndarray) -> tuple[int, int] | None:
    cols = np.flatnonzero(ink.any(axis=0))
    return (int(cols.min()), int(cols.max()) + 1) if cols.size else None


def read_image(image: np.ndarray) -> ImageReading:
    """Rows of one page image (RGB, uint8), in reading order."""
    from pipelines.formats.ocr import recognise

    image, ink, faint = _deskewed(image)
    rules = _horizontal_rules(faint)
    upright = _upright_strokes(faint)
    boxes = _table_boxes(rules, ink, upright)
    tables = [(box, _grid(upright, rules, box)) for box in boxes]
    tables = [(box, cells) for box, cells in tables if cells]
    crops: list[np.ndarray] = []
    owners: list[_Cell | int] = []  # the cell a crop belongs to, or the index of a page line
    char_heights: list[int] = []
    for _, cells in tables:
        for cell in cells:
            inner = ink[cell.y0 + 3 : cell.y1 - 2, cell.x0 + 3 : cell.x1 - 2]
            cell.lines = [(a + cell.y0 + 3, b + cell.y0 + 3) for a, b in _text_lines(inner)]
            char_heights += [b - a for a, b in cell.lines]
    char = float(np.median(char_heights)) if char_heights else None
    for _, cells in tables:
        for cell in cells:
            for a, b in cell.lines:
                span = _columns_of_ink(ink[a:b, cell.x0 + 3 : cell.x1 - 2])
                if span is None:
                    continue
                crops.append(_crop(image, cell.x0 + 3 + span[0], a, cell.x0 + 3 + span[1], b))
                owners.append(cell)
    # Text outside the tables: lines of ink across the page.
    outside = ink.copy()
    for (x0, y0, x1, y1), _ in tables:
        outside[max(0, y0 - 2) : y1 + 2, max(0, x0 - 2) : x1 + 2] = False
    page_lines: list[tuple[int, int, int, int]] = []
    for a, b in _text_lines(outside, char):
        span = _columns_of_ink(outside[a:b])
        if span is None:
            continue
        box = outside[a:b, span[0] : span[1]]
        # A filled shape, a photo or a seal is no line of text: text leaves most of its box paper.
        if box.mean() > 0.5 or (b - a) > 0.08 * ink.shape[0]:
            continue
        page_lines.append((span[0], a, span[1], b))
        crops.append(_crop(image, span[0], a, span[1], b))
        owners.append(len(page_lines) - 1)
    results = recognise(crops)
    texts: dict[int, ImageText] = {}
    for owner, result in zip(owners, results, strict=True):
        read = ImageText(result.text, result.confidence, result.alternatives)
        if isinstance(owner, _Cell):
            owner.texts.append(read)
        else:
            texts[owner] = read
    blocks: list[tuple[int, list[Row]]] = []
    reading = ImageReading(tables=len(tables))
    for (_, y0, _, _), cells in tables:
        grid_rows: dict[int, list[_Cell]] = {}
        for cell in cells:
            grid_rows.setdefault(cell.row, []).append(cell)
        rows = []
        for r in sorted(grid_rows):
            row_cells = sorted(grid_rows[r], key=lambda c: c.col)
            merged = [_joined(c.texts) for c in row_cells]
            reading.cells_read += sum(1 for c in row_cells if c.texts)
            rows.append(
                Row(
                    tuple(m.text for m in merged),
                    positions=tuple(float(c.col) for c in row_cells),
                    images=tuple(merged),
                )
            )
        blocks.append((y0, rows))
    for k, (_, a, _, _) in enumerate(page_lines):
        text = texts.get(k)
        # What the recogniser is unsure of throughout is not text (a smudge, a picture).
        if text is not None and text.text.strip() and text.confidence >= _MIN_LINE_CONFIDENCE:
            blocks.append((a, [Row((text.text.strip(),), is_text=True, images=(text,))]))
    reading.rows = [row for _, rows in sorted(blocks, key=lambda b: b[0]) for row in rows]
    return reading


# What a cell with ink that the recogniser reads no text from prints: a placeholder the template
# takes for an unreadable figure (value unknown, named in the problems), never an empty cell (0).
_ILLEGIBLE = "#"
_UNSURE_GUESS = 0.5


def _joined(texts: list[ImageText]) -> ImageText:
    """A cell's lines read as one text (a wrapped label is one label), as sure as its least sure line."""
    if not texts:
        return ImageText("", 1.0)  # no ink: an empty cell
    if not any(t.text.strip() for t in texts):
        return ImageText(_ILLEGIBLE, 0.0)
    joined = (
        texts[0] if len(texts) == 1 else ImageText("".join(t.text for t in texts), min(t.confidence for t in texts))
    )
    if joined.confidence < _UNSURE_GUESS and not any(c.isdigit() or "\u4e00" <= c <= "\u9fff" for c in joined.text):
        # Neither a figure nor Chinese, and barely read (a 5 read as 'iD'): what the cell prints is
        # not known, and the template would take the letters for no figure at all.
        return ImageText(_ILLEGIBLE, joined.confidence)
    return joined
