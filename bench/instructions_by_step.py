"""Instructions per step of a text report's first read, counted by valgrind's callgrind.

    .venv-test/bin/python -m bench.instructions_by_step --formats text-tabs text-spaces --n 30
    .venv-test/bin/python -m bench.instructions_by_step --cpu --n 300     # CPU time, no valgrind

bench.instructions counts a whole first read; this says where it goes. The steps' functions are
wrapped where their callers look them up (the module attribute), and each wrapper calls a marker
(`os.getppid`, which nothing else in a parse calls) on entry and on exit: callgrind, started with
`--dump-before=os_getppid`, writes the instructions counted since the last marker to a dump of its
own, and the child logs which step was innermost then, so every instruction between two markers
goes to one step (exclusive costs: a step's callees that are steps themselves count for those);
a garbage collection (gc.callbacks) is a step of its own, wherever an allocation sets it off.
The warm-up is bench.instructions' (three reports, the collector frozen), then `--n` new reports
(seeds 1000 on). The wrappers and markers cost a few thousand instructions a call; "markers" is
that cost, measured on a wrapped function that does nothing, times the calls a report makes, and
is taken off the steps' total. With `--cpu` the same exclusive accounting takes CPU time instead
(no valgrind; noisy on a shared machine).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.instructions import first_read_files, run_under_callgrind

# (step, module, attribute): the function as its caller looks it up. Order is the table's.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("sniff", "pipelines.formats", "sniff_all"),
    ("decode", "pipelines.formats.text", "decode_report"),
    ("lines", "pipelines.formats.text", "text_rows"),
    ("document", "pipelines.template.report", "read_document"),
    ("run-on", "pipelines.template.report", "unfold_run_on"),
    ("year", "pipelines.template.metadata", "find_year"),
    ("template", "pipelines.template.metadata", "detect_template"),
    ("agency name", "pipelines.template.metadata", "find_agency_name"),
    ("metadata", "pipelines.template.report", "read_metadata"),
    ("sections", "pipelines.template.report", "split_sections"),
    ("tables: cell reads", "pipelines.template.fast_tables", "_read"),
    ("tables: new rows", "pipelines.template.fast_tables", "_RowInfo"),
    ("tables: rows", "pipelines.template.fast_tables", "_Part"),
    ("tables: section 2", "pipelines.template.fast_tables", "_section2"),
    ("tables: section 3", "pipelines.template.fast_tables", "_section3"),
    ("tables: section 4", "pipelines.template.fast_tables", "_section4"),
    ("alignment", "pipelines.template.fast_tables", "_fill"),
    ("rules", "pipelines.template.fast_tables", "_rules_hold"),
    ("tables", "pipelines.template.report", "read_cells"),
    ("general readers", "pipelines.template.report", "read_section2"),
    ("general readers", "pipelines.template.report", "read_section3"),
    ("general readers", "pipelines.template.report", "read_section4"),
    ("placement", "pipelines.template.report", "place_figures"),
    ("narrative", "pipelines.template.report", "stated_figures"),
    ("report frame", "pipelines.template.report", "_report"),
    ("parse (the rest)", "pipelines.template.report", "parse_document"),
)
COLLECTOR = "garbage collector"
CALIBRATION = "calibration"  # a wrapped function that does nothing, called 200 times
CALIBRATION_AROUND = "calibration loop"


class Ledger:
    """Exclusive accounting by a stack of steps: `tick(label)` closes the interval since the last
    tick and charges it to `label` (the innermost step then)."""

    def __init__(self, tick: Callable[[str], None]) -> None:
        self.stack = ["(outside)"]
        self.calls: Counter[str] = Counter()
        self._tick = tick

    def wrap(self, label: str, fn: Callable[..., object]) -> Callable[..., object]:
        stack, tick, calls = self.stack, self._tick, self.calls

        def step(*args: object, **kwargs: object) -> object:
            tick(stack[-1])
            stack.append(label)
            calls[label] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                tick(stack.pop())

        return step

    def collection(self, phase: str, info: dict[str, int]) -> None:
        """gc.callbacks: a collection's work is its own step, whichever step's allocation set it off."""
        if phase == "start":
            self._tick(self.stack[-1])
            self.stack.append(COLLECTOR)
            self.calls[COLLECTOR] += 1
        else:
            self._tick(self.stack.pop())


def _install(ledger: Ledger) -> None:
    for label, module, attribute in STEPS:
        owner = importlib.import_module(module)
        setattr(owner, attribute, ledger.wrap(label, getattr(owner, attribute)))
    gc.callbacks.append(ledger.collection)


def _nothing() -> None:
    return None


def _read_and_calibrate(
    ledger: Ledger, tick: Callable[[str], None], files: list[tuple[Path, bytes]], empty: Callable[..., object]
) -> dict[str, int]:
    """Read the files, every interval charged to its step, then the calibration calls; the
    steps' calls during the read."""
    from pipelines.template.report import parse_file

    tick("(idle)")
    ledger.stack[0] = "(between)"
    for path, data in files:
        parse_file(path, data)
    calls = dict(ledger.calls)
    tick("(between)")
    ledger.stack[0] = CALIBRATION_AROUND
    for _ in range(200):
        empty()
    tick(CALIBRATION_AROUND)
    return calls


