"""Parse throughput per format on one core, next to the bare cost of reading the same files.

    .venv-test/bin/python -m bench.throughput --per-format 40 --repeat 5
    .venv-test/bin/python -m bench.throughput --formats html --profile 15   # where the time goes
    .venv-test/bin/python -m bench.throughput --formats text-tabs --stages  # each step of parse_file

Per format: xxgk's CPU time per report (file → every template cell, alignment and rules
included: `parse_file`; "1st read": the same files' first pass, as a build reads each file once,
before the parser's per-process caches know their cells), and the CPU time of getting the same
cells' text with a library alone:
text by `str.split`, HTML by lxml.html (every `td`'s text), DOCX by lxml on word/document.xml
and by python-docx (every cell's text), PDF by pdfplumber (words and tables, what xxgk read with
before) and by pypdfium2 (every character with its box). CPU time (`time.process_time`), the
process pinned to one core, median of `--repeat` runs over the same files: the machine may be
shared, so wall time would measure the neighbours. Rendering the files is not timed. The garbage
collector runs as in a build's parse worker (pipelines.ingest.collector.collector_for_parsing:
the imported modules frozen out of its reach, young collections every 10,000 objects, and what the
first report left frozen too; `--no-freeze`: as Python sets it).

Each format is measured in a process of its own (`--together`: all in this one). A format
measured after others ran slower by what they left behind: pdfplumber's bare extraction and the
earlier formats' caches leave ~150,000 more objects for the garbage collector to walk, which
made text-tabs 35% dearer and pdf-wps 40% (12.3 ms alone, 17–21 ms after the other PDFs).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipelines.ingest.collector import collector_for_parsing
from pipelines.template.report import parse_file
from tests.generator import FORMATS, Damage, random_report, render
from tests.wild_print import draw, render_with_features
from tests.wild_text import render_wild, wild_report


def _bare_text(data: bytes) -> int:
    text = data.decode("utf-8", errors="replace")
    return sum(len(line.split("\t" if "\t" in line else "|")) for line in text.split("\n"))


def _bare_lxml_html(data: bytes) -> int:
    import lxml.html

    root = lxml.html.document_fromstring(data)
    return sum(len(td.text_content()) for td in root.iter("td", "th"))


def _bare_lxml_docx(data: bytes) -> int:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return sum(len("".join(tc.itertext())) for tc in root.iter(f"{w}tc"))


def _bare_python_docx(data: bytes) -> int:
    import docx

    document = docx.Document(io.BytesIO(data))
    return sum(len(cell.text) for table in document.tables for row in table.rows for cell in row.cells)


def _bare_pdfplumber(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_words()) + len(page.find_tables()) for page in pdf.pages)


def _bare_pypdfium2(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        n = 0
        for page in document:
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range()
            n += len(text) + sum(1 for k in range(count) if textpage.get_charbox(k))
            textpage.close()
            page.close()
        return n
    finally:
        document.close()


# Per format group: the libraries whose bare cost is printed beside xxgk's.
BARE: dict[str, list[tuple[str, Callable[[bytes], int]]]] = {
    "text": [("str.split", _bare_text)],
    "html": [("lxml.html", _bare_lxml_html)],
    "docx": [("lxml document.xml", _bare_lxml_docx), ("python-docx", _bare_python_docx)],
    "pdf": [("pdfplumber", _bare_pdfplumber), ("pypdfium2 chars", _bare_pypdfium2)],
}


def _group(fmt: str) -> str:
    if fmt.startswith(("text-", "web-")):
        return "text"
    if fmt.startswith(("html", "docx", "pdf")):
        return fmt.split("-")[0]
    raise ValueError(fmt)


def render_files(fmt: str, n: int, folder: Path, first: int = 0) -> list[Path]:
    """n reports of one format, seeds `first` on (generated with blank zeros every other report;
    the wild classes as tests.wild_text / tests.wild_print render them)."""
    paths = []
    for k in range(first, first + n):
        if fmt == "text-dropped-blanks":
            truth = random_report(random.Random(k), template="2021" if k % 3 else "2019")
            suffix, data = render(truth, "text-tabs", Damage(blank_zero=True, drop_blanks=True), seed=k)
        elif fmt == "web-runtogether":
            rng = random.Random(10_000 + k)
            suffix, data, _ = render_wild(fmt, wild_report(rng), rng)
        elif fmt in ("html-word", "pdf-wps"):
            rng = random.Random(f"{fmt}:{k}")
            suffix, data, _ = render_with_features(fmt, draw(fmt, rng), rng)
        else:
            truth = random_report(random.Random(k), template="2021" if k % 3 else "2019")
            suffix, data = render(truth, fmt, Damage(blank_zero=k % 2 == 0), seed=k)
        path = folder / f"{fmt}-{k}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def cpu_ms_per_file(work: Callable[[Path, bytes], object], files: list[tuple[Path, bytes]], repeat: int) -> float:
    """Median over `repeat` runs of the CPU milliseconds per file."""
    work(*files[0])  # warm-up: imports, caches of the libraries
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        for path, data in files:
            work(path, data)
        runs.append((time.process_time() - start) / len(files) * 1000)
    return statistics.median(runs)


def first_read_ms(
    work: Callable[[Path, bytes], object], files: list[tuple[Path, bytes]], warmed: Callable[[], None] = lambda: None
) -> float:
    """CPU milliseconds per file read for the first time: the parser keeps what is pure and
    recurs (labels, small figures, agency names) for the process, so a second pass over the same
    files is faster than a build, which reads each file once. Warmed up on the first file only,
    then `warmed()` (what a parse worker does after its first report)."""
    work(*files[0])
    warmed()
    start = time.process_time()
    for path, data in files[1:]:
        work(path, data)
    return (time.process_time() - start) / max(1, len(files) - 1) * 1000


ALL_FORMATS = [
    *FORMATS,
    "text-pdftotext",
    "text-dropped-blanks",
    "web-runtogether",
    "html-word",
    "pdf-wps",
]


def pdf_stages(files: list[tuple[Path, bytes]], repeat: int) -> dict[str, float]:
    """CPU milliseconds per PDF report of each stage of the read (the minimum over `repeat`
    runs, the least disturbed by the neighbours): PDFium alone loading each page and its text
    page; the reader's page walk and characters (read_page, PDFium's loading included); the
    page's words and text; its tables from the ruling lines; the cells' texts; all of pdf_rows;
    and parse_file (pdf_rows, then the template's alignment and rules)."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    from pipelines.formats import pdf, pdfium_pages

    pages: list[pdfium_pages.Page] = []

    def load() -> None:
        for _, data in files:
            document = pypdfium2.PdfDocument(data)
            for number in range(len(document)):
                page = pdfium.FPDF_LoadPage(document.raw, number)
                pdfium.FPDFText_ClosePage(pdfium.FPDFText_LoadPage(page))
                pdfium.FPDF_ClosePage(page)
            document.close()

    def read() -> None:
        pages.clear()
        for _, data in files:
            document = pypdfium2.PdfDocument(data)
            pages.extend(pdfium_pages.read_page(document, n) for n in range(len(document)))
            document.close()

    def words() -> None:
        for page in pages:
            pdfium_pages.page_text(pdfium_pages.page_words(page.columns or pdfium_pages.CharColumns.of(page.chars)))

    def tables() -> None:
        for page in pages:
            pdfium_pages.find_tables(page.edges)

    found = []

    def texts() -> None:
        if not found:
            found.extend((page, pdfium_pages.find_tables(page.edges)) for page in pages)
        for page, tables in found:
            columns = page.columns or pdfium_pages.CharColumns.of(page.chars)
            for table in tables:
                pdf._table_texts(table, columns, pdfium_pages.extract_text)

    stages = {
        "PDFium pages and text pages": load,
        "read_page (walk, characters)": read,
        "words and page text": words,
        "tables from the lines": tables,
        "cell texts": texts,
        "pdf_rows": lambda: [pdf.pdf_rows(data, path.name) for path, data in files],
        "parse_file": lambda: [parse_file(path, data) for path, data in files],
    }
    out = {}
    for name, work in stages.items():
        work()
        runs = []
        for _ in range(repeat):
            start = time.process_time()
            work()
            runs.append((time.process_time() - start) / len(files) * 1000)
        out[name] = min(runs)
    return out


# The steps parse_file takes for a report (pipelines.template.report calls each by this name):
# the file read into a Document, then the template's alignment, in the order it runs.
TEXT_STAGES = (
    "read_document",
    "read_metadata",
    "split_sections",
    "read_cells",
    "read_section2",
    "read_section3",
    "read_section4",
    "stated_figures",
    "place_figures",
    "_positional",
    "_report",
)


def text_stages(files: list[tuple[Path, bytes]], repeat: int) -> dict[str, tuple[float, float]]:
    """CPU milliseconds per report of each step of parse_file: (first read, read again: the
    minimum over `repeat` passes), each step timed where report.parse_document calls it; the
    rest of parse_document (its own bookkeeping) is "other". Run after the format's other files
    were read (the process's one-time costs are paid), on files not read before."""
    from pipelines.template import report

    spent: dict[str, float] = dict.fromkeys(TEXT_STAGES, 0.0)
    originals = {name: getattr(report, name) for name in TEXT_STAGES}

    def timed(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start

        return run

    def one_pass() -> dict[str, float]:
        for name in spent:
            spent[name] = 0.0
        start = time.process_time()
        for path, data in files:
            parse_file(path, data)
        total = time.process_time() - start
        out = {name: t / len(files) * 1000 for name, t in spent.items()}
        out["other"] = (total - sum(spent.values())) / len(files) * 1000
        out["parse_file"] = total / len(files) * 1000
        return out

    for name, fn in originals.items():
        setattr(report, name, timed(name, fn))
    try:
        first = one_pass()
        again = [one_pass() for _ in range(repeat)]
    finally:
        for name, fn in originals.items():
            setattr(report, name, fn)
    return {name: (first[name], min(run[name] for run in again)) for name in first}


def _worker_warmed() -> None:
    """What a build's parse worker does after its first report (pipelines.ingest.parse_pool)."""
    collector_for_parsing(warm=True)


def _nothing() -> None:
    return None


def _load() -> str:
    """The machine's load average (1 and 5 minutes): CPU times on a shared machine grow with it
    (the neighbours evict this process's caches), so a figure is only comparable at a like load."""
    if not hasattr(os, "getloadavg"):
        return "load unknown"
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-format", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5, help="runs over the same files; the median is printed")
    parser.add_argument("--formats", nargs="+", default=ALL_FORMATS)
    parser.add_argument("--profile", type=int, default=0, help="print this many top functions (cProfile) per format")
    parser.add_argument("--sort", default="tottime", help="the profile's order: tottime or cumulative")
    parser.add_argument("--pdf-stages", action="store_true", help="also each stage of a PDF's read (pdf formats)")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="also each step of parse_file (read, metadata, sections, placement …), first read and again",
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="the garbage collector as Python sets it (no gc.freeze, default thresholds), not as a parse worker does",
    )
    parser.add_argument(
        "--together", action="store_true", help="measure every format in this one process (not one process each)"
    )
    parser.add_argument("--rows-only", action="store_true", help=argparse.SUPPRESS)  # a format's own process
    args = parser.parse_args()
    if not args.together and len(args.formats) > 1:
        _each_in_its_own_process(args)
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    warmed = _worker_warmed if not args.no_freeze else _nothing
    if not args.no_freeze:
        collector_for_parsing()  # as a build's parse worker does when it starts (pipelines.ingest.parse_pool)
    formats = list(args.formats)
    if not args.rows_only:
        _print_title(args, ", every format in one process" if args.together else "")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            files = [(p, p.read_bytes()) for p in render_files(fmt, args.per_format, Path(tmp))]
            first = first_read_ms(lambda path, data: parse_file(path, data), files, warmed)
            ms = cpu_ms_per_file(lambda path, data: parse_file(path, data), files, args.repeat)
            bare = "  ".join(
                f"{name} {cpu_ms_per_file(lambda _p, d, f=fn: f(d), files, args.repeat):.2f}"  # type: ignore[misc]
                for name, fn in BARE[_group(fmt)]
            )
            size = sum(len(d) for _, d in files) / len(files) / 1024
            print(f"{fmt:20s} {1000 / ms:9.1f} {ms:9.2f} {first:9.2f} {size:6.1f}   {bare}", flush=True)
            if args.stages:
                # Other reports of the format (the next seeds), which the caches have not seen.
                more = render_files(fmt, args.per_format, Path(tmp), first=args.per_format)
                stages = text_stages([(p, p.read_bytes()) for p in more], args.repeat)
                print(f"    {'step (ms/report)':36s} {'1st read':>8s} {'again':>8s}  (again: min of {args.repeat})")
                for name, (first_ms, again_ms) in stages.items():
                    print(f"    {name:36s} {first_ms:8.3f} {again_ms:8.3f}", flush=True)
            if args.pdf_stages and _group(fmt) == "pdf":
                for name, stage_ms in pdf_stages(files, args.repeat).items():
                    print(f"    {name:36s} {stage_ms:6.2f} ms (min of {args.repeat})", flush=True)
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                for path, data in files:
                    parse_file(path, data)
                profile.disable()
                pstats.Stats(profile).sort_stats(args.sort).print_stats(args.profile)
    if not args.rows_only:
        print(f"at the end: {_load()}")
    # What was frozen goes back to the collector, so that the interpreter's exit collects it:
    # extension types (DuckDB's, nanobind) otherwise say at exit that their objects leaked.
    gc.unfreeze()


_HEADER = (
    f"{'format':20s} {'reports/s':>9s} {'ms/report':>9s} {'1st read':>9s} {'KiB':>6s}   "
    "bare extraction of the same files (ms/report)"
)


def _print_title(args: argparse.Namespace, how: str) -> None:
    """The machine, the run's settings and load, and the table's header."""
    print(
        f"python {platform.python_version()} on {platform.machine()}, one core, CPU time, "
        f"{args.per_format} reports per format, median of {args.repeat} runs, {_load()}{how}"
    )
    print(_HEADER, flush=True)


def _each_in_its_own_process(args: argparse.Namespace) -> None:
    """Run this script once per format, with the same options, and print the header once and
    each format's rows as they come."""
    _print_title(args, ", each format in a process of its own")
    options = ["--per-format", str(args.per_format), "--repeat", str(args.repeat), "--profile", str(args.profile)]
    options += [
        "--sort",
        args.sort,
        *(f"--{flag}" for flag in ("pdf-stages", "stages", "no-freeze") if vars(args)[flag.replace("-", "_")]),
    ]
    for fmt in args.formats:
        command = [sys.executable, "-m", "bench.throughput", *options, "--formats", fmt, "--rows-only"]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
        print(done.stdout, end="", flush=True)
        if done.returncode != 0:
            raise SystemExit(f"bench.throughput --formats {fmt} failed (exit {done.returncode})")
    print(f"at the end: {_load()}")


if __name__ == "__main__":
    main()
