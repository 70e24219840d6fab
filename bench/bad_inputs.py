"""The hostile corpus of tests/bad_inputs.py: how long each file takes to read or reject, and the
whole build over it.

.venv-test/bin/python -m bench.bad_inputs
"""

from __future__ import annotations

import argparse
import platform
import stat
import tempfile
import time
from pathlib import Path

from pipelines.formats.document import UnreadableDocument
from pipelines.formats.limits import ParseLimits
from pipelines.ingest.raw_folder import survey_raw_folder
from pipelines.ingest.stage import build_warehouse
from pipelines.template.report import parse_file
from tests.bad_inputs import write_bad_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    limits = ParseLimits.from_env()
    print(f"python {platform.python_version()} on {platform.machine()}; limits: {limits.describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        start = time.perf_counter()
        expects = write_bad_inputs(raw, Path(tmp) / "outside")
        print(f"corpus: {len(expects)} entries, generated in {time.perf_counter() - start:.1f} s")
        parse_file(raw / "good_tabs.txt")  # warm-up: imports
        print(f"{'file':32s} {'ms':>8s}  outcome")
        for path in survey_raw_folder(raw).files:
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            start = time.perf_counter()
            try:
                report = parse_file(path, limits=limits)
                outcome = f"report ({report.reading})"
            except UnreadableDocument as exc:
                outcome = str(exc).split(": ", 1)[1][:70]
            ms = (time.perf_counter() - start) * 1000
            name = path.relative_to(raw).as_posix().replace("\n", "\\n")[:32]
            print(f"{name:32s} {ms:8.1f}  {outcome}")
        start = time.perf_counter()
        result = build_warehouse(raw, Path(tmp) / "wh" / "xxgk.duckdb", workers=args.workers)
        seconds = time.perf_counter() - start
        survey = survey_raw_folder(raw)
        print(
            f"build: {seconds:.1f} s with {args.workers} workers: {result.summary.reports} reports, "
            f"{result.summary.rejected} rejected ({len(survey.refused)} of them not read: links, FIFO, name), "
            f"{len(survey.ignored)} ignored by rule"
        )
        print(f"  of which parsing (worker start-up included): {result.stats.seconds:.1f} s")


if __name__ == "__main__":
    main()
