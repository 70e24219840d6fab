"""The document layer: what every reader produces, whatever the file format.

A document is its plain text (for metadata and the narrative) and a sequence of physical rows in
reading order. A row is a list of cell texts: a table row from a grid, a tab- or pipe-separated
line, or a one-cell row for a paragraph. Each cell may carry its position: the grid column it
starts in (HTML, DOCX, ruled PDF tables), or its horizontal centre (text laid out with spaces,
PDFs without ruling lines). Alignment to the template works on these rows only, so a new file
format needs only a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImageText:
    """A cell's (or a line's) text as OCR read it from an image (pipelines.formats.scan)."""

    text: str
    confidence: float  # the least sure character's probability, 0–1 (1.0 for a cell without ink)
    # Other readings of its digits (6/8, 1/7, 0/8) with their probability relative to `text`,
    # most likely first: the template's arithmetic may choose one of them instead.
    alternatives: tuple[tuple[str, float], ...] = ()


class UnreadableDocument(Exception):
    """A file that is not a report we can read: empty, binary, wrong format. The message says why."""


@dataclass(frozen=True)
class Rejection:
    """A file of the raw folder not read as a report, and why (a row of the `rejected` table)."""

    source_file: str
    source_sha256: str | None
    reason: str


# A document makes a Row per line: the frozen dataclass's generated __init__ (one
# object.__setattr__ per field) cost 1.7 µs a row, this one 0.75 µs; Rows stay frozen and equal.
@dataclass(frozen=True, init=False)
class Row:
    cells: tuple[str, ...]
    # True for a paragraph / plain text line, False for a row of a table (grid, tabs, pipes).
    is_text: bool = False
    # Position of each cell: its grid column ("grid") or horizontal centre ("x"); None = the
    # cell's index in the row is its column.
    positions: tuple[float, ...] | None = None
    coords: str = "grid"
    # With "x" positions: each cell's width, so a figure can be matched to the header above it
    # by overlap whether the table aligns left, centre or right.
    widths: tuple[float, ...] | None = None
    # Cells read from an image by OCR: each cell's reading (its text is also in `cells`).
    images: tuple[ImageText, ...] | None = None

    def __init__(
        self,
        cells: tuple[str, ...],
        is_text: bool = False,
        positions: tuple[float, ...] | None = None,
        coords: str = "grid",
        widths: tuple[float, ...] | None = None,
        images: tuple[ImageText, ...] | None = None,
    ) -> None:
        self.__dict__.update(
            cells=cells, is_text=is_text, positions=positions, coords=coords, widths=widths, images=images
        )

    @property
    def joined(self) -> str:
        return "".join(self.cells)


@dataclass(frozen=True)
class PageMeta:
    """What a government site's page says of itself in its <head> (政府网站发展指引, 2017: the meta
    tags every article page of a government site carries). Evidence of the page, not of the report:
    SiteName is the portal (a city's portal hosts every department's report), ContentSource and
    Author the content's source (the publishing office, or the portal's editor), ArticleTitle the
    title as the editor typed it, PubDate the day it was published (not the statistics year).
    Empty content is None; only HTML pages have these."""

    site_name: str | None = None
    site_domain: str | None = None
    site_id_code: str | None = None
    column_name: str | None = None
    article_title: str | None = None
    pub_date: str | None = None
    content_source: str | None = None
    keywords: str | None = None
    author: str | None = None
    description: str | None = None
    url: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        """ContentSource, then Author where it says something else: who the content is from."""
        return tuple(dict.fromkeys(s for s in (self.content_source, self.author) if s))


@dataclass(frozen=True)
class Document:
    path: Path
    sha256: str
    layout: str  # e.g. "text/tabs", "text/pipes", "text/cell-per-line", "html", "docx", "pdf/ruled"
    text: str
    rows: tuple[Row, ...] = field(default_factory=tuple)
    # The file was printed in traditional characters and its text and cells were converted.
    from_traditional: bool = False
    # What could not be read as it should (an image with no text found, an image file that
    # is missing): the report keeps these as problems.
    notes: tuple[str, ...] = ()
    # The page's meta tags (HTML only; None where the page has none of them).
    meta: PageMeta | None = None


# How a reader's note about a picture it did not read begins (not found, not fetched, no text).
PICTURE_NOTE = "picture "


# Characters a reader does not see: an editor's fill character (UEditor keeps U+200B, U+FEFF under
# IE 6, wherever the caret stood), joiners and soft hyphens. A page copied to text or a Word file
# keeps them too; left in, "\u200b0" is no figure and 本年新收 with one inside no label.
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_CHARS))


def without_invisible(text: str) -> str:
    """The text as it is seen: without the characters in INVISIBLE_CHARS (searched for first, as a
    report seldom has any and `str.translate` visits every character)."""
    if any(ch in text for ch in INVISIBLE_CHARS):
        return text.translate(INVISIBLE)
    return text


def paragraph(text: str) -> Row:
    return Row((text.strip(),), is_text=True)
