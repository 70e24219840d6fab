"""A raw folder of hostile and broken files, with what a build must do with each (issue 12).

`write_bad_inputs(raw, outside)` fills `raw` (and `outside`, a folder next to it that symlinks
point into) and returns one `Expect` per entry of the raw folder: the report it must load (the
generator's truth, compared cell by cell), the words its rejection must contain (the limit or the
problem named), or the rule it is ignored by. Nothing binary is committed: every file is made
here, in a temporary folder, in about a second.
"""

from __future__ import annotations

import faulthandler
import io
import os
import random
import signal
import struct
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.formats.limits import ParseLimits
from pipelines.ingest.parse_pool import Outcome, ParseJob, parse_job
from pipelines.tables.frames import Rejection
from tests.generator import Damage, TrueReport, layout, random_report, render, render_html

_MIB = 1 << 20


@dataclass(frozen=True)
class Expect:
    """What the build must do with one entry of the raw folder (named as the warehouse names it)."""

    name: str
    loads: TrueReport | None = None  # its cells must equal these figures
    rejected: tuple[str, ...] = ()  # words its reason must contain
    ignored: str = ""  # the rule it is ignored by (listed by the build, not in reports/rejected)


def _report(seed: int) -> TrueReport:
    return random_report(random.Random(seed))


def _tabs(truth: TrueReport, encoding: str = "utf-8") -> bytes:
    return render(truth, "text-tabs", Damage(encoding=encoding), seed=1)[1]


