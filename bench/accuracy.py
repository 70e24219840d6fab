"""Cell accuracy of the parser per format and damage profile, over a generated corpus.

    .venv-test/bin/python -m bench.accuracy --n 500
    .venv-test/bin/python -m bench.accuracy --n 0 --wild 30 [--classes web-runtogether,cut-short] [--show 3]
    .venv-test/bin/python -m bench.accuracy --n 0 --real      # the seeds and the real excerpts
    .venv-test/bin/python -m bench.accuracy --n 0 --images 10 [--classes scan-clean-150,html-img-150]  # OCR
    .venv-test/bin/python -m bench.accuracy --n 0 --images 4 --engine tesseract  # the same, Tesseract reading

`--images N` runs N reports of each image class (tests.scans): scanned PDFs (clean or noisy:
grey noise, ±0.8° rotation, JPEG q60, a red seal over a table) at 150 and 300 dpi and HTML pages
whose tables are pictures; per class: cells right, files exact, silent errors, CPU seconds per page
and pages/s per core (the reading process's CPU time: on a shared machine wall time means little;
loading the engine, once per process, is measured apart), and wall pages/s. `--engine tesseract`
reads the same crops with Tesseract instead (bench.tesseract, installed by hand).

Every report is drawn at random (consistent with C1–C4), rendered in one format with one damage
profile, parsed back and compared cell by cell with the figures it was drawn from. A report that
is not read exactly must be flagged (reading `ambiguous`/`unresolved`, or the missing cells listed
as problems); the last column counts those that are not: silent errors.

`--wild N` also runs N reports of each text class that real pages produce (tests.wild_text): every
template cell is scored, a cell the file does not print (no-figures, cut-short) being right only if
read as missing. Per class: cells right, files exact (every cell, agency, year and template), agency
right, year right, files dropped (the parser raised), and silent errors: a wrong cell value or a
wrong agency in a report whose reading claims to be clean (as_printed or repaired) and whose
problems do not name that row or the agency.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from models.catalog import CellKey, cells_for
from pipelines.template.report import NotAReport, parse_file
from tests.generator import FORMATS, Damage, random_report, render
from tests.scans import CLEAN, NOISY, Scan, html_with_pictures, scanned_pdf
from tests.wild_text import WILD_TEXT, render_wild, wild_report

PROFILES = ("clean", "blank-zero", "messy", "dropped-blanks")


def damage_for(profile: str, rng: random.Random, fmt: str) -> Damage:
    text = fmt.startswith("text-")
    if profile == "clean":
        return Damage()
    if profile == "blank-zero":
        return Damage(blank_zero=True)
    if profile == "messy":
        return Damage(
            blank_zero=rng.random() < 0.5,
            dash_zero=True,
            split_labels=True,
            variants=True,
            fullwidth_digits=rng.random() < 0.3,
            encoding=rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"]) if text else "utf-8",
        )
    if profile == "dropped-blanks":
        return Damage(blank_zero=True, drop_blanks=True)
    raise ValueError(profile)


@dataclass
class Outcome:
    fmt: str
    profile: str
    cells: int
    correct: int
    exact: bool
    flagged: bool
    error: str | None = None


def run_one(args: tuple[int, str, str, str]) -> Outcome:
    k, fmt, profile, tmp = args
    rng = random.Random(k)
    truth = random_report(rng, template="2021" if k % 3 else "2019")
    suffix, data = render(truth, fmt, damage_for(profile, rng, fmt), seed=k)
    path = Path(tmp) / f"r{k}{suffix}"
    path.write_bytes(data)
    try:
        report = parse_file(path)
    except Exception as exc:  # counted, not hidden
        return Outcome(fmt, profile, len(truth.values), 0, False, True, f"{type(exc).__name__}: {exc}")
    finally:
        path.unlink()
    correct = sum(1 for key, v in truth.values.items() if report.cells[key].value == v)
    correct_meta = (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
    exact = correct == len(truth.values) and correct_meta
    missing_listed = all(
        report.cells[k].status == "missing" for k, v in truth.values.items() if report.cells[k].value != v
    ) and bool(report.problems)
    flagged = report.reading in ("ambiguous", "unresolved") or missing_listed
    return Outcome(fmt, profile, len(truth.values), correct, exact, flagged)


def corpus(n: int, formats: list[str]) -> list[tuple[int, str, str]]:
    jobs = []
    combos = [
        (f, p)
        for p in PROFILES
        for f in formats
        if p != "dropped-blanks" or f in ("text-tabs", "text-pipes", "text-cells")
    ]
    for k in range(n):
        fmt, profile = combos[k % len(combos)]
        jobs.append((k, fmt, profile))
    return jobs


@dataclass
class WildOutcome:
    cls: str
    seed: int
    cells: int  # every cell of the template
    correct: int
    exact: bool
    agency_ok: bool
    year_ok: bool
    silent: bool
    dropped: bool  # the parser raised: the report is lost
    read: str  # agency / year / template / reading as parsed (for the examples)
    wrong: list[str] = field(default_factory=list)  # a few wrong cells: key truth→read (printed text)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def run_wild(args: tuple[int, str, str]) -> WildOutcome:
    """One report of one wild class: drawn from its seed, rendered, parsed, scored."""
    k, cls, tmp = args
    rng = random.Random(10_000 + k)
    suffix, data, truth = render_wild(cls, wild_report(rng), rng)
    keys = list(cells_for(truth.template))
    path = Path(tmp) / f"w{cls}{k}{suffix}"
    path.write_bytes(data)
    try:
        report = parse_file(path)
    except NotAReport as exc:  # lost, but say what metadata it still knew
        known = exc.known
        return WildOutcome(
            cls,
            k,
            len(keys),
            0,
            False,
            known.get("agency") == truth.agency,
            known.get("year") == truth.year,
            False,
            True,
            f"{known.get('agency')} / {known.get('year')} / {known.get('template')} / raised (truth "
            f"{truth.agency} / {truth.year} / {truth.template})",
            error=f"NotAReport: {exc}",
        )
    except Exception as exc:  # counted, not hidden
        return WildOutcome(
            cls,
            k,
            len(keys),
            0,
            False,
            False,
            False,
            False,
            True,
            f"raised (truth {truth.agency} / {truth.year} / {truth.template})",
            error=f"{type(exc).__name__}: {exc}",
        )
    finally:
        path.unlink()
    wrong_keys: list[CellKey] = []
    for key in keys:
        reading = report.cells.get(key)
        if not _same(truth.values.get(key), reading.value if reading else None):
            wrong_keys.append(key)
    agency_ok, year_ok = report.agency == truth.agency, report.year == truth.year
    said = " ".join(report.problems)
    clean = report.reading in ("as_printed", "repaired")
    # A wrong value is silent unless a problem names its row; a cell read as missing claims nothing.
    silent_cells = [
        key
        for key in wrong_keys
        if report.cells.get(key) is not None and report.cells[key].value is not None and key.row_key not in said
    ]
    silent_agency = not agency_ok and report.agency is not None and "agency" not in said
    wrong = []
    for key in wrong_keys[:6]:
        reading = report.cells.get(key)
        wrong.append(
            f"{key.table_key}.{key.row_key}.{key.column_key}: {truth.values.get(key)} → "
            f"{reading.value if reading else None} ({reading.raw_text if reading else None!r})"
        )
    return WildOutcome(
        cls,
        k,
        len(keys),
        len(keys) - len(wrong_keys),
        exact=not wrong_keys and agency_ok and year_ok and report.template == truth.template,
        agency_ok=agency_ok,
        year_ok=year_ok,
        silent=clean and bool(silent_cells or silent_agency),
        dropped=False,
        read=f"{report.agency} / {report.year} / {report.template} / {report.reading} (truth {truth.agency} / "
        f"{truth.year} / {truth.template})",
        wrong=wrong,
        problems=report.problems[:4],
    )


def wild_table(outcomes: list[WildOutcome], show: int) -> None:
    groups: dict[str, list[WildOutcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.cls].append(o)
    print(
        f"{'class':20s} {'reports':>7s} {'cells':>7s} {'cells ok':>9s} {'exact':>6s} {'agency':>7s} {'year':>6s} "
        f"{'dropped':>8s} {'silent':>7s}"
    )

    def line(name: str, group: list[WildOutcome]) -> None:
        cells = sum(o.cells for o in group)
        print(
            f"{name:20s} {len(group):7d} {cells:7d} {sum(o.correct for o in group) / max(cells, 1):9.2%} "
            f"{sum(o.exact for o in group):6d} {sum(o.agency_ok for o in group):7d} {sum(o.year_ok for o in group):6d} "
            f"{sum(o.dropped for o in group):8d} {sum(o.silent for o in group):7d}"
        )

    for cls in WILD_TEXT:
        if cls in groups:
            line(cls, groups[cls])
    line("all", outcomes)
    for cls in WILD_TEXT:
        for o in [o for o in groups.get(cls, []) if not o.exact][:show]:
            print(f"\n[{cls} #{o.seed}] {'SILENT ' if o.silent else ''}{o.read}")
            if o.error:
                print(f"  error: {o.error[:200]}")
            for w in o.wrong:
                print(f"  {w}")
            for p in o.problems:
                print(f"  problem: {p[:160]}")


# Image classes: (kind, scan). Kinds: a scanned PDF, or an HTML page with its tables as pictures.
def _image_classes() -> dict[str, tuple[str, Scan]]:
    return {
        "scan-clean-150": ("pdf", CLEAN),
        "scan-clean-300": ("pdf", Scan(dpi=300)),
        "scan-noisy-150": ("pdf", NOISY),
        "scan-noisy-300": (
            "pdf",
            Scan(dpi=300, noise=NOISY.noise, rotation=NOISY.rotation, jpeg=NOISY.jpeg, stamp=True),
        ),
        "html-img-150": ("html", CLEAN),
    }


@dataclass
class ImageOutcome:
    cls: str
    cells: int
    correct: int
    exact: bool
    silent: bool
    pages: int
    seconds: float
    cpu: float  # CPU seconds of the reading process (the machine may be shared: wall time means little)
    error: str | None = None


def run_image(args: tuple[int, str, str]) -> ImageOutcome:
    """One report of one image class: drawn, printed as pictures, read back, scored."""
    import time

    import pypdfium2

    k, cls, tmp = args
    kind, scan = _image_classes()[cls]
    truth = random_report(random.Random(20_000 + k), template="2021" if k % 3 else "2019")
    folder = Path(tmp) / f"{cls}-{k}"
    folder.mkdir()
    if kind == "pdf":
        data = scanned_pdf(truth, scan, seed=k)
        path = folder / "scan.pdf"
        path.write_bytes(data)
        pages = len(pypdfium2.PdfDocument(data))
    else:
        page, files = html_with_pictures(truth, scan, seed=k)
        for name, blob in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(blob)
        path = folder / "report.html"
        path.write_bytes(page)
        pages = len(files)
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        report = parse_file(path)
    except Exception as exc:  # counted, not hidden
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        return ImageOutcome(cls, len(truth.values), 0, False, False, pages, seconds, cpu, str(exc)[:200])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # A cell the report lacks (another template read) is wrong, and silent unless flagged.
    wrong = [key for key, v in truth.values.items() if key not in report.cells or report.cells[key].value != v]
    said = " ".join(report.problems)
    clean = report.reading in ("as_printed", "repaired")
    silent = clean and any(
        (key not in report.cells or report.cells[key].value is not None) and key.row_key not in said for key in wrong
    )
    exact = not wrong and (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
    return ImageOutcome(cls, len(truth.values), len(truth.values) - len(wrong), exact, silent, pages, seconds, cpu)


ENGINES = ("rapidocr", "tesseract")


def _load_engine(engine: str) -> float:
    """Load the recogniser in this process (Tesseract replaces RapidOCR's `recognise` here): its CPU seconds."""
    import time

    import pipelines.formats.ocr as ocr

    start = time.process_time()
    if engine == "tesseract":
        import bench.tesseract

        ocr.recognise = bench.tesseract.recognise  # scan.read_image looks it up on every page
        bench.tesseract.load()
    else:
        ocr._engine()
    return time.process_time() - start


def image_table(n: int, classes: list[str], workers: int, engine: str = "rapidocr") -> None:
    # Loading the engine is paid once per process, not per page: it is measured apart, in a
    # fresh process, and every worker loads it before its first report.
    with ProcessPoolExecutor(1) as once:
        load = once.submit(_load_engine, engine).result()
    with (
        tempfile.TemporaryDirectory() as tmp,
        ProcessPoolExecutor(workers, initializer=_load_engine, initargs=(engine,)) as pool,
    ):
        outcomes = list(pool.map(run_image, [(k, c, tmp) for c in classes for k in range(n)]))
    print(f"engine: {engine}, loaded in {load:.2f} CPU s once per process (not in the figures below)")
    print(
        f"{'image class':16s} {'reports':>7s} {'cells':>7s} {'cells ok':>9s} {'exact':>6s} {'silent':>7s} "
        f"{'dropped':>8s} {'CPU s/page':>11s} {'pages/s/core':>13s} {'pages/s wall':>13s}"
    )
    for cls in classes:
        group = [o for o in outcomes if o.cls == cls]
        cells = sum(o.cells for o in group)
        seconds = sum(o.seconds for o in group)
        pages = sum(o.pages for o in group)
        cpu = sum(o.cpu for o in group) / max(pages, 1)
        print(
            f"{cls:16s} {len(group):7d} {cells:7d} {sum(o.correct for o in group) / max(cells, 1):9.2%} "
            f"{sum(o.exact for o in group):6d} {sum(o.silent for o in group):7d} {sum(o.error is not None for o in group):8d} "
            f"{cpu:11.2f} {1 / max(cpu, 1e-9):13.2f} {pages / max(seconds, 1e-9):13.2f}"
        )
    for o in outcomes:
        if o.error:
            print(f"error: {o.cls}: {o.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wild", type=int, default=0, help="reports per wild text class (tests.wild_text); 0: none")
    parser.add_argument("--classes", default=",".join(WILD_TEXT), help="comma-separated wild classes to run")
    parser.add_argument("--show", type=int, default=0, help="print this many failed reports per wild class")
    parser.add_argument("--real", action="store_true", help="also the seeds and the real excerpts (bench.real)")
    parser.add_argument("--images", type=int, default=0, help="reports per image class (tests.scans); 0: none")
    parser.add_argument(
        "--engine", choices=ENGINES, default="rapidocr", help="the recogniser for --images (tesseract: bench.tesseract)"
    )
    args = parser.parse_args()
    if args.images > 0:
        known = _image_classes()
        wanted = [c for c in args.classes.split(",") if c in known] or list(known)
        image_table(args.images, wanted, args.workers, args.engine)
        print()
    if args.real:
        from bench.real import real_table

        real_table()
        print()
    formats = [*FORMATS, "text-pdftotext"]
    if args.n > 0:
        _formats_table(args.n, formats, args.workers)
    if args.wild > 0:
        classes = [c for c in args.classes.split(",") if c]
        unknown = set(classes) - set(WILD_TEXT)
        if unknown:
            parser.error(f"unknown classes: {', '.join(sorted(unknown))}")
        with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.workers) as pool:
            jobs = [(k, cls, tmp) for cls in classes for k in range(args.wild)]
            wild = list(pool.map(run_wild, jobs, chunksize=2))
        if args.n > 0:
            print()
        wild_table(wild, args.show)


