"""Did a change to the parser change what it reads? Renders a fixed corpus once, dumps every
Document and ParsedReport read from it, and compares two dumps field by field.

    .venv-test/bin/python -m bench.parse_diff corpus /tmp/corpus --n 120 --wild 10 --print 10
    .venv-test/bin/python -m bench.parse_diff dump /tmp/corpus /tmp/before.jsonl     # on the old code
    .venv-test/bin/python -m bench.parse_diff dump /tmp/corpus /tmp/after.jsonl      # on the new code
    .venv-test/bin/python -m bench.parse_diff compare /tmp/before.jsonl /tmp/after.jsonl

The corpus is bench.accuracy's generated reports (every format and damage profile), the wild text
and print classes (tests.wild_text, tests.wild_print), the seeds and the real excerpts. A speed
change must leave every line identical: the document's rows (cells, positions, widths), the
layout, metadata, every cell's value, status and printed text, the reading, repairs and problems.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from bench.accuracy import corpus, damage_for
from bench.real import EXCERPTS, SEEDS
from pipelines.formats import read_document
from pipelines.template.report import NotAReport, parse_document
from tests.generator import FORMATS, random_report, render
from tests.wild_print import CLASSES as PRINT_CLASSES
from tests.wild_print import draw, render_with_features
from tests.wild_text import WILD_TEXT, render_wild, wild_report


def write_corpus(folder: Path, n: int, wild: int, printed: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    formats = list(FORMATS) + (["text-pdftotext"] if shutil.which("pdftotext") else [])
    count = 0
    for k, fmt, profile in corpus(n, formats):
        rng = random.Random(k)
        truth = random_report(rng, template="2021" if k % 3 else "2019")
        suffix, data = render(truth, fmt, damage_for(profile, rng, fmt), seed=k)
        (folder / f"gen-{k:04d}-{fmt}-{profile}{suffix}").write_bytes(data)
        count += 1
    for cls in WILD_TEXT:
        for k in range(wild):
            rng = random.Random(10_000 + k)
            suffix, data, _ = render_wild(cls, wild_report(rng), rng)
            (folder / f"wild-{cls}-{k:03d}{suffix}").write_bytes(data)
            count += 1
    for cls in PRINT_CLASSES:
        for k in range(printed):
            rng = random.Random(f"{cls}:{k}")
            suffix, data, _ = render_with_features(cls, draw(cls, rng), rng)
            (folder / f"print-{cls}-{k:03d}{suffix}").write_bytes(data)
            count += 1
    for source in [*sorted(SEEDS.glob("*.txt")), *sorted(EXCERPTS.glob("*.txt"))]:
        shutil.copy(source, folder / f"real-{source.name}")
        count += 1
    return count


def _plain(value: object) -> object:
    """JSON-ready: dataclasses as dicts, tuples as lists, enums as their values."""
    return json.loads(json.dumps(value, default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o)))


def read_one(path: Path) -> dict[str, object]:
    out: dict[str, object] = {"file": path.name}
    try:
        doc = read_document(path)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        return out
    out["document"] = _plain(
        {
            "layout": doc.layout,
            "text": doc.text,
            "rows": doc.rows,
            "traditional": doc.from_traditional,
            "meta": doc.meta,  # an HTML page's meta tags
        }
    )
    try:
        report = parse_document(doc)
    except NotAReport as exc:
        out["error"] = f"NotAReport: {exc}"
        out["known"] = _plain(exc.known)
        return out
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        return out
    cells = {f"{k.section}.{k.table_key}.{k.row_key}.{k.column_key}": v for k, v in report.cells.items()}
    report_fields = {k: v for k, v in vars(report).items() if k != "cells"}
    out["report"] = _plain({**report_fields, "cells": cells})
    return out


def _paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def dump(folder: Path, out: Path, workers: int) -> None:
    paths = _paths(folder)
    with out.open("w", encoding="utf-8") as sink, ProcessPoolExecutor(workers) as pool:
        for record in pool.map(read_one, paths, chunksize=4):
            sink.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def _records(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _differences(a: object, b: object, where: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _differences(a.get(key), b.get(key), f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{where}[{k}]")
    elif a != b:
        yield f"{where}: {json.dumps(a, ensure_ascii=False)[:160]} → {json.dumps(b, ensure_ascii=False)[:160]}"


def compare(before: Path, after: Path, show: int) -> int:
    old = {r["file"]: r for r in _records(before)}
    new = {r["file"]: r for r in _records(after)}
    changed = 0
    for name in sorted(set(old) | set(new)):
        diffs = list(_differences(old.get(name), new.get(name), ""))
        if diffs:
            changed += 1
            print(f"{name}: {len(diffs)} differences")
            for d in diffs[:show]:
                print(f"  {d}")
    print(f"files: {len(set(old) | set(new))}, changed: {changed}")
    return 1 if changed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus", help="render the corpus into a folder")
    c.add_argument("folder", type=Path)
    c.add_argument("--n", type=int, default=120, help="generated reports (bench.accuracy's mix)")
    c.add_argument("--wild", type=int, default=10, help="reports per wild text class")
    c.add_argument("--print", type=int, default=10, dest="printed", help="reports per wild print class")
    d = sub.add_parser("dump", help="read every file of the corpus into a JSON-lines dump")
    d.add_argument("folder", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--workers", type=int, default=2)
    m = sub.add_parser("compare", help="compare two dumps; exit 1 when anything differs")
    m.add_argument("before", type=Path)
    m.add_argument("after", type=Path)
    m.add_argument("--show", type=int, default=8, help="differences printed per file")
    args = parser.parse_args()
    if args.command == "corpus":
        print(f"{write_corpus(args.folder, args.n, args.wild, args.printed)} files in {args.folder}")
    elif args.command == "dump":
        dump(args.folder, args.out, args.workers)
    else:
        sys.exit(compare(args.before, args.after, args.show))


if __name__ == "__main__":
    main()
