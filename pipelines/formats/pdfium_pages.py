"""PDF pages read through PDFium (pypdfium2): characters, ruling lines and pictures, in the
coordinates pdfplumber uses (points, origin at the page's top left), and the word, line and
table rules pdfplumber applies to them, with its tolerances.

Reading a page with pdfminer (pure Python: tokenising the content stream, then one Python object
per character) was three quarters of a PDF's parse; PDFium interprets the page in C, and this
module asks it only for what the reader uses:

- characters (the text page): each one's text and box as pdfminer draws it (from the origin
  along the advance; from the font's descent, one font size high), so words, lines and cells
  come out as they did with pdfplumber;
- edges: every painted path's straight segments, rectangles as their four sides, as pdfminer
  classifies a path (one segment: a line; a closed axis-aligned four-sided path: a rectangle;
  anything else: a curve of its end points), with the transforms of the path and of the form
  XObjects it sits in;
- pictures: each image's box and its size in pixels.

A page PDFium does not give pdfminer's geometry for raises `NotFromPdfium` (the caller reads the
file with pdfplumber instead): a rotated page (/Rotate), a MediaBox not at the origin, text that
is not upright (rotated, mirrored or skewed glyphs, vertical writing). Text run diagonally across
the page (30°–60°) is a watermark: its characters are left out, here and in pdfplumber's reading; so is
text laid flat in light grey or semi-transparent that is at least twice the page's body text (`watermark_sized`):
a report's own grey text (notes, greyed cells, a web page printed grey) is read.

PDFium's text page differs from pdfminer's characters in two known ways, both handled or
accepted: a text object with nothing visible in it (a space drawn on its own, as reportlab does
between two font subsets) is left out of PDFium's text page, so such objects come back here as
one space at their position; and PDFium drops a character drawn twice at the same place (bold
faked by overprinting) where the copy follows its original at once, which pdfminer kept twice.
Any other copy within a point is dropped here (`overprinted`), as pdfplumber's dedupe_chars does.
Radicals a ToUnicode map names for ideographs' glyphs are read as the ideographs (`IDEOGRAPHS`).
"""

from __future__ import annotations

import bisect
import collections
import ctypes
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pypdfium2
import pypdfium2.raw as pdfium
from pdfminer.fontmetrics import FONT_METRICS

# pdfplumber's defaults, which the reader used: word and line tolerances, table settings.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
EDGE_MIN_LENGTH = 3.0
EDGE_MIN_LENGTH_PREFILTER = 1.0
INTERSECTION_TOLERANCE = 3.0

LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

# The radicals-supplement forms that draw a character of their own, and that character (CJK fonts map both code
# points to one glyph, Noto Sans SC for these): NFKC leaves all but two of this block as they are.
_SUPPLEMENT = (
    "⺂乛⺃乚⺅亻⺉刂⺋㔾⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺭礻⺯糹⺰纟⺱罓⺳㓁⺹耂⺺肀"
    "⺾艹⻂衤⻅见⻆角⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤"
    "⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)


def _ideographs() -> dict[int, str]:
    """Radical and compatibility code points → the ideographs their glyphs draw. A producer that writes each glyph
    of a CJK font back to the lowest code point mapped to it (WPS, some Word prints, PDF libraries' embedders)
    names a Kangxi radical (U+2F00–U+2FD5: ⾏ for 行, ⼈ for 人), a supplement form (⺠ for 民, ⻚ for 页) or a
    compatibility ideograph (U+F900–U+FAFF) in the ToUnicode map, so the text layer reads ⾏政许可, ⼈⺠政府."""
    table = {ord(form): ideograph for form, ideograph in zip(_SUPPLEMENT[0::2], _SUPPLEMENT[1::2], strict=True)}
    for code in [*range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00)]:
        ideograph = unicodedata.normalize("NFKC", chr(code))
        if len(ideograph) == 1 and ideograph != chr(code):
            table[code] = ideograph
    table[0x2F3E] = "户"  # ⼾'s glyph is 户 in Chinese fonts; NFKC gives the traditional 戶
    return table


# Each maps one character to one: a page's text keeps its length, so its characters keep their indices.
IDEOGRAPHS = _ideographs()
# A page names one of them rarely: a regex's scan of its text costs a tenth of translating it.
_RADICAL = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")

Char = dict[str, Any]  # text, x0, x1, top, bottom (pdfplumber's keys)
Word = dict[str, Any]
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


class NotFromPdfium(Exception):
    """A construct whose geometry PDFium does not give as pdfminer did; the message says which."""


# A ruling line: orientation ("h" or "v"), x0, top, x1, bottom, and pdfplumber's width and
# height (a rectangle's sides keep the rectangle's length, as pdfplumber's rect_to_edges does).
# A plain tuple: a page has hundreds (a WPS print draws every cell's sides as paths of their own),
# and each is copied when snapped and joined.
Edge = tuple[str, float, float, float, float, float, float]
# An edge without its orientation, while the table rules work on one orientation at a time.
Line = tuple[float, float, float, float, float, float]  # x0, top, x1, bottom, width, height
_X0, _TOP, _X1, _BOTTOM, _W, _H = range(6)


