"""`xxgk report` renders the charts and a page that shows them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipelines.cli import main
from pipelines.ingest.stage import build_warehouse
from tests.conftest import SEED_DIR


def test_the_report_has_its_charts_and_a_page_that_shows_them(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    build_warehouse(SEED_DIR, warehouse)
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