def _docx_with(docx: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    """The DOCX with some members' bytes replaced and some added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def _inflating_docx(docx: bytes, inflated: int) -> bytes:
    """A DOCX whose word/document.xml inflates to `inflated` bytes (a well-formed document padded
    with empty paragraphs): the zip bomb of issue 12 (1.8 MB that inflates to 540 MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            xml = src.read(info.filename)
            head, tail = xml.split(b"<w:body>", 1)
            with dst.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(head + b"<w:body>")
                block = b"<w:p/>" * (_MIB // 6)
                for _ in range(inflated // len(block)):
                    fh.write(block)
                fh.write(tail)
    return out.getvalue()


def _lying_docx(docx: bytes, inflated: int) -> bytes:
    """A DOCX whose document.xml declares 1 KiB in its headers but inflates to `inflated` bytes."""
    body = _inflating_docx(docx, inflated)
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        info = z.getinfo("word/document.xml")
    data = bytearray(body)
    # Rewrite the sizes in the local header and in the central directory entry (zip64 extras too).
    for real, lie in (
        (struct.pack("<Q", info.file_size), struct.pack("<Q", 1024)),
        (struct.pack("<I", info.file_size), struct.pack("<I", 1024)),
    ):
        data = bytearray(bytes(data).replace(real, lie))
    return bytes(data)


def _nested_zip() -> bytes:
    """A ZIP inside a ZIP inside a ZIP whose innermost member inflates to 64 MiB (42.zip, small)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z, z.open("zeros.bin", "w") as fh:
        for _ in range(64):
            fh.write(bytes(_MIB))
    data = inner.getvalue()
    for level in range(2):
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as z:
            for k in range(4):
                z.writestr(f"layer{level}_{k}.zip", data)
        data = outer.getvalue()
    return data


_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>\n"
)
_XXE = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _with_dtd(xml: bytes, dtd: bytes, entity: bytes) -> bytes:
    """The XML part with a DTD before its root and the entity referred to in its first paragraph."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return dtd + body.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>" + entity + b"</w:t></w:r></w:p>", 1)


def _html_with_dtd(truth: TrueReport, dtd: str, entity: str) -> bytes:
    page = render_html(layout(truth), Damage(), chrome=False)
    return (dtd + page.replace("<body>", f"<body><p>{entity}</p>", 1)).encode("utf-8")


def _encrypted_pdf(truth: TrueReport) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(72, 720, f"{truth.agency} {truth.year}")
    c.save()
    return buf.getvalue()


def _many_pages(pages: int) -> bytes:
    """A small, valid PDF of `pages` empty pages sharing one content stream (hand-written: fast)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Length 0 >>\nstream\n\nendstream")
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _big5(truth: TrueReport) -> bytes:
    """The report in traditional characters as Taiwan writes them (OpenCC s2tw), in Big5."""
    import opencc

    return str(opencc.OpenCC("s2tw").convert(_tabs(truth).decode("utf-8"))).encode("big5")


def _mixed(truth: TrueReport) -> bytes:
    """UTF-8, with one sentence of the narrative pasted in GBK (invalid UTF-8 bytes)."""
    text = _tabs(truth)
    line = "本机关将继续做好政府信息公开工作。".encode("gbk")
    at = text.index("二、主动公开".encode())
    return text[:at] + line + b"\n" + text[at:]


def write_bad_inputs(raw: Path, outside: Path) -> list[Expect]:
    """The hostile raw folder of issue 12 (see the module's docstring)."""
    raw.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    expects: list[Expect] = []
    seed = iter(range(1000, 2000))

    def put(name: str | bytes, data: bytes, expect: Expect) -> None:
        target = os.path.join(os.fsencode(raw), name if isinstance(name, bytes) else os.fsencode(name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
        expects.append(expect)

    def loads(name: str, make: object = None, fmt: str = "text-tabs") -> TrueReport:
        truth = _report(next(seed))
        data = make(truth) if callable(make) else render(truth, fmt, Damage(), seed=1)[1]
        put(name, data, Expect(name, loads=truth))
        return truth

    def rejected(name: str | bytes, data: bytes, *words: str, shown: str | None = None) -> None:
        put(name, data, Expect(shown or str(name), rejected=words))

    # Good reports in each format: these must always load.
    good = loads("good_tabs.txt")
    loads("good.html", fmt="html")
    loads("good.docx", fmt="docx")
    loads("good.pdf", fmt="pdf-ruled")
    loads("sub/folder/good_nested.txt")
    # Empty and truncated.
    rejected("empty.txt", b"", "the file is empty")
    rejected("blank.txt", b" \n\t\r\n  \n", "the file is empty", "white space")
    pdf = render(_report(next(seed)), "pdf-ruled", Damage(), seed=1)[1]
    rejected("truncated.pdf", pdf[: len(pdf) // 3], "not a readable PDF")
    docx = render(_report(next(seed)), "docx", Damage(), seed=1)[1]
    rejected("truncated.docx", docx[: len(docx) // 2], "not a readable ZIP/DOCX")
    rejected("encrypted.pdf", _encrypted_pdf(_report(next(seed))), "encrypted PDF (password required)")
    # An encrypted DOCX is an OLE file whose directory (here past the first 64 KiB) names its
    # EncryptedPackage stream; the bytes between are not a real OLE file's, only its markers.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + random.Random(3).randbytes(100_000)
    rejected("encrypted.docx", ole + "EncryptedPackage".encode("utf-16-le"), "encrypted DOCX (password required)")
    rejected("legacy.doc", ole, "legacy Word/Excel (OLE)")
    loads("blank_start.txt", lambda t: b" " * 70_000 + _tabs(t))
    # Renamed: the content decides, not the suffix.
    loads("pdf_named.docx", fmt="pdf-ruled")
    loads("docx_named.pdf", fmt="docx")
    loads("html_named.txt", fmt="html")
    # Encodings.
    loads("gbk.txt", lambda t: _tabs(t, "gbk"))
    loads("gb18030.txt", lambda t: _tabs(t, "gb18030"))
    loads("utf16_bom.txt", lambda t: _tabs(t, "utf-16"))
    loads("big5.txt", _big5)
    loads("mixed_bytes.txt", _mixed)
    # The same bytes twice: the first name loads, the second is named a copy.
    dup_truth = _report(next(seed))
    put("dup_a.txt", _tabs(dup_truth), Expect("dup_a.txt", loads=dup_truth))
    rejected("dup_b.txt", _tabs(dup_truth), "same content as dup_a.txt")
    # Odd names.
    loads("..txt")
    loads("a name with  spaces.txt")
    loads("new\nline.txt")
    loads("长" * 80 + ".txt")
    loads("colon:and$1.txt")
    rejected("junk:named$1.txt", b"\x00\x01junk" * 100, "binary content")
    gbk_name = "公开".encode("gbk") + b".txt"  # unpacked from a Windows ZIP
    shown = gbk_name.decode("utf-8", "backslashreplace")
    rejected(gbk_name, _tabs(_report(next(seed))), "not UTF-8", "公开.txt", shown=shown)
    # Not a file: a FIFO.
    os.mkfifo(raw / "pipe.txt")
    expects.append(Expect("pipe.txt", rejected=("not a regular file", "FIFO")))
    # Zip bombs, and XML that expands or reaches out.
    rejected("bomb.docx", _inflating_docx(docx, 80 * _MIB), "word/document.xml", "XXGK_MAX_XML_PART_MIB")
    rejected("lying.docx", _lying_docx(docx, 80 * _MIB), "word/document.xml", "cannot be inflated")
    nested = _nested_zip()
    loads(
        "nested_bomb.docx",
        lambda t: _docx_with(render(t, "docx", Damage(), seed=1)[1], {}, {"word/embeddings/x.zip": nested}),
    )
    rejected("nested_bomb.zip", nested, "a ZIP archive, not a DOCX report")
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        document_xml = z.read("word/document.xml")
    laughs = _with_dtd(document_xml, _LAUGHS, b"&lol9;")
    rejected("laughs.docx", _docx_with(docx, {"word/document.xml": laughs}), "declares a DTD")
    xxe = _with_dtd(document_xml, _XXE, b"&xxe;")
    rejected("xxe.docx", _docx_with(docx, {"word/document.xml": xxe}), "declares a DTD")
    loads("laughs.html", lambda t: _html_with_dtd(t, _LAUGHS.decode().replace("lolz", "html"), "&lol9;"))
    loads("xxe.html", lambda t: _html_with_dtd(t, _XXE.decode().replace(" r ", " html "), "&xxe;"))
    # Junk: a huge sparse file of zeros, random bytes named like a report, a picture.
    with open(raw / "huge_sparse.txt", "wb") as fh:
        fh.truncate(200 * _MIB)
    expects.append(Expect("huge_sparse.txt", rejected=("binary content",)))
    rejected("random.pdf.txt", random.Random(7).randbytes(256 * 1024), "binary content")
    rejected("picture.html", b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG picture")
    rejected("pages.pdf", _many_pages(3000), "3000 pages", "XXGK_MAX_PDF_PAGES")
    # Symbolic links: none is followed, each is named.
    (outside / "report.txt").write_bytes(_tabs(_report(next(seed))))
    (outside / "folder").mkdir()
    (outside / "folder" / "report.txt").write_bytes(_tabs(_report(next(seed))))
    links = {
        "link_in.txt": ("good_tabs.txt", ("symbolic link", "good_tabs.txt")),
        "link_out.txt": (str(outside / "report.txt"), ("symbolic link", "outside the raw folder")),
        "passwd.txt": ("/etc/passwd", ("symbolic link", "outside the raw folder")),
        # named as written: /proc/self resolves differently in every process (the sensor compares)
        "environ.txt": ("/proc/self/environ", ("symbolic link", "outside the raw folder (/proc/self/environ)")),
        "dangling.txt": ("no_such_file.txt", ("broken symbolic link",)),
        "linked_folder": (str(outside / "folder"), ("symbolic link", "outside the raw folder")),
        "loop": (".", ("symbolic link", "folder")),
    }
    for name, (target, words) in links.items():
        os.symlink(target, raw / name)
        expects.append(Expect(name, rejected=words))
    # Ignored by rule, and said to be.
    (raw / "manifest.csv").write_text(f"file,agency,year,url\ngood_tabs.txt,{good.agency},{good.year},\n")
    expects.append(Expect("manifest.csv", ignored="manifest"))
    put(".DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(64), Expect(".DS_Store", ignored="system"))
    put(".git/HEAD", b"ref: refs/heads/main\n", Expect(".git", ignored="hidden folder"))
    return expects


def misbehaving_parser(job: ParseJob, limits: ParseLimits) -> Outcome:
    """The real parser, except for files whose name says how to misbehave: `slow…` never ends,
    `hog…` asks for more memory than any limit, `crash…` kills its own process (as a native
    library does when it runs out of memory or breaks). Importable, so pool workers can run it."""
    name = Path(job.path).name
    if name.startswith("slow"):
        time.sleep(3600)
    if name.startswith("hog"):
        hoard = bytearray(64 << 30)
        return None, Rejection(job.name, job.sha256, f"{job.name}: got {len(hoard)} bytes")
    if name.startswith("crash"):
        # pytest's faulthandler, inherited by the worker, would print this wanted crash's stack
        # into the test log as a "Fatal Python error".
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGSEGV)
    return parse_job(job, limits)
