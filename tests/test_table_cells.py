"""How the tables' cells are read where real pages print more than the table between its cells
(round 13, cells13): each case is a generated report (known truth) printed with and without it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipelines.template.labels import is_page_marker
from pipelines.template.report import parse_file
from tests.wild_text import _page_cell_blank, wild_report


def _cells(path: Path) -> dict[object, float | None]:
    return {key: cell.value for key, cell in parse_file(path).cells.items()}


@pytest.mark.parametrize("marker", ["- 3 -", "— 4 —", "第 3 页 共 6 页", "第3页", "－5－"])
def test_a_page_number_between_a_rows_figures_is_no_cell(tmp_path: Path, marker: str) -> None:
    rng = random.Random(7)
    report = wild_report(rng)
    text = _page_cell_blank(report, rng).text()
    row = "一、本年新收政府信息公开申请数量\n\n"
    at = text.index(row) + len(row)
    second_figure = text.index("\n\n", text.index("\n\n", at) + 2) + 2  # after the row's first figure
    broken = text[:second_figure] + marker + "\n\n" + text[second_figure:]
    (tmp_path / "whole.txt").write_text(text, encoding="utf-8")
    (tmp_path / "broken.txt").write_text(broken, encoding="utf-8")
    assert _cells(tmp_path / "broken.txt") == _cells(tmp_path / "whole.txt")
    assert parse_file(tmp_path / "broken.txt").reading.value == "as_printed"


def test_a_bare_number_is_no_page_marker() -> None:
    """A lone 3 may be a figure: only the forms no table prints are page numbers."""
    assert [is_page_marker(t) for t in ("- 3 -", "—12—", "第 3 页", "第3页/共6页", "－3－")] == [True] * 5
    assert [is_page_marker(t) for t in ("3", "-3", "3/6", "第三页", "2023年", "—")] == [False] * 6
