"""A part a DOCX body imports (w:altChunk) is read within the package's limits, and a broken one is a
rejection naming the file and the problem, never a parser error (review20: docxreal19's altChunk)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from pipelines.formats.document import UnreadableDocument
from pipelines.formats.docx import docx_rows
from pipelines.formats.limits import ParseLimits
from tests.test_docx_markup import _PAGE, _with_chunk

_CHUNK = "word/afchunk.htm"


def _long_page(paragraphs: int) -> bytes:
    body = "".join(f"<p>第{i}段</p>" for i in range(paragraphs))
    return f"<html><body><p>某县2020年政府信息公开工作年度报告</p>{body}</body></html>".encode()


def _local_data_offset(data: bytes, member: str) -> int:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    return info.header_offset + 30 + name_len + extra_len


def _garbled(data: bytes, member: str) -> bytes:
    """The package with bytes of `member`'s deflate stream flipped past its start: its directory is
    whole, its data does not inflate (zlib's error, not zipfile's)."""
    buf = bytearray(data)
    start = _local_data_offset(data, member)
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).compress_size
    at = start + min(200, size // 2)
    for i in range(at, at + 20):
        buf[i] ^= 0xFF
    return bytes(buf)


def _flagged(data: bytes, member: str, flag_at: int, value: bytes | None = None, bit: int = 0) -> bytes:
    """The package with a field of `member`'s local header and central directory entry changed: the
    general-purpose flags (bit 0: encrypted) or the compression method."""
    buf = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    offsets = [local + flag_at]
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_len] == member.encode():
            offsets.append(at + flag_at + 2)  # the central entry has "version made by" first
        at = data.find(b"PK\x01\x02", at + 4)
    for offset in offsets:
        if value is None:
            buf[offset] |= 1 << bit
        else:
            buf[offset : offset + len(value)] = value
    return bytes(buf)


def _deflated(data: bytes) -> bytes:
    """The package with every member deflated (python-docx stores the chunk deflated already)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda d: _garbled(d, _CHUNK), id="its-deflate-stream-garbled"),
        pytest.param(lambda d: _flagged(d, _CHUNK, 6, bit=0), id="encrypted"),
        pytest.param(lambda d: _flagged(d, _CHUNK, 8, value=(9).to_bytes(2, "little")), id="deflate64"),
    ],
)
def test_an_imported_part_that_does_not_inflate_is_refused_naming_the_file(broken: Callable[[bytes], bytes]) -> None:
    data = broken(_deflated(_with_chunk(_long_page(3000), f"/{_CHUNK}", "text/html")))
    with pytest.raises(UnreadableDocument, match=r"^t\.docx: "):
        docx_rows(data, "t.docx")


def test_a_main_part_that_does_not_inflate_past_its_head_is_refused_naming_the_file() -> None:
    data = _deflated(_with_chunk(_PAGE.encode(), f"/{_CHUNK}", "text/html"))
    with pytest.raises(UnreadableDocument, match=r"^t\.docx: "):
        docx_rows(_garbled(data, "word/document.xml"), "t.docx")


def test_an_imported_part_over_the_xml_part_limit_is_refused_naming_the_limit() -> None:
    """The imported page is markup parsed into a tree, as word/document.xml is: the same limit a part
    (a 3 MiB page of a few bytes deflated, against a 1 MiB limit)."""
    page = _long_page(1)[:-14] + b"<!--" + b"x" * (3 << 20) + b"--></body></html>"
    data = _with_chunk(page, f"/{_CHUNK}", "text/html")
    with pytest.raises(
        UnreadableDocument, match=r"^t\.docx: word/afchunk\.htm inflates to 3\.0 MiB, .*XXGK_MAX_XML_PART_MIB"
    ):
        docx_rows(data, "t.docx", ParseLimits(xml_part_mib=1))
    assert docx_rows(data, "t.docx", ParseLimits(xml_part_mib=4))[1][1].cells == ("某县2020年政府信息公开工作年度报告",)


def _imported_again(data: bytes, times: int) -> bytes:
    """The package with its body's w:altChunk repeated `times` more times (each importing the same part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            blob = src.read(item.filename)
            if item.filename == "word/document.xml":
                start = blob.index(b"<w:altChunk")
                end = blob.index(b"/>", start) + 2
                blob = blob[:end] + blob[start:end] * times + blob[end:]
            dst.writestr(item.filename, blob)
    return out.getvalue()


def test_a_part_imported_more_than_once_is_refused_rather_than_read_again_each_time() -> None:
    """Each import would inflate and parse the part again: a 40 KB file importing a page of 2,000 lines
    1,000 times read as 2 million rows (14 CPU s), past every package limit. Word and WPS write a part a
    chunk; a part is read once, so the package's inflated limits bound what is read."""
    data = _with_chunk(_long_page(2000), f"/{_CHUNK}", "text/html")
    assert len(docx_rows(data, "t.docx")[1]) == 2002
    with pytest.raises(UnreadableDocument, match=r"^t\.docx: its body imports word/afchunk\.htm more than once"):
        docx_rows(_imported_again(data, 1000), "t.docx")
