"""What a raw file is, from its first bytes: the one place formats are told apart.

The suffix is a hint at most (a .txt may hold HTML, a .pdf may be a DOCX, a .docx a PDF). Only
the head of the file is looked at, so junk of any size (a 200 MB file of zeros, a picture, an
executable) is rejected in milliseconds, before the file is read whole.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pipelines.formats.document import UnreadableDocument
from pipelines.formats.limits import ParseLimits, over

HEAD_BYTES = 64 * 1024  # what sniffing looks at

# Formats no reader takes, by their magic bytes: the reason names what the file is.
_NOT_REPORTS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF87a", "a GIF picture"),
    (b"GIF89a", "a GIF picture"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"BM", None),  # a BMP only with a plausible header (see _bmp): "BM" also starts text
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", None),  # bzip2 only with its block magic (see below): "BZh" may start text
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", None),  # a Windows executable only with its PE header (see below)
    (b"{\\rtf", "an RTF document; save it as DOCX or PDF first"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
)
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


class Kind(StrEnum):
    """What the sniffer found; each but the first three has a reader."""

    EMPTY = "empty"
    NOT_A_REPORT = "not_a_report"  # binary: a picture, an archive, an executable, junk
    OLE = "ole"  # legacy Word/Excel, or an encrypted DOCX
    PDF = "pdf"
    ZIP = "zip"  # a DOCX if it holds word/ parts (decided by the DOCX reader from its directory)
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    what: str = ""  # for EMPTY/NOT_A_REPORT/OLE: why it is rejected


def _utf16_without_bom(head: bytes) -> bool:
    """Text in UTF-16 without a BOM: the NUL bytes of its ASCII characters (digits, tabs, line
    ends) all at even or all at odd positions; binary junk has them at both."""
    sample = head[:4096]
    if len(sample) < 64:
        return False
    half = len(sample) / 2
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    # (a CJK character can have a NUL byte too: 一 is U+4E00, so the other side is not NUL-free)
    return max(even, odd) > 0.05 and min(even, odd) < max(even, odd) / 3


# C0 control bytes that text does not have (white space and ESC are text).
_C0_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\r\f\v\x1b")


def _binary(head: bytes) -> str | None:
    """Why the head is not text, or None: NUL bytes (unless UTF-16 without a BOM), or many C0
    control bytes (GBK and UTF-8 text never has them; C1 bytes are part of their characters)."""
    if b"\x00" in head:
        if not head.strip(b"\x00"):
            return "binary content (only zero bytes), not a report"
        if _utf16_without_bom(head):
            return None
        return "binary content (NUL bytes), not a report"
    controls = len(head) - len(head.translate(None, _C0_CONTROLS))
    if controls > max(8, len(head) // 100):
        return "binary content (control bytes), not a report"
    return None


def sniff(head: bytes, suffix: str = "") -> Sniffed:
    """The kind of a file from its first bytes (HEAD_BYTES of them suffice); `suffix` (".html")
    only decides between HTML and text when the head does not."""
    if not head.strip():
        return Sniffed(Kind.EMPTY, "the file is empty" if not head else "the file is empty (only white space)")
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return Sniffed(Kind.TEXT if not _looks_html(head) else Kind.HTML)
    if b"%PDF-" in head[:1024]:  # readers accept a header after some junk, and so do we
        return Sniffed(Kind.PDF)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Sniffed(Kind.ZIP)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if _ENCRYPTED_OOXML in head:
            return Sniffed(Kind.OLE, "encrypted DOCX (password required)")
        return Sniffed(Kind.OLE, "legacy Word/Excel (OLE) file; save it as DOCX or PDF first")
    for magic, what in _NOT_REPORTS:
        if head.startswith(magic):
            if what is not None:
                return Sniffed(Kind.NOT_A_REPORT, f"{what} (binary content), not a report")
            if magic == b"MZ" and b"PE\x00\x00" in head[:1024]:
                return Sniffed(Kind.NOT_A_REPORT, "a Windows executable, not a report")
            if magic == b"BZh" and head[4:10] == b"1AY&SY":
                return Sniffed(Kind.NOT_A_REPORT, "a bzip2 archive, not a report")
            if (
                magic == b"BM"
                and len(head) > 26
                and head[6:10] == b"\x00\x00\x00\x00"
                and head[14] in (12, 40, 108, 124)
            ):
                return Sniffed(Kind.NOT_A_REPORT, "a BMP picture, not a report")
    if _looks_html(head):
        return Sniffed(Kind.HTML)
    why = _binary(head)
    if why is not None:
        return Sniffed(Kind.NOT_A_REPORT, why)
    return Sniffed(Kind.HTML if suffix in (".html", ".htm", ".shtml", ".xhtml") else Kind.TEXT)


def _looks_html(head: bytes) -> bool:
    text = head[:4096]
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text.decode("utf-16", "ignore").encode("utf-8")
    start = text.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta")) or any(
        tag in start for tag in (b"<table", b"<body", b"<html")
    )


def read_head_then_all(path: Path, limits: ParseLimits, name: str) -> tuple[Sniffed, bytes]:
    """The file's kind and its bytes, reading its head first: a file too big or not a report is
    rejected (UnreadableDocument) without reading the rest. Never opens anything but a regular
    file (a FIFO would block)."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would wait for a writer; a regular file ignores it.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb", buffering=0) as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise UnreadableDocument(f"{name}: not a regular file")
            if st.st_size > limits.file_bytes:
                raise UnreadableDocument(
                    f"{name}: " + over("the file is", f"{st.st_size / (1 << 20):.0f} MiB", "file_mib", limits)
                )
            head = fh.read(HEAD_BYTES)
            sniffed = sniff(head, path.suffix.lower())
            blank_head = sniffed.kind == Kind.EMPTY and len(head) == HEAD_BYTES
            if sniffed.kind == Kind.NOT_A_REPORT or (sniffed.kind == Kind.EMPTY and not blank_head):
                return sniffed, head
            data = head + fh.read()
    except OSError as exc:
        raise UnreadableDocument(f"{name}: cannot read the file ({exc.strerror})") from exc
    if blank_head:  # 64 KiB of white space: what follows decides
        return sniff_all(data.lstrip(), path.suffix.lower()), data
    return sniff_all(data, path.suffix.lower()), data


def sniff_all(data: bytes, suffix: str = "") -> Sniffed:
    """`sniff` of the head, told more where the whole file says more: an OLE file is an encrypted
    DOCX when its directory (anywhere in the file) names an EncryptedPackage stream."""
    sniffed = sniff(data[:HEAD_BYTES], suffix)
    if sniffed.kind == Kind.OLE and _ENCRYPTED_OOXML in data:
        return Sniffed(Kind.OLE, "encrypted DOCX (password required)")
    return sniffed