@dataclass
class Page:
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    columns: CharColumns | None = None  # the characters' sides as arrays


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mult(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n (row vectors, as PDF and pdfminer write them)."""
    if n == _IDENTITY:
        return m
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


@functools.lru_cache(maxsize=8192)
def _decimal(value: float) -> float:
    """A float PDFium read (single precision) as the decimal the file wrote, when it wrote at
    most 7 significant digits, as pdfminer reads it: 841.92, not 841.9199829101562. A page's
    size and a picture's box decide the resolution a scan is rendered at, so they must be the
    same numbers pdfminer gave."""
    return value if value.is_integer() else float(f"{value:.7g}")


@functools.lru_cache(maxsize=1024)
def _decimal_matrix(a: float, b: float, c: float, d: float, e: float, f: float) -> _Matrix:
    return (_decimal(a), _decimal(b), _decimal(c), _decimal(d), _decimal(e), _decimal(f))


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _c(name: str, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function taking and returning handles as plain addresses: a call costs a third
    less than through pypdfium2's typed pointers, which counts at a few thousand calls a page.
    These are getters of a few instructions, so the GIL is kept over the call (PYFUNCTYPE):
    releasing and taking it back was a sixth of each call's cost."""
    return ctypes.PYFUNCTYPE(restype, *argtypes)(_address(getattr(pdfium, name)))


_P, _I, _F = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)
_get_object = _c("FPDFPage_GetObject", _P, _P, _I)
_form_count = _c("FPDFFormObj_CountObjects", _I, _P)
_form_object = _c("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_object_type = _c("FPDFPageObj_GetType", _I, _P)
_object_matrix = _c("FPDFPageObj_GetMatrix", _I, _P, _P)  # the matrix by address
_object_bounds = _c("FPDFPageObj_GetBounds", _I, _P, _F, _F, _F, _F)
_font_size = _c("FPDFTextObj_GetFontSize", _I, _P, _F)
_font = _c("FPDFTextObj_GetFont", _P, _P)
_descent = _c("FPDFFont_GetDescent", _I, _P, ctypes.c_float, _F)
_draw_mode = _c("FPDFPath_GetDrawMode", _I, _P, _P, _P)  # fill mode and stroke by address
_segments = _c("FPDFPath_CountSegments", _I, _P)
_segment = _c("FPDFPath_GetPathSegment", _P, _P, _I)
_segment_point = _c("FPDFPathSegment_GetPoint", _I, _P, _P, _P)  # x and y by address
_segment_type = _c("FPDFPathSegment_GetType", _I, _P)
_segment_close = _c("FPDFPathSegment_GetClose", _I, _P)
_pixel_size = _c("FPDFImageObj_GetImagePixelSize", _I, _P, ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint))
_base_font_name = _c("FPDFFont_GetBaseFontName", ctypes.c_size_t, _P, ctypes.c_char_p, ctypes.c_size_t)
_char_object = _c("FPDFText_GetTextObject", _P, _P, _I)
_char_box = _c("FPDFText_GetLooseCharBox", _I, _P, _I, _P)  # the box by address
_char_matrix = _c("FPDFText_GetMatrix", _I, _P, _I, _P)  # the matrix by address
_char_generated = _c("FPDFText_IsGenerated", _I, _P, _I)
_char_unicode = _c("FPDFText_GetUnicode", ctypes.c_uint, _P, _I)
_fill_color = _c("FPDFPageObj_GetFillColor", _I, _P, _P, _P, _P, _P)  # R, G, B, A (0-255) by address
_UNSEEN = (0.0, 0.0)  # a text object not met yet
_TEXT, _PATH, _IMAGE, _FORM = (
    pdfium.FPDF_PAGEOBJ_TEXT,
    pdfium.FPDF_PAGEOBJ_PATH,
    pdfium.FPDF_PAGEOBJ_IMAGE,
    pdfium.FPDF_PAGEOBJ_FORM,
)
_MOVETO, _LINETO, _BEZIERTO = pdfium.FPDF_SEGMENT_MOVETO, pdfium.FPDF_SEGMENT_LINETO, pdfium.FPDF_SEGMENT_BEZIERTO


