"""Two reports for one agency-year: one is counted, the other is a finding when it disagrees.

The reports are generated with known figures (tests/generator.py): the same agency and year,
different requests, so which one the marts count and which cells differ are known.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from models.catalog import CellKey
from pipelines.cli import main
from pipelines.ingest.raw_folder import raw_signature, read_choices
from pipelines.ingest.stage import build_warehouse
from tests.generator import Damage, TrueReport, random_report, render

pytestmark = pytest.mark.slow

AGENCY = "杭州市交通运输局"
NEW = CellKey(3, "requests", "new_requests", "total")


def _report(seed: int) -> TrueReport:
    truth = random_report(random.Random(seed), template="2021", density=0.4)
    truth.agency, truth.year = AGENCY, 2023
    return truth


def _write(raw: Path, name: str, truth: TrueReport) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    (raw / name).write_bytes(render(truth, "text-tabs", Damage(), seed=1)[1])


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrueReport, TrueReport]:
    root = tmp_path_factory.mktemp("dup")
    first, second = _report(11), _report(12)
    assert first.values[NEW] != second.values[NEW]
    _write(root / "raw", "a.txt", first)
    _write(root / "raw", "b.txt", second)
    return root, first, second


@pytest.fixture(scope="module")
def built(two_reports: tuple[Path, TrueReport, TrueReport]) -> Path:
    root = two_reports[0]
    warehouse = root / "wh" / "xxgk.duckdb"
    build_warehouse(root / "raw", warehouse)
    return warehouse


def test_exactly_one_report_of_an_agency_year_is_counted(built: Path) -> None:
    assert _query(built, "SELECT count(*) FILTER (WHERE counted), count(*) FROM reports") == [(1, 2)]


def test_a_second_report_that_disagrees_is_a_finding_naming_both_files_and_the_cells(
    built: Path, two_reports: tuple[Path, TrueReport, TrueReport]
) -> None:
    _, first, second = two_reports
    counted, other = _query(built, "SELECT source_file FROM reports ORDER BY counted DESC, source_file")
    rows = _query(
        built,
        "SELECT r.source_file, f.severity, f.cells, f.message FROM findings AS f "
        "JOIN reports AS r USING (source_sha256) WHERE f.rule = 'D1'",
    )
    assert len(rows) == 1
    on, severity, cells, message = rows[0]
    assert on == other[0]  # on the report the marts do not count
    assert severity == "warning"
    assert other[0] in message
    assert counted[0] in message
    truth = {"a.txt": first, "b.txt": second}
    differing = {
        f"{k.row_key}.{k.column_key}"
        for k in first.values
        if k in second.values and truth[on].values[k] != truth[counted[0]].values[k]
    }
    assert set(cells.split("+")) == differing
    assert "new_requests.total" in differing
    shown = f"new_requests.total {truth[on].values[NEW]:g} against {truth[counted[0]].values[NEW]:g}"
    assert shown in message or "more" in message


def test_the_mart_counts_one_report_and_says_there_were_two(
    built: Path, two_reports: tuple[Path, TrueReport, TrueReport]
) -> None:
    _, first, second = two_reports
    (counted,) = _query(built, "SELECT source_file FROM reports WHERE counted")[0]
    truth = {"a.txt": first, "b.txt": second}[counted]
    assert _query(built, f"SELECT received, reports_in_year FROM mart_agency_year WHERE agency = '{AGENCY}'") == [
        (int(truth.values[NEW]), 2)
    ]


def test_the_duplicate_reports_view_lists_both_with_the_disagreement(built: Path) -> None:
    rows = _query(
        built, "SELECT source_file, counted, disagreement IS NOT NULL FROM duplicate_reports ORDER BY source_file"
    )
    assert sorted(r[1] for r in rows) == [False, True]
    assert {r[1]: r[2] for r in rows} == {True: False, False: True}


def test_the_build_summary_and_check_name_the_disagreement(two_reports: tuple[Path, TrueReport, TrueReport]) -> None:
    root = two_reports[0]
    warehouse = root / "cli" / "xxgk.duckdb"
    result = CliRunner().invoke(main, ["build", "--raw", str(root / "raw"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "agency-years with more than one report: 1 (see duplicate_reports)" in result.output
    assert "reports that disagree with the counted report of their agency-year (D1): 1" in result.output
    checked = CliRunner().invoke(main, ["check", "--warehouse", str(warehouse)])
    assert "D1" in checked.output
    assert {"a.txt", "b.txt"} <= set(checked.output.split())


def test_report_choice_csv_chooses_the_counted_report(tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw"
    for name in ("a.txt", "b.txt"):
        _write(raw, name, _report(11 if name == "a.txt" else 12))
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    build_warehouse(raw, warehouse)
    (default,) = _query(warehouse, "SELECT source_file FROM reports WHERE counted")[0]
    other = "b.txt" if default == "a.txt" else "a.txt"
    before = raw_signature(raw)
    (tmp_path / "data" / "report_choice.csv").write_text(
        f"agency,year,report\n{AGENCY},2023,{other}\n{AGENCY},2019,nowhere.txt\n", encoding="utf-8"
    )
    assert raw_signature(raw) != before  # the sensor starts a build when the choice changes
    result = build_warehouse(raw, warehouse)
    assert _query(warehouse, "SELECT source_file FROM reports WHERE counted") == [(other,)]
    assert _query(warehouse, "SELECT source_sha256 FROM mart_agency_year") == _query(
        warehouse, f"SELECT source_sha256 FROM reports WHERE source_file = '{other}'"
    )
    # The D1 finding moves to the report no longer counted; a choice naming no report is said so.
    assert _query(warehouse, "SELECT r.source_file FROM findings JOIN reports AS r USING (source_sha256)") == [
        (default,)
    ]
    assert any("report_choice.csv row 3" in p and "nowhere.txt" in p for p in result.staged.manifest_problems)


def test_a_page_and_its_attachment_are_no_duplicate_finding(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    page, attachment = _report(11), _report(12)
    _write(raw, "page.txt", page)
    _write(raw, "attachment.txt", attachment)
    (raw / "manifest.csv").write_text(
        "file,agency,year,url,fetched_at,page\nattachment.txt,,,,,page.txt\n", encoding="utf-8"
    )
    warehouse = tmp_path / "xxgk.duckdb"
    build_warehouse(raw, warehouse)
    assert _query(warehouse, "SELECT source_file FROM reports WHERE counted") == [("attachment.txt",)]
    rules = {r[0] for r in _query(warehouse, "SELECT DISTINCT rule FROM findings")}
    assert "A1" in rules
    assert "D1" not in rules


def test_a_report_choice_row_that_cannot_be_used_is_named_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "report_choice.csv"
    path.write_text(
        f"agency,year,report\n{AGENCY},2023,a.txt\n{AGENCY},20x3,b.txt\n{AGENCY},2023,b.txt\n,2023,c.txt\n",
        encoding="utf-8",
    )
    choices, problems = read_choices(path)
    assert choices.select("agency", "year", "report").rows() == [(AGENCY, 2023, "a.txt")]
    assert [p.split(":")[0] for p in problems] == [
        "report_choice.csv row 3",
        "report_choice.csv row 4",
        "report_choice.csv row 5",
    ]
