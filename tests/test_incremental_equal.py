"""An incremental build (the published warehouse copied, only what changed replaced) ends with
the same rows in every table and mart as a full build of the same raw folder, also after a night
of the collector (new files, manifest.csv rows, the fetch log); a build with nothing changed is
skipped before Dagster starts."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.ingest.fingerprint import unseen_files, up_to_date
from pipelines.ingest.raw_survey import survey_raw_folder
from pipelines.ingest.stage import BuildResult, build_warehouse
from pipelines.tables import derive as derive_module
from pipelines.tables.frames import FETCH_LOG_SCHEMA
from tests.conftest import ROOT, SEED_DIR, warehouse_rows
from tests.generator import Damage, random_report, render


def _report(raw: Path, name: str, seed: int, agency: str, year: int, fmt: str = "text-tabs") -> None:
    truth = random_report(random.Random(seed))
    truth.agency, truth.year = agency, year
    suffix, data = render(truth, fmt, Damage(blank_zero=seed % 2 == 0), seed=seed)
    (raw / f"{name}{suffix}").write_bytes(data)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """The seeds and an agency reporting over three years (so C6 and the outliers look across years)."""
    target = tmp_path / "raw"
    shutil.copytree(SEED_DIR, target)
    for k, year in enumerate((2021, 2022, 2023)):
        _report(target, f"hd{year}", 40 + k, "海东市生态环境局", year)
    _report(target, "ws2022", 50, "塔城地区生态环境局乌苏市分局", 2022, "html")
    return target


def _incremental_equals_full(raw: Path, tmp_path: Path, warehouse: Path) -> BuildResult:
    """Build incrementally, and fully from a copy of the warehouse's folder as it was (the same
    store and removal log): the same rows."""
    full = tmp_path / f"full{len(list(tmp_path.glob('full*')))}" / warehouse.name  # one per call
    shutil.copytree(warehouse.parent, full.parent)
    result = build_warehouse(raw, warehouse, workers=1)
    assert result.staged.replaced is not None, "the build was not incremental"
    build_warehouse(raw, full, workers=1, full=True)
    assert warehouse_rows(warehouse) == warehouse_rows(full)
    return result


def _assert_the_summary_counts_the_tables(result: BuildResult) -> None:
    """The build's summary (load.summarize: the facts from their files' list) against the rows of
    the published file, counted."""
    summary = result.summary
    with duckdb.connect(str(summary.path), read_only=True) as con:

        def count(sql: str) -> int:
            return int(con.execute(sql).fetchall()[0][0])

        assert summary.facts > 0
        assert (summary.reports, summary.facts, summary.rejected, summary.rejected_rows) == (
            count("SELECT count(*) FROM reports"),
            count("SELECT count(*) FROM facts"),
            count("SELECT count(*) FROM rejected"),
            count("SELECT count(*) FROM rejected_rows"),
        )
        assert (summary.repairs, summary.findings, summary.rule_failures, summary.removed) == (
            count("SELECT count(*) FROM repairs"),
            count("SELECT count(*) FROM findings"),
            count("SELECT count(*) FROM findings WHERE severity = 'error'"),
            count("SELECT count(*) FROM removed"),
        )


@pytest.fixture
def built(raw: Path, tmp_path: Path) -> Path:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    result = build_warehouse(raw, warehouse, workers=1)
    assert result.staged.replaced is None  # the first is full
    _assert_the_summary_counts_the_tables(result)
    return warehouse


def test_a_build_with_no_file_changed_replaces_nothing_and_equals_a_full_build(
    raw: Path, tmp_path: Path, built: Path
) -> None:
    os.utime(raw / "000_57c1d5239059f444.txt")  # touched, same bytes: the content did not change
    result = _incremental_equals_full(raw, tmp_path, built)
    assert result.staged.replaced == 0


def test_a_new_report_replaces_only_its_agency_and_equals_a_full_build(raw: Path, tmp_path: Path, built: Path) -> None:
    _report(raw, "hd2024", 60, "海东市生态环境局", 2024)
    _report(raw, "new_agency", 61, "杭州市交通运输局", 2023, "html")
    result = _incremental_equals_full(raw, tmp_path, built)
    _assert_the_summary_counts_the_tables(result)
    assert result.staged.agencies == ["杭州市交通运输局", "海东市生态环境局"]
    assert result.staged.replaced == 6  # 海东's four years and seed 004, and the new agency's one report


def test_a_changed_file_equals_a_full_build(raw: Path, tmp_path: Path, built: Path) -> None:
    _report(raw, "hd2022", 70, "海东市生态环境局", 2022)  # the same name, new figures
    _incremental_equals_full(raw, tmp_path, built)


def test_a_deleted_file_equals_a_full_build_and_is_recorded_as_removed(raw: Path, tmp_path: Path, built: Path) -> None:
    (raw / "hd2022.txt").unlink()
    (raw / "001_11165da3b41cf1a7.txt").unlink()
    _incremental_equals_full(raw, tmp_path, built)
    removed = {r[0] for r in warehouse_rows(built)["removed"]}
    assert {"hd2022.txt", "001_11165da3b41cf1a7.txt"} <= removed


def test_a_report_rewritten_into_a_rejected_file_equals_a_full_build(raw: Path, tmp_path: Path, built: Path) -> None:
    (raw / "hd2023.txt").write_text("改过的文件，不再是报告。", encoding="utf-8")
    _incremental_equals_full(raw, tmp_path, built)
    assert any(r[0] == "hd2023.txt" for r in warehouse_rows(built)["rejected"])


def test_a_renamed_file_and_a_copy_equal_a_full_build(raw: Path, tmp_path: Path, built: Path) -> None:
    (raw / "hd2021.txt").rename(raw / "hd2021_renamed.txt")
    shutil.copy(raw / "ws2022.html", raw / "ws2022_copy.html")
    _incremental_equals_full(raw, tmp_path, built)


def test_a_rewritten_page_with_an_attachment_equals_a_full_build(raw: Path, tmp_path: Path) -> None:
    """A1 and mart_agency_year's choice between a page and its attachment: the page's new content
    hash changes the attachment's announced_by, and both are replaced."""
    _report(raw, "page2022", 80, "杭州市交通运输局", 2022, "html")
    _report(raw, "att2022", 81, "杭州市交通运输局", 2022)
    (raw / "manifest.csv").write_text(
        "file,agency,year,url,fetched_at,page\natt2022.txt,杭州市交通运输局,2022,,,page2022.html\n", encoding="utf-8"
    )
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    build_warehouse(raw, warehouse, workers=1)
    _report(raw, "page2022", 82, "杭州市交通运输局", 2022, "html")
    result = _incremental_equals_full(raw, tmp_path, warehouse)
    assert result.staged.replaced == 3  # the page's old and new contents, and the attachment
    assert any(r[1] == "A1" for r in warehouse_rows(warehouse)["findings"])