class _PageReader:
    """The page objects of one page (form XObjects entered), then its characters."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.matrix = pdfium.FS_MATRIX()
        self.texts: list[tuple[int, _Matrix]] = []  # text objects, with the forms' matrix around them
        self.edges: list[Edge] = []
        self.images: list[dict[str, Any]] = []
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.px, self.py = ctypes.c_float(), ctypes.c_float()
        self.size = ctypes.c_float()
        self.matrix_at = ctypes.addressof(self.matrix)
        self.fill_at, self.stroke_at = ctypes.addressof(self.fill), ctypes.addressof(self.stroke)
        self.px_at, self.py_at = ctypes.addressof(self.px), ctypes.addressof(self.py)
        self.descents: dict[int, float] = {}  # font → its descent per point of size

    def _matrix_of(self, obj: int) -> _Matrix:
        m = self.matrix
        if not _object_matrix(obj, self.matrix_at):
            return _IDENTITY
        return _decimal_matrix(m.a, m.b, m.c, m.d, m.e, m.f)

    def walk(self, objects: Iterable[int], outer: _Matrix) -> None:
        for obj in objects:
            kind = _object_type(obj)
            if kind == _TEXT:
                self.texts.append((obj, outer))
            elif kind == _PATH:
                self._path(obj, _mult(self._matrix_of(obj), outer))
            elif kind == _IMAGE:
                self._image(obj, _mult(self._matrix_of(obj), outer))
            elif kind == _FORM:
                inner = _mult(self._matrix_of(obj), outer)
                self.walk([_form_object(obj, k) for k in range(_form_count(obj))], inner)

    def _image(self, obj: int, m: _Matrix) -> None:
        # The unit square through the image's matrix, as pdfminer places a picture.
        xs = (m[4], m[0] + m[4], m[2] + m[4], m[0] + m[2] + m[4])
        ys = (m[5], m[1] + m[5], m[3] + m[5], m[1] + m[3] + m[5])
        w, h = ctypes.c_uint(), ctypes.c_uint()
        size = (w.value, h.value) if _pixel_size(obj, w, h) else None
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        self.images.append({"x0": x0, "x1": x1, "top": self.height - y1, "bottom": self.height - y0, "srcsize": size})

    def _path(self, obj: int, m: _Matrix) -> None:
        if _draw_mode(obj, self.fill_at, self.stroke_at) and not self.fill.value and not self.stroke.value:
            return  # not painted (pdfminer's `n`)
        a, b, c, d, e, f = m
        identity = m == _IDENTITY
        px, py, px_at, py_at = self.px, self.py, self.px_at, self.py_at
        count = _segments(obj)
        if count == 2:
            # One straight line (a cell's side, as WPS draws them): "ml" without the general
            # walk below, unless it closes on its own start (then "mh", left to the walk).
            first, second = _segment(obj, 0), _segment(obj, 1)
            if _segment_type(first) == _MOVETO and _segment_type(second) == _LINETO:
                _segment_point(first, px_at, py_at)
                x, y = _decimal(px.value), _decimal(py.value)
                start = (x, y) if identity else (a * x + c * y + e, b * x + d * y + f)
                _segment_point(second, px_at, py_at)
                x, y = _decimal(px.value), _decimal(py.value)
                end = (x, y) if identity else (a * x + c * y + e, b * x + d * y + f)
                if end != start or not _segment_close(second):
                    self._subpath("ml", [start, end])
                    return
        shape: list[str] = []
        pts: list[tuple[float, float]] = []
        k = 0
        while k < count:
            seg = _segment(obj, k)
            kind = _segment_type(seg)
            if kind == _BEZIERTO and k + 2 < count:
                # Three points (two controls, then the end): pdfminer keeps the end point.
                k += 2
                seg = _segment(obj, k)
            _segment_point(seg, px_at, py_at)
            x, y = _decimal(px.value), _decimal(py.value)
            point = (x, y) if identity else (a * x + c * y + e, b * x + d * y + f)
            if kind == _MOVETO:
                if shape:
                    self._subpath("".join(shape), pts)
                shape, pts = ["m"], [point]
            elif shape:
                if kind == _LINETO and point == pts[0] and _segment_close(seg):
                    # PDFium writes `h` as a line back to the start: pdfminer's `h`.
                    shape.append("h")
                else:
                    shape.append("c" if kind == _BEZIERTO else "l")
                pts.append(point)
            k += 1
        if shape:
            self._subpath("".join(shape), pts)

    def _subpath(self, shape: str, pts: list[tuple[float, float]]) -> None:
        """pdfminer's paint_path for one subpath, then pdfplumber's edges of the object."""
        # A redundant line back to the start before `h`.
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-2] + pts[-1:]
        height = self.height
        if shape in ("mlh", "ml"):
            (x0, y0), (x1, y1) = pts[0], pts[1]
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
            top, bottom = height - y1, height - y0
            orientation = "h" if top == bottom else "v"
            self.edges.append((orientation, x0, top, x1, bottom, x1 - x0, y1 - y0))
            return
        if shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if pts[0] == pts[4] and square:
                left, right = min(x0, x2), max(x0, x2)
                low, high = min(y0, y2), max(y0, y2)
                top, bottom = height - high, height - low
                w, h = right - left, high - low
                self.edges += [
                    ("h", left, top, right, top, w, 0.0),
                    ("h", left, top + h, right, bottom, w, 0.0),
                    ("v", left, top, left, bottom, 0.0, h),
                    ("v", right, top, right, bottom, 0.0, h),
                ]
                return
        # A curve: pdfplumber's edges between consecutive points, straight ones only.
        flipped = [(x, height - y) for x, y in pts]
        for (xa, ya), (xb, yb) in itertools.pairwise(flipped):
            if xa == xb:
                orientation = "v"
            elif ya == yb:
                orientation = "h"
            else:
                continue
            self.edges.append(
                (orientation, min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), abs(xa - xb), abs(ya - yb))
            )

    def _place(self, obj: int, m: _Matrix) -> tuple[float, float] | None:
        """The top and bottom of an upright text object's glyphs as pdfminer boxes them: from the
        font's descent (a positive one, from a broken font descriptor, counted as negative), one
        font size high, through the text matrix (every glyph sits on the object's baseline).
        None for text rotated, mirrored or skewed."""
        a, b, c, d, _e, f = m
        if b != 0 or c != 0 or a <= 0 or d <= 0:
            return None
        size = _decimal(self.size.value) if _font_size(obj, self.size) else 1.0
        font = _font(obj) or 0
        if font not in self.descents:
            self.descents[font] = _font_descent(font)
        y0 = f + d * self.descents[font] * size
        y1 = y0 + d * size
        return (self.height - y1, self.height - y0)

    @staticmethod
    def _faint(objects: list[int | None]) -> list[int | None]:
        """The text objects filled faint (see faint()): their fill colours read by one mapped call each into one
        array, and tested on it at once (a Python test per object cost a tenth of the page's characters)."""
        n = len(objects)
        rgba = (ctypes.c_uint * (4 * n))()
        start = ctypes.addressof(rgba)
        at = [range(start + 4 * k, start + 16 * n, 16) for k in range(4)]
        read = np.fromiter(map(_fill_color, objects, *at), dtype=bool, count=n)
        red, green, blue, alpha = (
            np.frombuffer(memoryview(rgba).cast("B"), dtype=np.uint32).reshape(n, 4).T.astype(np.int64)
        )
        return [objects[k] for k in np.flatnonzero(read & faint(red, green, blue, alpha)).tolist()]

    @staticmethod
    def _large(
        faint_objects: list[int | None], objects: list[int | None], places: dict[int | None, tuple[float, float]]
    ) -> list[int | None]:
        """Of the text objects filled faint, those drawn large against the page's other text (watermark_sized):
        each object sized by its glyphs' height, and counted once per character."""
        faint_set = set(faint_objects)
        counts = collections.Counter(objects)
        placed = [o for o in counts if o in places]
        sizes = [places[o][1] - places[o][0] for o in placed]
        large = watermark_sized(sizes, [o in faint_set for o in placed], [counts[o] for o in placed])
        return [o for o, is_large in zip(placed, large, strict=True) if is_large]

    def chars(self, textpage: int) -> CharColumns:
        tp = textpage
        m = self.matrix
        count = pdfium.FPDFText_CountChars(ctypes.cast(tp, pdfium.FPDF_TEXTPAGE))
        text = _page_text(tp, count)
        if text is None:
            text = "".join(chr(_char_unicode(tp, i)) for i in range(count))
        if _RADICAL.search(text):
            text = text.translate(IDEOGRAPHS)
        # A thousand characters a page: each PDFium call mapped over them (no Python loop of
        # our own per call), the boxes written into one array, the dicts built in one pass.
        generated = _char_generated
        kept = [
            i for i, char in enumerate(text) if char != "\x00" and not (char in "\x20\r\n" and generated(tp, i))
        ]  # PDFium's own spaces and line ends are not in the file
        n = len(kept)
        objects: list[int | None] = list(map(_char_object, itertools.repeat(tp, n), kept))
        places: dict[int | None, tuple[float, float]] = {}
        watermark: set[int | None] = set()
        # Each text object once, at its first character (a reversed dict keeps the first).
        for obj, i in dict(zip(reversed(objects), reversed(kept), strict=True)).items():
            # The character's matrix is its text object's, forms included.
            _char_matrix(tp, i, self.matrix_at)
            # (Only the scale and the baseline are used as numbers.)
            place = self._place(obj or 0, (m.a, m.b, m.c, _decimal(m.d), m.e, _decimal(m.f)))
            if place is None:
                if not diagonal(m.a, m.b):
                    raise NotFromPdfium("text that is not upright")
                watermark.add(obj)
                continue
            places[obj] = place
        faint_objects = self._faint(list(places))
        if faint_objects:
            watermark.update(self._large(faint_objects, objects, places))
        if watermark:
            # A watermark drawn across the page (仅供参考, the agency's name: diagonally, or flat in faint grey) is no
            # part of the report: its characters would land among the cells' and labels'.
            kept = [i for i, obj in zip(kept, objects, strict=True) if obj not in watermark]
            objects = [obj for obj in objects if obj not in watermark]
            n = len(kept)
        boxes = (ctypes.c_float * (4 * n))()  # left, top, right, bottom per character
        start = ctypes.addressof(boxes)
        list(map(_char_box, itertools.repeat(tp, n), kept, range(start, start + 16 * n, 16)))
        # Read as floats through a memoryview: list(boxes) is eight times slower.
        sides: list[float] = memoryview(boxes).cast("B").cast("f").tolist()  # type: ignore[assignment]
        x0s, x1s = sides[0::4], sides[2::4]
        at = list(map(places.__getitem__, objects))
        tops, bottoms = [p[0] for p in at], [p[1] for p in at]
        # PDFium marks a hyphen ending a line (0x2); pdfminer read it as printed.
        texts = [text[i] for i in kept] if "\x02" not in text else [text[i].replace("\x02", "-") for i in kept]
        bounds = [ctypes.c_float() for _ in range(4)]
        for obj, outer in self.texts:
            if obj in places or not _object_bounds(obj, *bounds) or abs(bounds[2].value - bounds[0].value) >= 0.01:
                continue
            # PDFium's text page leaves out a text object that draws nothing (a space drawn on
            # its own, as reportlab does between two font subsets): pdfminer read a space there.
            matrix = _mult(self._matrix_of(obj), outer)
            place = self._place(obj, matrix)
            if place is not None:
                texts.append(" ")
                x0s.append(matrix[4])
                x1s.append(matrix[4])
                tops.append(place[0])
                bottoms.append(place[1])
        columns = CharColumns([], x0s, x1s, tops, bottoms)
        again = overprinted(texts, columns)
        if again:
            # Bold faked by drawing the text twice: each character once, where it was first drawn.
            keep = [k for k in range(len(texts)) if k not in again]
            texts = [texts[k] for k in keep]
            x0s, x1s, tops, bottoms = ([side[k] for k in keep] for side in (x0s, x1s, tops, bottoms))
            columns = CharColumns([], x0s, x1s, tops, bottoms)
        columns.chars = [
            {"text": t, "x0": x0, "x1": x1, "top": top, "bottom": bottom}
            for t, x0, x1, top, bottom in zip(texts, x0s, x1s, tops, bottoms, strict=True)
        ]
        return columns


# pdfplumber's dedupe_chars: a character within a point (left side and top) of an earlier one of the same text is
# the same character drawn again.
OVERPRINT_TOLERANCE = 1.0
_BITS = 21  # a bucket's place on each axis (pages up to 10⁶ points either way of the origin)


def overprinted(texts: Sequence[str], columns: CharColumns) -> set[int]:
    """The characters drawn again over an earlier one of the same text (bold faked by printing twice, a fraction
    of a point apart), by their index: what pdfplumber's dedupe_chars (tolerance 1) leaves out. PDFium itself
    drops a copy only where the same text object is drawn again at once, not a paragraph or a line drawn twice.
    A page without such pairs costs a sort: characters fall into buckets of the tolerance by text, top and left
    side, and only those with another one in their bucket or the next are compared."""
    n = len(texts)
    if n < 2:
        return set()
    offset = 1 << (_BITS - 1)
    left = np.clip(np.floor(columns.x0 / OVERPRINT_TOLERANCE).astype(np.int64) + offset, 0, (1 << _BITS) - 2)
    top = np.clip(np.floor(columns.top / OVERPRINT_TOLERANCE).astype(np.int64) + offset, 1, (1 << _BITS) - 2)
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    keys = (codes << (2 * _BITS)) | (top << _BITS) | left
    order = np.argsort(keys)
    ordered = keys[order]
    near = np.zeros(n, dtype=bool)
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    near[order[same]] = near[order[same + 1]] = True
    # The buckets right, and below left, below, below right (the others see these).
    for step in (1, (1 << _BITS) - 1, 1 << _BITS, (1 << _BITS) + 1):
        at = np.searchsorted(ordered, ordered + step)
        found = np.flatnonzero(at < n)
        found = found[ordered[at[found]] == ordered[found] + step]
        near[order[found]] = near[order[at[found]]] = True
    if not near.any():
        return set()
    again: set[int] = set()
    first: dict[str, list[int]] = {}
    x0s, tops = columns.x0, columns.top
    for k in np.flatnonzero(near).tolist():
        earlier = first.setdefault(texts[k], [])
        if any(
            abs(x0s[j] - x0s[k]) <= OVERPRINT_TOLERANCE and abs(tops[j] - tops[k]) <= OVERPRINT_TOLERANCE
            for j in earlier
        ):
            again.add(k)
        else:
            earlier.append(k)
    return again


# Text drawn at more than about 5° from the page's axes (tan 5° ≈ 0.087): a watermark, never a report's text.
_SLANT = 0.087


def diagonal(a: float, b: float) -> bool:
    """Whether text whose matrix starts (a, b) runs diagonally across the page, as watermarks are drawn (text turned
    by a right angle, or mirrored, is not diagonal: pdfplumber reads such pages)."""
    return min(abs(a), abs(b)) > _SLANT * max(abs(a), abs(b))


# A watermark laid flat is half transparent, or a light grey (60%–95% white: Word's and WPS's watermark colours,
# flattened): red, green and blue within 16 of each other, between these (0–255).
_GREY_SPREAD, _LIGHT = 16, (153, 242)
# ... and large: Word's and WPS's watermark text is 36 pt and up (or sized to the page) over body text of 10.5–16 pt,
# a printer's is centred across the page. A report's own grey text (notes, a greyed table, a web page printed with
# its CSS greys, a header band's labels) is body-sized; a title is under twice the body's size.
WATERMARK_SIZE = 2.0  # times the page's body text


def faint(red: Any, green: Any, blue: Any, alpha: Any = 255) -> Any:
    """Whether text is filled so (0–255; numbers, or arrays of them for many objects at once) as a watermark laid
    flat is: light grey or transparent. Such text is a watermark only if it is also large (see watermark_sized);
    a report's own text is black or dark, or grey at its body's size; white text (a header cell's) is not grey."""
    low, high = np.minimum(np.minimum(red, green), blue), np.maximum(np.maximum(red, green), blue)
    return (alpha < 255) | ((high - low <= _GREY_SPREAD) & (low >= _LIGHT[0]) & (high <= _LIGHT[1]))


def watermark_sized(
    sizes: Sequence[float], is_faint: Sequence[bool], counts: Sequence[int] | None = None
) -> list[bool]:
    """Which of a page's characters, or text objects of `counts` characters each (their sizes: glyph heights, in
    points; whether each is faint), are a flat watermark's: faint, and at least WATERMARK_SIZE times the page's
    body text, the median size of its other characters (of all of them where every one is faint: a web page
    printed grey throughout)."""
    size, light = np.asarray(sizes, dtype=np.float64), np.asarray(is_faint, dtype=bool)
    if not size.size:
        return []
    body_from = ~light if not light.all() else np.ones_like(light)
    each = np.ones(len(size), dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
    body = np.median(np.repeat(size[body_from], each[body_from]))
    return (light & (size >= WATERMARK_SIZE * body)).tolist()


def _font_descent(font: int) -> float:
    """The font's descent per point of size, as pdfminer takes it: the standard fonts' (and their
    Arial, Times New Roman and Courier New aliases') from their metrics, whatever the file says,
    else the font descriptor's (a positive one, from a broken descriptor, counted as negative)."""
    if not font:
        return 0.0
    buffer = ctypes.create_string_buffer(128)
    length = _base_font_name(font, buffer, len(buffer))
    name = buffer.raw[: max(0, length - 1)].decode("latin-1") if 0 < length <= len(buffer) else ""
    if name in FONT_METRICS:
        descriptor: dict[str, Any] = FONT_METRICS[name][0]
        return -abs(float(descriptor.get("Descent", 0))) / 1000
    descent = ctypes.c_float()
    return -abs(_decimal(descent.value)) if _descent(font, 1.0, descent) else 0.0


def _page_text(textpage: int, count: int) -> str | None:
    """Every character's text in one call, when it comes back one unit per character (else None:
    a character outside the text, as a marked hyphen, or one outside the BMP)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium.FPDFText_GetText(ctypes.cast(textpage, pdfium.FPDF_TEXTPAGE), 0, count, buffer)
    if written - 1 != count:
        return None
    return bytes(buffer)[: 2 * count].decode("utf-16-le", errors="replace")


def read_page(document: pypdfium2.PdfDocument, number: int) -> Page:
    """One page's characters, edges and pictures (raises NotFromPdfium, see the module)."""
    # The page loaded and closed by PDFium's own calls: pypdfium2's PdfPage (a wrapper object,
    # registered with the document, with a finaliser) is not needed for a page read once.
    raw = pdfium.FPDF_LoadPage(document.raw, number)
    if not raw:
        raise pypdfium2.PdfiumError("Failed to load page.")
    try:
        if pdfium.FPDFPage_GetRotation(raw) != 0:
            raise NotFromPdfium("a rotated page")
        box = [ctypes.c_float() for _ in range(4)]
        if not pdfium.FPDFPage_GetMediaBox(raw, *box):
            raise NotFromPdfium("a page without its own MediaBox")
        left, bottom, right, top = (_decimal(v.value) for v in box)
        if left != 0 or bottom != 0:
            raise NotFromPdfium("a MediaBox not at the origin")
        reader = _PageReader(top)
        address = _address(raw)
        reader.walk([_get_object(address, k) for k in range(pdfium.FPDFPage_CountObjects(raw))], _IDENTITY)
        textpage = pdfium.FPDFText_LoadPage(raw)
        try:
            columns = reader.chars(_address(textpage))
        finally:
            pdfium.FPDFText_ClosePage(textpage)
        return Page(right, top, columns.chars, reader.edges, reader.images, columns)
    finally:
        pdfium.FPDF_ClosePage(raw)


# ---------------------------------------------------------------------------------------------
# Words and lines, as pdfplumber's WordExtractor and extract_text (x and y tolerance 3).


def cluster(
    items: Sequence[Any], key: Callable[[Any], float], tolerance: float, keep_order: bool = False
) -> list[list[Any]]:
    """pdfplumber's cluster_objects: values closer than `tolerance` to the previous one (in
    sorted order) share a cluster; clusters in order of value, items in their order within."""
    keys = list(map(key, items))
    values = sorted(set(keys))
    if len(values) <= 1:
        return [list(items)] if items else []
    ids: dict[float, int] = {}
    last = values[0]
    n = 0
    for value in values:
        if value > last + tolerance:
            n += 1
        ids[value] = n
        last = value
    if n == 0:
        return [list(items)]
    if keep_order:
        out: list[list[Any]] = []
        previous = -1
        for x, k in zip(items, keys, strict=True):
            if ids[k] != previous:
                out.append([])
                previous = ids[k]
            out[-1].append(x)
        return out
    buckets: list[list[Any]] = [[] for _ in range(n + 1)]
    for x, k in zip(items, keys, strict=True):
        buckets[ids[k]].append(x)
    return buckets


_top = operator.itemgetter("top")
_x0 = operator.itemgetter("x0")


def _merge(chars: list[Char]) -> Word:
    first = chars[0]
    x0, top, x1, bottom = first["x0"], first["top"], first["x1"], first["bottom"]
    texts: list[str] = []
    for c in chars:
        texts.append(LIGATURES.get(c["text"]) or c["text"])
        if c["x0"] < x0:
            x0 = c["x0"]
        if c["top"] < top:
            top = c["top"]
        if c["x1"] > x1:
            x1 = c["x1"]
        if c["bottom"] > bottom:
            bottom = c["bottom"]
    return {"text": "".join(texts), "x0": x0, "top": top, "x1": x1, "bottom": bottom}


def extract_words(chars: Sequence[Char]) -> list[Word]:
    """Words: characters clustered into lines by their top, left to right, a word ending at a
    blank, at a gap wider than the tolerance, or where the next character starts before it."""
    words: list[Word] = []
    for line in cluster(chars, _top, Y_TOLERANCE):
        current: list[Char] = []
        for char in sorted(line, key=_x0):
            if char["text"].isspace():
                if current:
                    words.append(_merge(current))
                current = []
                continue
            if current:
                prev = current[-1]
                if (
                    char["x0"] < prev["x0"]
                    or char["x0"] > prev["x1"] + X_TOLERANCE
                    or abs(char["top"] - prev["top"]) > Y_TOLERANCE
                ):
                    words.append(_merge(current))
                    current = [char]
                    continue
            current.append(char)
        if current:
            words.append(_merge(current))
    return words


class CharColumns:
    """A page's characters with their sides as arrays, for the rules that take all of a page's
    characters at once (its words, and which table cell each one falls in): numpy does per page
    what the Python loops did per character, with the same float64 arithmetic and comparisons."""

    def __init__(
        self,
        chars: list[Char],
        x0: Sequence[float],
        x1: Sequence[float],
        top: Sequence[float],
        bottom: Sequence[float],
    ) -> None:
        self.chars = chars
        self.x0 = np.array(x0, dtype=np.float64)
        self.x1 = np.array(x1, dtype=np.float64)
        self.top = np.array(top, dtype=np.float64)
        self.bottom = np.array(bottom, dtype=np.float64)

    @classmethod
    def of(cls, chars: list[Char]) -> CharColumns:
        return cls(
            chars,
            [c["x0"] for c in chars],
            [c["x1"] for c in chars],
            [c["top"] for c in chars],
            [c["bottom"] for c in chars],
        )

    @functools.cached_property
    def middles(self) -> tuple[np.ndarray, np.ndarray]:
        """Each character's horizontal and vertical middle, as pdfplumber's table.extract() takes them."""
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


def page_words(columns: CharColumns) -> list[Word]:
    """extract_words over a whole page, on its columns: lines by pdfplumber's clustering of the
    tops, each left to right (a stable sort, as sorted()), a word ending at a blank, at a new
    line, at a gap wider than the tolerance, where the next character starts before the last, or
    where the next character's top is further than the tolerance from the last one's."""
    chars, n = columns.chars, len(columns.chars)
    if n == 0:
        return []
    values = np.unique(columns.top)
    # cluster(): a value more than the tolerance above the previous one opens a line.
    line_of_value = np.concatenate(([0], np.cumsum(values[1:] > values[:-1] + Y_TOLERANCE)))
    line = line_of_value[np.searchsorted(values, columns.top)]
    order = np.argsort(columns.x0, kind="stable")
    order = order[np.argsort(line[order], kind="stable")]
    texts = [chars[k]["text"] for k in order.tolist()]
    blank = np.fromiter((t.isspace() for t in texts), dtype=bool, count=n)
    x0, x1, top, bottom, line = (
        columns.x0[order],
        columns.x1[order],
        columns.top[order],
        columns.bottom[order],
        line[order],
    )
    starts = np.ones(n, dtype=bool)
    starts[1:] = (
        (line[1:] != line[:-1])
        | blank[:-1]
        | (x0[1:] < x0[:-1])
        | (x0[1:] > x1[:-1] + X_TOLERANCE)
        | (np.abs(top[1:] - top[:-1]) > Y_TOLERANCE)
    )
    kept = ~blank
    if not kept.any():
        return []
    firsts = np.flatnonzero(starts[kept])  # each word's first character among the kept ones
    kept_texts = [LIGATURES.get(t) or t for t, b in zip(texts, blank.tolist(), strict=True) if not b]
    ends = [*firsts[1:].tolist(), len(kept_texts)]
    words = zip(
        firsts.tolist(),
        ends,
        np.minimum.reduceat(x0[kept], firsts).tolist(),
        np.minimum.reduceat(top[kept], firsts).tolist(),
        np.maximum.reduceat(x1[kept], firsts).tolist(),
        np.maximum.reduceat(bottom[kept], firsts).tolist(),
        strict=True,
    )
    return [
        {"text": "".join(kept_texts[a:b]), "x0": wx0, "top": wtop, "x1": wx1, "bottom": wbottom}
        for a, b, wx0, wtop, wx1, wbottom in words
    ]


def _word_texts(line: list[Char]) -> list[str]:
    """The words of one line of characters all at the same top, sorted left to right: the
    texts extract_words gives them (no box needed)."""
    words: list[str] = []
    current: list[str] = []
    prev: Char | None = None
    for char in line:
        text = char["text"]
        if text.isspace():
            if current:
                words.append("".join(current))
            current, prev = [], None
            continue
        if prev is not None and (char["x0"] < prev["x0"] or char["x0"] > prev["x1"] + X_TOLERANCE):
            words.append("".join(current))
            current = []
        current.append(LIGATURES.get(text) or text)
        prev = char
    if current:
        words.append("".join(current))
    return words


def extract_text(chars: Sequence[Char]) -> str:
    """pdfplumber's extract_text(chars) (not laid out): words joined by spaces, lines by newlines."""
    if not chars:
        return ""
    if len(chars) == 1:
        # A lone character (a figure cell's "0", as a rule): itself, or nothing for a blank.
        text = chars[0]["text"]
        return "" if text.isspace() else LIGATURES.get(text) or text
    tops = [c["top"] for c in chars]
    low, high = min(tops), max(tops)
    if high <= low + Y_TOLERANCE and high - low <= Y_TOLERANCE:
        # One line (a cell's text, as a rule, its glyphs from fonts of different descents): the
        # tops make one cluster (no gap above the tolerance) and no two differ by more than it,
        # so extract_words splits nowhere by top and its words make one line; their texts alone.
        return " ".join(_word_texts(sorted(chars, key=_x0)))
    lines = cluster(extract_words(chars), _top, Y_TOLERANCE)
    return "\n".join(" ".join(w["text"] for w in line) for line in lines)


def page_text(words: Sequence[Word]) -> str:
    """pdfplumber's page.extract_text() from the page's words (extract_words): the same, with
    the words' lines kept in word order."""
    if not words:
        return ""
    lines = cluster(words, _top, Y_TOLERANCE, keep_order=True)
    return "\n".join(" ".join(w["text"] for w in line) for line in lines)


# ---------------------------------------------------------------------------------------------
# Tables from ruling lines, as pdfplumber's TableFinder with its default ("lines") settings.


@dataclass(frozen=True)
class TableRow:
    cells: list[BBox | None]

    @functools.cached_property
    def bbox(self) -> BBox:
        present = [c for c in self.cells if c is not None]
        return (
            min(c[0] for c in present),
            min(c[1] for c in present),
            max(c[2] for c in present),
            max(c[3] for c in present),
        )


@dataclass
class Table:
    cells: list[BBox]

    @functools.cached_property
    def bbox(self) -> BBox:
        c = self.cells
        return (min(x[0] for x in c), min(x[1] for x in c), max(x[2] for x in c), max(x[3] for x in c))

    @functools.cached_property
    def rows(self) -> list[TableRow]:
        """Rows by the cells' tops; each row has a slot per distinct left edge (None: no cell
        starts there in this row)."""
        xs = sorted({c[0] for c in self.cells})
        out = []
        for _, group in itertools.groupby(sorted(self.cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
            by_x = {c[0]: c for c in group}
            out.append(TableRow([by_x.get(x) for x in xs]))
        return out


def _snap(lines: list[Line], vertical: bool) -> list[Line]:
    """Lines within the snap tolerance of each other moved to their mean position."""
    out = []
    at = _X0 if vertical else _TOP
    for group in cluster(lines, operator.itemgetter(at), SNAP_TOLERANCE):
        mean = sum(e[at] for e in group) / len(group)
        for x0, top, x1, bottom, w, h in group:
            if vertical:
                shift = mean - x0
                out.append((x0 + shift, top, x1 + shift, bottom, w, h))
            else:
                shift = mean - top
                out.append((x0, top + shift, x1, bottom + shift, w, h))
    return out


def _join(lines: list[Line], vertical: bool) -> list[Line]:
    """Collinear lines closer than the join tolerance made one."""
    joined: list[Line] = []
    for e in sorted(lines, key=operator.itemgetter(_TOP if vertical else _X0)):
        if not joined:
            joined.append(e)
            continue
        x0, top, x1, bottom, w, h = joined[-1]
        if vertical:
            if e[_TOP] <= bottom + JOIN_TOLERANCE:
                if e[_BOTTOM] > bottom:
                    joined[-1] = (x0, top, x1, e[_BOTTOM], w, h + (e[_BOTTOM] - bottom))
            else:
                joined.append(e)
        elif e[_X0] <= x1 + JOIN_TOLERANCE:
            if e[_X1] > x1:
                joined[-1] = (x0, top, e[_X1], bottom, e[_X1] - x0, h)
        else:
            joined.append(e)
    return joined


def _merged_edges(edges: list[Edge]) -> tuple[list[Line], list[Line]]:
    """pdfplumber's merge_edges: snapped, then joined per orientation and position, in order of
    position; then lines shorter than the minimum length dropped. (Horizontals, verticals.)"""
    out: tuple[list[Line], list[Line]] = ([], [])
    for merged, orientation, length, at in ((out[0], "h", _W, _TOP), (out[1], "v", _H, _X0)):
        lines: list[Line] = [e[1:] for e in edges if e[0] == orientation]
        kept = [e for e in lines if e[length] >= EDGE_MIN_LENGTH_PREFILTER]
        position = operator.itemgetter(at)
        vertical = orientation == "v"
        for _, group in itertools.groupby(sorted(_snap(kept, vertical), key=position), key=position):
            merged += [e for e in _join(list(group), vertical) if e[length] >= EDGE_MIN_LENGTH]
    return out


def _cells(horizontals: list[Line], verticals: list[Line]) -> list[BBox]:
    """Intersections of the merged edges, then each one's smallest cell: the nearest points below
    and right of it joined to it, and to the corner they make, by common edges."""
    tol = INTERSECTION_TOLERANCE
    verticals = sorted(verticals, key=operator.itemgetter(_X0))
    xs = [v[_X0] for v in verticals]
    # An edge is known by its box (as in pdfplumber's sets of edges), here by a number for it.
    v_number = {v[:4]: k for k, v in enumerate(verticals)}
    h_number = {h[:4]: k for k, h in enumerate(horizontals)}
    v_spans = [(v[_X0], v[_TOP], v[_BOTTOM], v_number[v[:4]]) for v in verticals]
    v_at: dict[tuple[float, float], set[int]] = {}
    h_at: dict[tuple[float, float], set[int]] = {}
    for h in horizontals:
        htop = h[_TOP]
        this = h_number[h[:4]]
        low, high = htop - tol, htop + tol
        # The verticals within the tolerance of the horizontal's span, then of its height.
        for vx, vtop, vbottom, number in v_spans[
            bisect.bisect_left(xs, h[_X0] - tol) : bisect.bisect_right(xs, h[_X1] + tol)
        ]:
            if vtop <= high and vbottom >= low:
                point = (vx, htop)
                if point in v_at:
                    v_at[point].add(number)
                    h_at[point].add(this)
                else:
                    v_at[point] = {number}
                    h_at[point] = {this}
    points = sorted(v_at)
    columns: dict[float, list[tuple[float, float]]] = {}  # points by x, top to bottom
    rows: dict[float, list[tuple[float, float]]] = {}  # points by y, left to right
    for p in points:
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    in_column = {p: k for line in columns.values() for k, p in enumerate(line)}
    in_row = {p: k for line in rows.values() for k, p in enumerate(line)}
    cells = []
    # Two points of a column are joined by a common vertical edge, two of a row by a common
    # horizontal one (pdfplumber's edge_connects, which tries both, meets only that one here).
    for pt in points[:-1]:
        x, y = pt
        vp, hp = v_at[pt], h_at[pt]
        column, row = columns[x], rows[y]
        first_right = in_row[pt] + 1
        found = None
        for k in range(in_column[pt] + 1, len(column)):
            b = column[k]
            if vp.isdisjoint(v_at[b]):
                continue
            hb = h_at[b]
            for i in range(first_right, len(row)):
                r = row[i]
                if hp.isdisjoint(h_at[r]):
                    continue
                corner = (r[0], b[1])
                vc = v_at.get(corner)
                if vc is not None and not vc.isdisjoint(v_at[r]) and not h_at[corner].isdisjoint(hb):
                    found = (x, y, r[0], b[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables by shared corners, tables of one cell dropped: pdfplumber's
    cells_to_tables, which sweeps the remaining cells until none touches the table, so a table is
    the cells connected by corners to the first cell left (here found through a corner index)."""

    corners = [((x0, top), (x0, bottom), (x1, top), (x1, bottom)) for x0, top, x1, bottom in cells]
    at: dict[tuple[float, float], list[int]] = {}
    for k, four in enumerate(corners):
        for corner in four:
            if corner in at:
                at[corner].append(k)
            else:
                at[corner] = [k]
    used = [False] * len(cells)
    tables = []
    for start in range(len(cells)):
        if used[start]:
            continue
        used[start] = True
        table, queue = [], [start]
        while queue:
            k = queue.pop()
            table.append(k)
            for corner in corners[k]:
                for other in at[corner]:
                    if not used[other]:
                        used[other] = True
                        queue.append(other)
        tables.append([cells[k] for k in sorted(table)])
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]


def find_tables(edges: list[Edge]) -> list[Table]:
    return [Table(cells) for cells in _tables(_cells(*_merged_edges(edges)))]
