"""`xxgk report` renders the charts and a page that shows them."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure
from matplotlib.text import Text

from models.catalog import CellKey
from models.vocab import FindingRule, values
from pipelines.charts.render import applications_by_year_figure, quality_figure
from pipelines.cli import main
from pipelines.ingest.stage import build_warehouse
from pipelines.warehouse.sqlfiles import sql_file
from tests.conftest import RAW
from tests.generator import random_report, render_tabs


def test_the_report_has_its_charts_and_a_page_that_shows_them(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    build_warehouse(RAW, warehouse)
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "out"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    pngs = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert pngs == ["applications_by_year.png", "data_quality.png", "refusal_reasons_by_agency.png"]
    for png in pngs:
        data = (tmp_path / "out" / png).read_bytes()
        assert data.startswith(b"\x89PNG")
        assert len(data) > 5000
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert all(f'src="{png}"' in page for png in pngs)
    assert "海东市生态环境局" in page


@pytest.fixture(scope="module")
def with_unresolved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and a 2023 report whose printed figures break C1 (reading unresolved), with 500
    more applications than it handled: it must not reach the by-year chart."""
    root = tmp_path_factory.mktemp("report")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    truth = random_report(random.Random(3))
    truth.agency, truth.year = "杭州市交通运输局", 2023
    for column in ("natural_person", "total"):
        truth.values[CellKey(3, "requests", "new_requests", column)] += 500
    (raw / "unresolved.txt").write_text(render_tabs(truth), encoding="utf-8")
    warehouse = root / "xxgk.duckdb"
    build_warehouse(raw, warehouse)
    return warehouse


def _texts(fig: Figure) -> list[str]:
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(Text)]
    return [t for t in texts if t.strip()]


def test_the_by_year_chart_says_how_many_agencies_each_bar_sums_and_leaves_unresolved_reports_out(
    with_unresolved: Path,
) -> None:
    con = duckdb.connect(str(with_unresolved), read_only=True)
    years = con.sql(sql_file("charts/outcomes_by_year.sql")).pl()
    con.close()
    assert years.select("year", "agencies", "left_out", "received").rows() == [(2021, 1, 0, 0), (2023, 4, 1, 8)]
    fig = applications_by_year_figure(years)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["2021\n1个机关", "2023\n4个机关\n（另1份未计入）"]
    plt.close(fig)


def test_the_quality_chart_is_in_chinese_with_whole_number_ticks(with_unresolved: Path) -> None:
    con = duckdb.connect(str(with_unresolved), read_only=True)
    quality, findings = con.sql("SELECT * FROM quality").pl(), con.sql("SELECT * FROM findings").pl()
    con.close()
    fig = quality_figure(quality, findings)
    rule_ids = set(values(FindingRule))
    # Every word on the chart is Chinese, but the rules' ids (C1 … D1) and the figures.
    english = [t for t in _texts(fig) if re.search("[A-Za-z]", t) and t not in rule_ids]
    assert english == []
    for ax in fig.axes:
        assert all(float(tick).is_integer() for tick in ax.get_yticks())
    plt.close(fig)