def _fetch_log(raw: Path, night: str, urls: list[str]) -> None:
    """The collector's log beside the raw folder, one night's requests appended (as it writes it)."""
    path = raw.parent / "fetch_log.parquet"
    rows = pl.DataFrame(
        [
            {
                "run_started_at": night,
                "fetched_at": night,
                "agency": "海东市生态环境局",
                "kind": "report",
                "url": url,
                "outcome": "not_modified",
                "status": 304,
                "attempts": 1,
            }
            for url in urls
        ],
        schema=FETCH_LOG_SCHEMA,
    )
    pl.concat([pl.read_parquet(path), rows] if path.is_file() else [rows]).write_parquet(path)


def test_a_manifest_row_edited_reads_its_report_again_and_equals_a_full_build(
    raw: Path, tmp_path: Path, built: Path
) -> None:
    # The collector's given agency for one report, then corrected: the report moves between agencies.
    (raw / "manifest.csv").write_text("file,agency,year,url\nhd2021.txt,海东市生态环境局,2021,\n", encoding="utf-8")
    _incremental_equals_full(raw, tmp_path, built)
    (raw / "manifest.csv").write_text("file,agency,year,url\nhd2021.txt,海东市林业和草原局,2021,\n", encoding="utf-8")
    result = _incremental_equals_full(raw, tmp_path, built)
    assert result.staged.agencies == ["海东市林业和草原局", "海东市生态环境局"]
    con = duckdb.connect(str(built), read_only=True)
    try:
        given = con.execute("SELECT given_agency FROM reports WHERE source_file = 'hd2021.txt'").fetchall()
    finally:
        con.close()
    assert given == [("海东市林业和草原局",)]


