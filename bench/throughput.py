"""Parse throughput per format: reports per second on one core (rendering is not timed).

.venv-test/bin/python -m bench.throughput --per-format 40
"""

from __future__ import annotations

import argparse
import platform
import random
import tempfile
import time
from pathlib import Path

from pipelines.template.report import parse_file
from tests.generator import FORMATS, Damage, random_report, render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-format", type=int, default=40)
    args = parser.parse_args()
    formats = [*FORMATS, "text-pdftotext"]
    print(
        f"python {platform.python_version()} on {platform.machine()}, {args.per_format} reports per format, blank zeros"
    )
    print(f"{'format':16s} {'reports/s':>10s} {'ms/report':>10s} {'KiB/report':>11s}")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            paths = []
            for k in range(args.per_format):
                truth = random_report(random.Random(k), template="2021" if k % 3 else "2019")
                suffix, data = render(truth, fmt, Damage(blank_zero=k % 2 == 0), seed=k)
                path = Path(tmp) / f"{fmt}-{k}{suffix}"
                path.write_bytes(data)
                paths.append(path)
            parse_file(paths[0])  # warm-up: imports, caches
            start = time.perf_counter()
            for path in paths:
                parse_file(path)
            elapsed = time.perf_counter() - start
            size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
            print(f"{fmt:16s} {len(paths) / elapsed:10.1f} {elapsed / len(paths) * 1000:10.1f} {size:11.1f}")


if __name__ == "__main__":
    main()