def _child(fmt: str, n: int, flag: Path) -> None:
    """Under callgrind: warm up, wait for the instrumentation, read with a marker per step boundary
    (the label of each interval written to `flag`.labels), then the calibration calls."""
    from pipelines.ingest.collector import collector_for_parsing
    from pipelines.template.report import parse_file

    collector_for_parsing()
    warm, files = first_read_files(fmt, n)
    labels: list[str] = []
    marker = os.getppid
    on = [False]

    def tick(label: str) -> None:
        if on[0]:
            labels.append(label)
            marker()

    ledger = Ledger(tick)
    _install(ledger)
    empty = ledger.wrap(CALIBRATION, _nothing)
    for path, data in warm:
        parse_file(path, data)
    collector_for_parsing(warm=True)
    ledger.calls.clear()
    flag.touch()
    time.sleep(3)  # callgrind_control turns the instrumentation on meanwhile
    on[0] = True
    calls = _read_and_calibrate(ledger, tick, files, empty)
    on[0] = False
    Path(f"{flag}.labels").write_text(repr((labels, calls)))
    Path(f"{flag}.done").touch()
    time.sleep(3)
    os._exit(0)


def _dump_counts(out: Path) -> list[int]:
    """The instructions of each numbered dump, in order (dump k: the k-th marker's interval)."""
    dumps = sorted(out.parent.glob(f"{out.name}.*"), key=lambda p: int(p.suffix[1:]))
    counts = []
    for dump in dumps:
        with dump.open() as lines:
            count = next((int(line.split()[1]) for line in lines if line.startswith(("summary:", "totals:"))), 0)
        counts.append(count)
        dump.unlink()
    return counts


def by_step_instructions(fmt: str, n: int) -> tuple[dict[str, float], dict[str, float]]:
    """Instructions (per report) charged to each step, and the steps' calls per report."""
    with tempfile.TemporaryDirectory() as tmp:
        flag, out = Path(tmp) / "flag", Path(tmp) / "cg.out"
        options = ["--dump-before=os_getppid", f"--callgrind-out-file={out}"]
        run_under_callgrind("bench.instructions_by_step", options, [fmt, str(n)], flag)
        labels, calls = eval(Path(f"{flag}.labels").read_text())  # our own child's repr of plain lists
        counts = _dump_counts(out)
    if len(counts) < len(labels):
        raise RuntimeError(f"{fmt}: {len(labels)} markers, {len(counts)} dumps")
    spent: Counter[str] = Counter()
    for label, count in zip(labels, counts, strict=False):
        spent[label] += count
    return _per_report(spent, calls, n)


def _per_report(spent: Counter[str], calls: dict[str, int], n: int) -> tuple[dict[str, float], dict[str, float]]:
    """Per report; each marker pair's own cost (the calibration's) taken off the steps as
    "markers", since a step's wrapper charges its entry and exit to the steps around it."""
    per_call = (spent.pop(CALIBRATION, 0) + spent.pop(CALIBRATION_AROUND, 0)) / 200
    for outside in ("(outside)", "(idle)", "(between)"):
        spent.pop(outside, None)
    markers = per_call * sum(calls.values())
    out = {label: spent[label] / n for label in _order() if spent.get(label)}
    out["markers"] = -markers / n
    return out, {label: c / n for label, c in calls.items()}


def _order() -> list[str]:
    return [*dict.fromkeys(label for label, _, _ in STEPS), COLLECTOR]


def by_step_cpu(fmt: str, n: int) -> tuple[dict[str, float], dict[str, float]]:
    """The same accounting in CPU nanoseconds per report, in this process (no valgrind)."""
    from pipelines.ingest.collector import collector_for_parsing
    from pipelines.template.report import parse_file

    collector_for_parsing()
    warm, files = first_read_files(fmt, n)
    spent: Counter[str] = Counter()
    last = [time.process_time_ns()]

    def tick(label: str) -> None:
        now = time.process_time_ns()
        spent[label] += now - last[0]
        last[0] = now

    ledger = Ledger(tick)
    _install(ledger)
    empty = ledger.wrap(CALIBRATION, _nothing)
    for path, data in warm:
        parse_file(path, data)
    collector_for_parsing(warm=True)
    ledger.calls.clear()
    spent.clear()
    return _per_report(spent, _read_and_calibrate(ledger, tick, files, empty), n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", nargs="+", default=["text-tabs", "text-cells", "text-pipes", "text-spaces"])
    parser.add_argument("--n", type=int, default=30, help="reports read for the first time, per format")
    parser.add_argument("--cpu", action="store_true", help="CPU time per step instead of instructions")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # the process under callgrind
    args = parser.parse_args()
    if args.child:
        fmt, n, flag = args.child
        _child(fmt, int(n), Path(flag))
        return
    one, five, _ = os.getloadavg()
    unit = "µs CPU" if args.cpu else "M instructions"
    print(f"first read, {unit} per report by step ({args.n} reports after 3), load {one:.1f}/{five:.1f}")
    results = {}
    for fmt in args.formats:
        if args.cpu:
            spent, calls = by_step_cpu(fmt, args.n)
            results[fmt] = ({k: v / 1e3 for k, v in spent.items()}, calls)
        else:
            spent, calls = by_step_instructions(fmt, args.n)
            results[fmt] = ({k: v / 1e6 for k, v in spent.items()}, calls)
    steps = list(dict.fromkeys(k for spent, _ in results.values() for k in spent))
    print(f"{'step':22s}" + "".join(f"{fmt[5:] if fmt.startswith('text-') else fmt:>11s}" for fmt in results))
    for step in steps:
        row = "".join(f"{results[fmt][0].get(step, 0.0):11.3f}" for fmt in results)
        print(f"{step:22s}{row}")
    totals = "".join(f"{sum(spent.values()):11.3f}" for spent, _ in results.values())
    print(f"{'total':22s}{totals}")
    one, five, _ = os.getloadavg()
    print(f"at the end: load {one:.1f}/{five:.1f}")


if __name__ == "__main__":
    main()