def test_a_collect_night_new_file_manifest_row_and_fetch_log_is_incremental_and_equals_a_full_build(
    raw: Path, tmp_path: Path, built: Path
) -> None:
    # What a night of `xxgk collect` leaves: a new report, its manifest row, the log appended.
    _fetch_log(raw, "2026-12-01T01:00:00Z", ["https://example.gov.cn/a.html"])
    _incremental_equals_full(raw, tmp_path, built)
    _report(raw, "hd2024", 60, "海东市生态环境局", 2024, "html")
    (raw / "manifest.csv").write_text(
        "file,agency,year,url\nhd2024.html,海东市生态环境局,2024,https://example.gov.cn/b.html\n", encoding="utf-8"
    )
    _fetch_log(raw, "2026-12-02T01:00:00Z", ["https://example.gov.cn/a.html", "https://example.gov.cn/b.html"])
    result = _incremental_equals_full(raw, tmp_path, built)
    assert result.staged.agencies == ["海东市生态环境局"]
    assert len(warehouse_rows(built)["fetch_log"]) == 3


def test_a_changed_report_choice_csv_means_a_full_build(raw: Path, tmp_path: Path, built: Path) -> None:
    (tmp_path / "report_choice.csv").write_text(
        "agency,year,report\n海东市生态环境局,2022,hd2022.txt\n", encoding="utf-8"
    )
    assert not up_to_date(raw, built)
    assert build_warehouse(raw, built, workers=1).staged.replaced is None
    assert up_to_date(raw, built)


def test_a_second_report_of_an_agency_year_recounts_it_and_equals_a_full_build(
    raw: Path, tmp_path: Path, built: Path
) -> None:
    """`counted` and D1 look across an agency-year: the new report's agency is replaced whole."""
    _report(raw, "hd2022b", 90, "海东市生态环境局", 2022)
    result = _incremental_equals_full(raw, tmp_path, built)
    assert result.staged.agency_years_with_several_reports == 2  # 2022 now, and 2023 (hd2023 and seed 004)
    assert any(r[1] == "D1" for r in warehouse_rows(built)["findings"])


