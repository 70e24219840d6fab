"""File format → Document. One module per format; `read_document` picks by content and suffix."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipelines.document import Document, UnreadableDocument
from pipelines.readers.text import decode, text_rows

# Formats that have their own reader in a later step; until then they are rejected by name.
_NOT_YET = {".pdf": "PDF", ".docx": "DOCX", ".doc": "DOC", ".html": "HTML", ".htm": "HTML"}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path) -> Document:
    """Read one raw report file into a Document; raises UnreadableDocument naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    suffix = path.suffix.lower()
    if suffix in _NOT_YET:
        raise UnreadableDocument(f"{path.name}: {_NOT_YET[suffix]} files are not supported yet")
    text = decode(data, path.name)
    layout, rows = text_rows(text, path.name)
    return Document(path=path, sha256=sha256_of(data), layout=layout, text=text, rows=rows)
