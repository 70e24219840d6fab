"""The collector's manifest.csv in the raw folder: the agency, year and source URL it gives are kept
beside what the text reads, a disagreement is an M1 warning, the given values fill in for the
marts, a bad row is reported by name and skipped, and editing the manifest re-parses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.raw_folder import discover_raw_files, raw_signature, read_given
from pipelines.ingest.stage import BuildResult, build_warehouse
from tests.conftest import SEED_DIR

S0 = "000_57c1d5239059f444.txt"  # 塔城地区生态环境局乌苏市分局, 2023
S1 = "001_11165da3b41cf1a7.txt"  # 忻州市生态环境局神池分局, 2023
S2 = "002_8a5580ca8d093c47.txt"  # 克州生态环境局阿合奇县分局, 2021
HEADER = "file,agency,year,url\n"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(SEED_DIR, folder)
    return folder


def _write(raw: Path, body: str) -> None:
    (raw / "manifest.csv").write_text(body, encoding="utf-8")


def _build(raw: Path, tmp_path: Path) -> BuildResult:
    return build_warehouse(raw, tmp_path / "wh" / "xxgk.duckdb", workers=1)


def _rows(tmp_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "wh" / "xxgk.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _given(tmp_path: Path, file: str) -> tuple:
    rows = _rows(
        tmp_path,
        f"SELECT agency, year, given_agency, given_year, source_url FROM reports WHERE source_file = '{file}'",
    )
    assert len(rows) == 1
    return rows[0]


def _m1(tmp_path: Path) -> list[tuple]:
    return _rows(
        tmp_path,
        "SELECT r.source_file, f.scope, f.severity, f.message FROM findings f "
        "JOIN reports r USING (source_sha256) WHERE f.rule = 'M1' ORDER BY r.source_file, f.scope",
    )


def test_given_values_stored(raw: Path, tmp_path: Path) -> None:
    _write(raw, HEADER + f"{S0},塔城地区生态环境局乌苏市分局,2023,https://example.gov.cn/a.html\n{S1},,,\n")
    _build(raw, tmp_path)
    assert _given(tmp_path, S0) == (
        "塔城地区生态环境局乌苏市分局",
        2023,
        "塔城地区生态环境局乌苏市分局",
        2023,
        "https://example.gov.cn/a.html",
    )
    # Blank fields are NULL; a file the manifest does not name has nothing given.
    assert _given(tmp_path, S1)[2:] == (None, None, None)
    assert _given(tmp_path, S2)[2:] == (None, None, None)


def test_disagreement_is_an_m1_finding(raw: Path, tmp_path: Path) -> None:
    _write(raw, HEADER + f"{S0},乌苏市生态环境局,2022,\n")
    _build(raw, tmp_path)
    findings = _m1(tmp_path)
    assert [(f, scope, sev) for f, scope, sev, _ in findings] == [(S0, "agency", "warning"), (S0, "year", "warning")]
    agency_msg, year_msg = findings[0][3], findings[1][3]
    for part in (S0, "乌苏市生态环境局", "塔城地区生态环境局乌苏市分局"):
        assert part in agency_msg
    for part in (S0, "2022", "2023"):
        assert part in year_msg
    # The text's values stay in reports; the marts count the report under the given agency-year.
    assert _given(tmp_path, S0)[:2] == ("塔城地区生态环境局乌苏市分局", 2023)
    assert _rows(
        tmp_path,
        f"SELECT agency, year FROM mart_agency_year WHERE source_sha256 = "
        f"(SELECT source_sha256 FROM reports WHERE source_file = '{S0}')",
    ) == [("乌苏市生态环境局", 2022)]
    assert _rows(tmp_path, f"SELECT warnings FROM quality WHERE source_file = '{S0}'") == [(2,)]


def test_agreement_no_finding(raw: Path, tmp_path: Path) -> None:
    _write(raw, HEADER + f"{S0},塔城地区生态环境局乌苏市分局,2023,\n{S2},克州生态环境局阿合奇县分局,2021,\n")
    _build(raw, tmp_path)
    assert _m1(tmp_path) == []


def test_unknown_read_agency_filled_by_given(raw: Path, tmp_path: Path) -> None:
    text = (raw / S0).read_text(encoding="utf-8").replace("塔城地区生态环境局乌苏市分局", "本局")
    (raw / S0).write_text(text, encoding="utf-8")
    _write(raw, HEADER + f"{S0},塔城地区生态环境局乌苏市分局,,\n")
    _build(raw, tmp_path)
    assert _given(tmp_path, S0)[:3] == (None, 2023, "塔城地区生态环境局乌苏市分局")
    assert _m1(tmp_path) == []
    mart = _rows(
        tmp_path,
        "SELECT m.agency, m.year FROM mart_agency_year m JOIN reports r USING (source_sha256) "
        f"WHERE r.source_file = '{S0}'",
    )
    assert mart == [("塔城地区生态环境局乌苏市分局", 2023)]
    assert _rows(tmp_path, "SELECT count(*) FROM dim_agency WHERE agency = '塔城地区生态环境局乌苏市分局'") == [(1,)]


def test_manifest_not_parsed_as_a_report(raw: Path, tmp_path: Path) -> None:
    _write(raw, HEADER + f"{S0},塔城地区生态环境局乌苏市分局,2023,\n")
    assert raw / "manifest.csv" not in discover_raw_files(raw)
    result = _build(raw, tmp_path)
    assert result.stats.files == 5
    assert _rows(tmp_path, "SELECT count(*) FROM rejected") == [(0,)]
    assert _rows(tmp_path, "SELECT count(*) FROM reports WHERE source_file = 'manifest.csv'") == [(0,)]


def test_malformed_manifest_row_reported_by_name(raw: Path, tmp_path: Path) -> None:
    _write(
        raw,
        HEADER
        + f"{S0},乌苏市生态环境局,20x3,\n"  # row 2: bad year
        + "nowhere.txt,某局,2023,\n"  # row 3: no such file
        + f"{S1},忻州市生态环境局神池分局,2023,https://example.gov.cn/b.html\n",  # row 4: good
    )
    result = _build(raw, tmp_path)
    problems = result.staged.manifest_problems
    assert any("manifest.csv row 2" in p and S0 in p and "20x3" in p for p in problems), problems
    assert any("manifest.csv row 3" in p and "nowhere.txt" in p and "no such file" in p for p in problems), problems
    assert len(problems) == 2
    # The bad row is skipped, the good one used.
    assert _given(tmp_path, S0)[2:] == (None, None, None)
    assert _given(tmp_path, S1)[2:] == ("忻州市生态环境局神池分局", 2023, "https://example.gov.cn/b.html")


def test_manifest_without_header_reported_not_raised(raw: Path) -> None:
    _write(raw, f"{S0},塔城地区生态环境局乌苏市分局,2023,\n")
    given = read_given(raw)
    assert given.rows.height == 0
    assert len(given.problems) == 1
    assert "manifest.csv" in given.problems[0]
    assert "header" in given.problems[0]


def test_manifest_change_rebuilds_without_reparsing(raw: Path, tmp_path: Path) -> None:
    _write(raw, HEADER + f"{S0},塔城地区生态环境局乌苏市分局,2023,\n")
    first = _build(raw, tmp_path)
    assert first.stats.parsed == 5
    before = raw_signature(raw)
    _write(raw, HEADER + f"{S0},乌苏市生态环境局,2023,https://example.gov.cn/c.html\n")
    assert raw_signature(raw) != before  # the sensor sees the manifest change
    second = _build(raw, tmp_path)
    assert second.stats.parsed == 0
    assert _given(tmp_path, S0)[2:] == ("乌苏市生态环境局", 2023, "https://example.gov.cn/c.html")
    assert [(f, scope) for f, scope, _, _ in _m1(tmp_path)] == [(S0, "agency")]