def test_a_night_derived_a_group_of_agencies_at_a_time_equals_a_full_build(
    raw: Path, tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reports a night reaches are derived a group of whole agencies at a time, D1 a report
    at a time, its facts read from the published files (a report only reached) and the night's
    own rows (a new one): several groups, the same rows as a full build."""
    monkeypatch.setattr(derive_module, "GROUP_REPORTS", 1)
    monkeypatch.setattr(derive_module, "D1_REPORTS", 1)
    _report(raw, "hd2022b", 90, "海东市生态环境局", 2022)  # D1 against hd2022, which was published
    _report(raw, "xm2023", 91, "厦门市交通运输局", 2023)
    result = _incremental_equals_full(raw, tmp_path, built)
    assert result.staged.agencies == ["厦门市交通运输局", "海东市生态环境局"]  # two groups at least
    assert any(r[1] == "D1" for r in warehouse_rows(built)["findings"])


def test_a_symbolic_link_added_then_removed_equals_a_full_build(raw: Path, tmp_path: Path, built: Path) -> None:
    (raw / "link.txt").symlink_to(raw / "hd2021.txt")
    assert not up_to_date(raw, built)
    _incremental_equals_full(raw, tmp_path, built)
    assert any(r[0] == "link.txt" for r in warehouse_rows(built)["rejected"])
    (raw / "link.txt").unlink()
    _incremental_equals_full(raw, tmp_path, built)
    assert not any(r[0] == "link.txt" for r in warehouse_rows(built)["rejected"])


def test_up_to_date_only_while_nothing_the_build_reads_has_changed(raw: Path, built: Path) -> None:
    assert up_to_date(raw, built)
    os.utime(raw / "hd2021.txt", ns=(1, 1))
    assert not up_to_date(raw, built)
    build_warehouse(raw, built, workers=1)
    assert up_to_date(raw, built)
    (raw / "manifest.csv").write_text("file,agency\n", encoding="utf-8")
    assert not up_to_date(raw, built)


def test_unseen_files_counts_the_files_the_last_scan_did_not_see_as_they_are_now(raw: Path, built: Path) -> None:
    assert unseen_files(survey_raw_folder(raw), built) == 0
    _report(raw, "hd2024", 60, "海东市生态环境局", 2024)
    os.utime(raw / "hd2021.txt", ns=(1, 1))
    assert unseen_files(survey_raw_folder(raw), built) == 2


def test_up_to_date_is_false_when_the_published_file_was_replaced(raw: Path, built: Path) -> None:
    shutil.copy(built, built.with_name("copy.duckdb"))
    os.replace(built.with_name("copy.duckdb"), built)
    assert not up_to_date(raw, built)


@pytest.mark.slow
def test_xxgk_build_with_nothing_new_says_so_without_importing_dagster_polars_or_pandera(
    raw: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    args = ["build", "--raw", str(raw), "--warehouse", str(warehouse)]
    first = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=ROOT, env=env, capture_output=True)
    assert first.returncode == 0, first.stderr[-2000:]
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['xxgk', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('pipelines.cli', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('dagster', 'polars', 'pandera', 'pandas', 'duckdb')\n"
        "print('imported:', sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    again = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "nothing changed since the last build" in again.stdout
    assert "imported: []" in again.stdout


def test_the_nightly_schedule_starts_no_run_when_nothing_changed(
    raw: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dagster as dg

    from pipelines.defs.ingest.automation import nightly_build

    monkeypatch.setenv("XXGK_RAW_DIR", str(raw))
    monkeypatch.setenv("XXGK_WAREHOUSE", str(built))
    assert isinstance(nightly_build(dg.build_schedule_context()), dg.SkipReason)
    _report(raw, "hd2024", 60, "海东市生态环境局", 2024)
    assert isinstance(nightly_build(dg.build_schedule_context()), dg.RunRequest)


def test_nights_that_leave_a_partition_a_base_and_a_delta_equal_full_builds(
    raw: Path, tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facts compared row by row and per partition (warehouse_rows), not file by file: a
    night's partition is a base and a delta where a full build writes one base."""
    from pipelines.warehouse import facts_store

    monkeypatch.setattr(facts_store, "FOLD_FRACTION", 100.0)  # small reports: keep the deltas
    _report(raw, "hd2022b", 71, "海东市生态环境局", 2022)  # a second report of hd2022's partition
    _incremental_equals_full(raw, tmp_path, built)
    con = duckdb.connect(str(built), read_only=True)
    try:
        deltas = con.execute("SELECT count(*) FROM facts_files WHERE file LIKE '%-delta.parquet'").fetchall()
    finally:
        con.close()
    assert deltas == [(1,)]
    (raw / "hd2022b.txt").unlink()  # a report of the delta removed
    _incremental_equals_full(raw, tmp_path, built)
    _report(raw, "hd2022c", 72, "海东市生态环境局", 2022)
    (raw / "hd2022.txt").unlink()  # and one of the base, the same night as a new one
    _incremental_equals_full(raw, tmp_path, built)