def _formats_table(n: int, formats: list[str], workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(workers) as pool:
        outcomes = list(pool.map(run_one, [(k, f, p, tmp) for k, f, p in corpus(n, formats)], chunksize=4))
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.fmt, o.profile)].append(o)
    print(
        f"{'format':16s} {'profile':15s} {'reports':>7s} {'cells':>7s} {'cell acc':>9s} "
        f"{'exact':>6s} {'flagged':>8s} {'silent':>7s}"
    )
    total_cells = total_correct = silent_total = 0
    for (fmt, profile), group in sorted(groups.items(), key=lambda kv: (PROFILES.index(kv[0][1]), kv[0][0])):
        cells = sum(o.cells for o in group)
        correct = sum(o.correct for o in group)
        exact = sum(o.exact for o in group)
        flagged = sum(1 for o in group if not o.exact and o.flagged)
        silent = sum(1 for o in group if not o.exact and not o.flagged)
        total_cells, total_correct, silent_total = total_cells + cells, total_correct + correct, silent_total + silent
        print(
            f"{fmt:16s} {profile:15s} {len(group):7d} {cells:7d} {correct / cells:9.2%} "
            f"{exact:6d} {flagged:8d} {silent:7d}"
        )
    print(
        f"{'all':16s} {'':15s} {len(outcomes):7d} {total_cells:7d} {total_correct / total_cells:9.2%} "
        f"{sum(o.exact for o in outcomes):6d} {sum(1 for o in outcomes if not o.exact and o.flagged):8d} "
        f"{silent_total:7d}"
    )
    for o in outcomes:
        if o.error:
            print(f"error: {o.fmt} {o.profile}: {o.error}")


if __name__ == "__main__":
    main()
