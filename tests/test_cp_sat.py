"""The placement solver through OR-Tools' binding (pipelines.template.cp_sat) hands CP-SAT the same
model, byte for byte, as OR-Tools' own `cp_model` layer, and so reads every report the same; and the
parse server's warm-up, solve included, never loads pandas (which `cp_model` imports)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

from models.catalog import CellKey, columns_for
from models.rules import rule_instances
from models.vocab import FindingRule
from pipelines.formats.document import ImageText, Row
from pipelines.template import cp_sat, placement
from pipelines.template.labels import parse_cell
from pipelines.template.printed_lines import Slot, printed_line
from pipelines.template.report import parse_file
from pipelines.template.section_tables import read_section4
from tests.conftest import ROOT
from tests.generator import Damage, random_report, render

_SECTION4_HEAD = (
    "行政复议行政诉讼",
    "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉",
    "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计",
)


class _Compared:
    """Every `_best_placement` call made twice, once on cp_sat and once on `cp_model`'s classes,
    each solve's model proto recorded: both runs must send the same protos and read the same."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.protos: list[str] = []
        self._monkeypatch = monkeypatch
        self._original = placement._best_placement
        monkeypatch.setattr(placement, "_best_placement", self._both)

    def _run(self, model_class: Any, solver_class: Any, args: tuple[Any, ...]) -> tuple[Any, list[str]]:
        protos: list[str] = []

        class Recording(solver_class):  # type: ignore[misc, valid-type]
            def solve(self, model: Any) -> Any:
                protos.append(str(model.model_proto))
                return super().solve(model)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(cp_sat, "CpModel", model_class)
            mp.setattr(cp_sat, "CpSolver", Recording)
            return self._original(*args), protos

    def _both(self, *args: Any) -> Any:
        ours, our_protos = self._run(cp_sat.CpModel, cp_sat.CpSolver, args)
        theirs, their_protos = self._run(cp_model.CpModel, cp_model.CpSolver, args)
        assert our_protos == their_protos
        assert ours == theirs
        self.calls += 1
        self.protos.extend(our_protos)
        return ours


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> _Compared:
    return _Compared(monkeypatch)


def _s3(row: str, col: str) -> CellKey:
    return CellKey(3, "requests", row, col)


def test_the_solver_gets_cp_models_protos_and_reads_alike(tmp_path: Path, compared: _Compared) -> None:
    # Text that lost its blank cells, in both templates, some with a cell printed as no figure
    # (an unknown whole number to the solver), with the narrative's figures (hints).
    for k in range(6):
        for fmt in ("text-tabs", "text-cells", "text-pipes"):
            truth = random_report(random.Random(k), template=("2021", "2019")[k % 2])
            if k % 3 == 2:
                truth.printed[_s3("granted", "natural_person")] = "NaN"
            suffix, data = render(truth, fmt, Damage(blank_zero=True, drop_blanks=True), seed=k)
            path = tmp_path / f"dropped-{k}{suffix}"
            path.write_bytes(data)
            parse_file(path)
    # Section 4 in one run: two cuts satisfy C4 (the alternative asked for), or none does.
    for run in ("110101220101102120002", "10203120001300000"):
        lines = read_section4([Row((line,), is_text=True) for line in (*_SECTION4_HEAD, run)], "2021").lines
        present = {t for line in lines for t in line.targets}
        placement.place_figures(lines, [r for r in rule_instances("2021", []) if present.issuperset(r.cell_tuple)])
    # OCR figures with other readings (the product constraints) and an unreadable one.
    targets = [_s3("granted", c.column_key) for c in columns_for("2021", "requests")]
    slots = [
        Slot("S5", parse_cell("S5"), None, image=ImageText("S5", 0.41, (("55", 0.2),))),  # type: ignore[arg-type]
        Slot("5", parse_cell("5"), None, image=ImageText("5", 0.99, (("6", 0.3),))),  # type: ignore[arg-type]
    ]
    line = printed_line("（一）予以公开", targets, slots)
    placement.place_figures([line], [r for r in rule_instances("2021", ["granted"]) if r.rule == FindingRule.C2])
    assert compared.calls == 6 * 3 + 1 + 2 + 1  # no reading of the second run: solved again without rules
    assert len(compared.protos) > compared.calls  # the later solves (another reading?) compared too
    # Every kind of variable the model makes was in a compared model: placements, cuts of a run,
    # unknown figures, OCR readings, the narrative's figures, the question for another reading.
    for kind in ("x", "cut", "u", "ocr", "hint_", "other"):
        assert any(f'name: "{kind}' in proto for proto in compared.protos), kind


_WARM_THEN_SOLVE = """
import json, sys
import pipelines.ingest.parse_warmup
warm = sorted(m for m in sys.modules if m.split(".")[0] == "pandas")
from models.catalog import CellKey, columns_for
from models.rules import rule_instances
from models.vocab import FindingRule
from pipelines.template import placement
from pipelines.template.labels import parse_cell
from pipelines.template.printed_lines import Slot, printed_line
targets = [CellKey(3, "requests", "granted", c.column_key) for c in columns_for("2021", "requests")]
line = printed_line("（一）予以公开", targets, [Slot(t, parse_cell(t), None) for t in ("5", "5")])
rules = [r for r in rule_instances("2021", ["granted"]) if r.rule == FindingRule.C2]
assert placement._proven_reading([line], rules) is None  # the rules leave six readings: the solver's
placed = placement.place_figures([line], rules)
solved = sorted(m for m in sys.modules if m.split(".")[0] == "pandas")
cells = {k.column_key: c.value for k, c in placed.cells.items()}
print(json.dumps({"warm": warm, "solved": solved, "outcome": placed.outcome.value, "cells": cells}))
"""


def test_the_parse_servers_warm_up_and_a_solve_leave_pandas_unimported() -> None:
    # A fresh interpreter, as the server's imports are (numpy is the build's already, pyarrow's,
    # before the server is forked from it): the warm-up, then a row that lost its blank
    # cells (5 and 5 under seven columns: C2 puts the second in 总计, the first in any of six
    # parts), which the solver places: 自然人, the usual applicant, the other readings named.
    proc = subprocess.run(
        [sys.executable, "-c", _WARM_THEN_SOLVE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    seen = json.loads(proc.stdout.splitlines()[-1])
    assert seen["warm"] == []
    assert seen["solved"] == []
    assert seen["outcome"] == "ambiguous"
    assert seen["cells"] == {
        "natural_person": 5.0,
        "commercial_enterprise": 0.0,
        "research_institution": 0.0,
        "social_welfare_org": 0.0,
        "legal_service_org": 0.0,
        "other_org": 0.0,
        "total": 5.0,
    }
