"""Property tests: random consistent reports, rendered in every form with real-world damage,
parse back cell for cell. The truth comes from the generator, never from the parser."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.template.report import parse_file
from tests.generator import Damage, random_report, render

FAST_FORMATS = ["html", "text-tabs", "text-cells", "text-pipes", "text-spaces"]
SLOW_FORMATS = ["docx", "pdf-ruled", "pdf-unruled"]

damages = st.builds(
    Damage,
    blank_zero=st.booleans(),
    dash_zero=st.booleans(),
    split_labels=st.booleans(),
    variants=st.booleans(),
    fullwidth_digits=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)


def _parse_back(seed: int, template: str, fmt: str, damage: Damage):
    truth = random_report(random.Random(seed), template=template)
    suffix, data = render(truth, fmt, damage, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        return truth, parse_file(path)


def _assert_exact(truth, report) -> None:
    wrong = {k: (report.cells[k].value, v) for k, v in truth.values.items() if report.cells[k].value != v}
    assert wrong == {}
    assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
    assert report.reading == "as_printed", report.problems


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    template=st.sampled_from(["2021", "2019"]),
    fmt=st.sampled_from(FAST_FORMATS),
    damage=damages,
)
def test_html_and_text_layouts_parse_back_exactly(seed: int, template: str, fmt: str, damage: Damage) -> None:
    _assert_exact(*_parse_back(seed, template, fmt, damage))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    template=st.sampled_from(["2021", "2019"]),
    fmt=st.sampled_from(SLOW_FORMATS),
    damage=damages,
)
def test_docx_and_pdf_parse_back_exactly(seed: int, template: str, fmt: str, damage: Damage) -> None:
    _assert_exact(*_parse_back(seed, template, fmt, damage))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), template=st.sampled_from(["2021", "2019"]))
def test_dropped_blank_cells_are_read_exactly_or_flagged(seed: int, template: str) -> None:
    truth, report = _parse_back(seed, template, "text-tabs", Damage(blank_zero=True, drop_blanks=True))
    wrong = [k for k, v in truth.values.items() if report.cells[k].value != v]
    if wrong:
        assert report.reading in ("ambiguous", "unresolved")
        assert report.problems
