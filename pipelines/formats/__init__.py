"""File format → Document. One module per format; `read_document` picks the reader by what the
file's first bytes are (sniff), reading it under the limits of `limits.ParseLimits`."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pipelines.formats.document import Document, PageMeta, Row, UnreadableDocument, without_invisible
from pipelines.formats.limits import ParseLimits
from pipelines.formats.sniff import Kind, read_head_then_all, sniff_all


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path, data: bytes | None = None, limits: ParseLimits | None = None) -> Document:
    """Read one raw report file (or its bytes, already read) into a Document under `limits`
    (default: ParseLimits.from_env()); raises UnreadableDocument naming the file and why."""
    # The readers are imported here, not with the package: the package is also where the parse
    # limits and the document types live, which the raw folder's survey (and so `xxgk build`'s
    # cheap check) imports without reading any file. The parse pool's fork server preloads them.
    from pipelines.formats.docx import docx_rows
    from pipelines.formats.html import html_rows
    from pipelines.formats.pdf import pdf_rows
    from pipelines.formats.simplified import is_traditional, to_simplified
    from pipelines.formats.text import decode_report, text_rows

    path = Path(path)
    limits = limits or ParseLimits.from_env()
    if data is None:
        sniffed, data = read_head_then_all(path, limits, path.name)
    else:
        sniffed = sniff_all(data, path.suffix.lower())
    if sniffed.kind in (Kind.EMPTY, Kind.NOT_A_REPORT, Kind.OLE):
        raise UnreadableDocument(f"{path.name}: {sniffed.what}")
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    meta: PageMeta | None = None  # HTML pages only
    if sniffed.kind == Kind.PDF:
        layout, text, rows = pdf_rows(data, path.name, limits)
    elif sniffed.kind == Kind.ZIP:
        text, rows = docx_rows(data, path.name, limits)
        layout = "docx"
    elif sniffed.kind == Kind.HTML:
        text, rows, notes, meta = html_rows(data, path.name, path.parent)
        layout = "html/images" if any(r.images for r in rows) else "html"
    else:
        text, notes = decode_report(data, path.name)
        # a page's invisible characters, copied with its text (the HTML reader drops them too)
        text = without_invisible(text)
        layout, rows = text_rows(text, path.name)
    traditional = is_traditional(text)
    if traditional:
        text = to_simplified(text)
        rows = tuple(replace(row, cells=tuple(to_simplified(c) for c in row.cells)) for row in rows)
        if meta is not None:
            meta = replace(meta, **{k: to_simplified(v) for k, v in vars(meta).items() if v})
    return Document(
        path=path,
        sha256=sha256_of(data),
        layout=layout,
        text=text,
        rows=rows,
        from_traditional=traditional,
        notes=notes,
        meta=meta,
    )
