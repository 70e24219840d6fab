"""File format → Document. One module per format; `read_document` picks by content, then suffix."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pipelines.formats.document import Document, Row, UnreadableDocument
from pipelines.formats.docx import docx_rows
from pipelines.formats.html import html_rows
from pipelines.formats.pdf import pdf_rows
from pipelines.formats.simplified import is_traditional, to_simplified
from pipelines.formats.text import decode, text_rows


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes, suffix: str) -> str:
    """The file's format from its first bytes (a .txt may hold HTML, a .doc may be DOCX)."""
    head = data[:2048].lstrip().lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or suffix == ".docx" else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head or b"<body" in head:
        return "html"
    if suffix in (".html", ".htm", ".shtml"):
        return "html"
    return "text"


def read_document(path: Path, data: bytes | None = None) -> Document:
    """Read one raw report file (or its bytes, already read) into a Document; raises
    UnreadableDocument naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise UnreadableDocument(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    if not data.strip():
        raise UnreadableDocument(f"{path.name}: the file is empty")
    kind = sniff(data, path.suffix.lower())
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    if kind == "pdf":
        layout, text, rows = pdf_rows(data, path.name)
    elif kind == "docx":
        text, rows = docx_rows(data, path.name)
        layout = "docx"
    elif kind == "html":
        text, rows, notes = html_rows(data, path.name, path.parent)
        layout = "html/images" if any(r.images for r in rows) else "html"
    elif kind == "ole":
        raise UnreadableDocument(f"{path.name}: legacy Word/Excel (OLE) file; save it as DOCX or PDF first")
    elif kind == "zip":
        raise UnreadableDocument(f"{path.name}: a ZIP archive, not a DOCX report; unpack it into the raw folder")
    else:
        text = decode(data, path.name)
        layout, rows = text_rows(text, path.name)
    if is_traditional(text):
        text = to_simplified(text)
        rows = tuple(replace(row, cells=tuple(to_simplified(c) for c in row.cells)) for row in rows)
        return Document(
            path=path,
            sha256=sha256_of(data),
            layout=layout,
            text=text,
            rows=rows,
            from_traditional=True,
            notes=notes,
        )
    return Document(path=path, sha256=sha256_of(data), layout=layout, text=text, rows=rows, notes=notes)
