"""Reader for DOCX files: paragraphs and tables in body order, merged cells resolved.

python-docx gives the XML of each table row; a horizontally merged cell spans `gridSpan` grid
columns and a vertically merged one continues (`vMerge`) the cell above, which is not read again.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipelines.formats.document import Row, UnreadableDocument, paragraph


def _table_rows(table: Table) -> list[Row]:
    rows: list[Row] = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        positions: list[float] = []
        col = tr.grid_before
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge != "continue":
                text = " ".join(p.text.strip() for p in _Cell(tc, table).paragraphs if p.text.strip())
                cells.append(text)
                positions.append(float(col))
            col += span
        if cells:
            rows.append(Row(tuple(cells), positions=tuple(positions)))
    return rows


def docx_rows(data: bytes, name: str) -> tuple[str, tuple[Row, ...]]:
    """(plain text, rows) of a DOCX file."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({exc})") from exc
    rows: list[Row] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text
            for line in text.split("\n"):
                if line.strip():
                    rows.append(paragraph(line))
        elif child.tag == qn("w:tbl"):
            rows.extend(_table_rows(Table(child, document)))
    if not rows:
        raise UnreadableDocument(f"{name}: the DOCX file has no text")
    text = "\n".join(r.cells[0] if r.is_text else " ".join(r.cells) for r in rows)
    return text, tuple(rows)
