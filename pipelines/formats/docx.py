"""Reader for DOCX files: paragraphs and tables in body order, merged cells resolved.

python-docx gives the XML of each table row; a horizontally merged cell spans `gridSpan` grid
columns and a vertically merged one continues (`vMerge`) the cell above, which is not read again.

Before python-docx inflates anything, the package's directory is checked against the limits
(members, inflated size of each XML part and of the whole; zipfile stops a member at its
declared size and fails its CRC if it inflates further, so the declared sizes bound what is
inflated), and no XML part may declare a DTD: OOXML parts never do, and a DTD is how entity
expansion (billion laughs) and external entities (XXE) get in.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipelines.formats.document import Row, UnreadableDocument, paragraph
from pipelines.formats.limits import ParseLimits, over

_MIB = 1 << 20


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


def _mib(n: int) -> str:
    return f"{n / _MIB:.1f} MiB" if n < 10 * _MIB else f"{n / _MIB:.0f} MiB"


def check_package(data: bytes, name: str, limits: ParseLimits) -> zipfile.ZipFile:
    """The DOCX's ZIP directory, once it is known to be a DOCX within the limits; raises
    UnreadableDocument naming the file and the limit (or the problem) otherwise."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnreadableDocument(f"{name}: not a readable ZIP/DOCX file ({exc})") from exc
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise UnreadableDocument(f"{name}: a ZIP archive, not a DOCX report; unpack it into the raw folder")
    if len(members) > limits.zip_members:
        raise UnreadableDocument(f"{name}: " + over("the DOCX has", f"{len(members)} members", "zip_members", limits))
    total = sum(m.file_size for m in members)
    if total > limits.inflated_bytes:
        raise UnreadableDocument(
            f"{name}: " + over("the DOCX inflates to", _mib(total), "inflated_mib", limits) + " (a zip bomb?)"
        )
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        if member.file_size > limits.xml_part_bytes:
            raise UnreadableDocument(
                f"{name}: "
                + over(
                    f"{member.filename} inflates to",
                    _mib(member.file_size),
                    "xml_part_mib",
                    limits,
                )
                + " (a zip bomb?)"
            )
        try:
            with package.open(member) as fh:
                head = fh.read(4096)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as exc:
            raise UnreadableDocument(f"{name}: {member.filename} cannot be inflated ({exc})") from exc
        if b"<!doctype" in head.lower():
            raise UnreadableDocument(
                f"{name}: {member.filename} declares a DTD (<!DOCTYPE>), which DOCX parts never do; "
                "entities and external references are refused"
            )
    return package


def docx_rows(data: bytes, name: str, limits: ParseLimits | None = None) -> tuple[str, tuple[Row, ...]]:
    """(plain text, rows) of a DOCX file, read under `limits`."""
    check_package(data, name, limits or ParseLimits.from_env())
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise UnreadableDocument(f"{name}: not a readable DOCX file ({exc})") from exc
    except SyntaxError as exc:  # lxml's XMLSyntaxError
        raise UnreadableDocument(f"{name}: not a readable DOCX file (broken XML: {exc})") from exc
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
