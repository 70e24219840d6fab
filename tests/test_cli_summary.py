"""The build summary's lists: a few files named under each line, and where the rest are."""

from __future__ import annotations

import pytest

from pipelines.cli import _echo_listed
from pipelines.warehouse.shown import Listed


def test_a_long_list_names_its_first_n_and_says_how_many_more_and_where(capsys: pytest.CaptureFixture[str]) -> None:
    _echo_listed(Listed.of([f"report{i}.txt: disagrees" for i in range(58_197)], 3), "the findings table, rule D1")
    assert capsys.readouterr().out.splitlines() == [
        "  report0.txt: disagrees",
        "  report1.txt: disagrees",
        "  report2.txt: disagrees",
        "  … and 58194 more (in the findings table, rule D1; --list 0 names every one)",
    ]


def test_a_list_within_the_limit_is_named_whole_with_no_more_line(capsys: pytest.CaptureFixture[str]) -> None:
    _echo_listed(Listed.of(["a.txt: empty", "b.txt: empty"], 2), "the rejected table")
    assert capsys.readouterr().out.splitlines() == ["  a.txt: empty", "  b.txt: empty"]


def test_list_0_names_every_one(capsys: pytest.CaptureFixture[str]) -> None:
    _echo_listed(Listed.of([f"f{i}" for i in range(50)], 0), "the rejected table")
    assert len(capsys.readouterr().out.splitlines()) == 50
