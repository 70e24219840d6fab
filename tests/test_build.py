"""The whole path: raw folder → Dagster assets → DuckDB warehouse, and the xxgk command around it."""

from __future__ import annotations

import pickle
import random
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from pipelines.cli import EXIT_REJECTED, main
from pipelines.definitions import ingest_assets, ingest_checks
from pipelines.defs.ingest.checks import FINDING_CHECKS
from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources, run_storage_dir
from pipelines.ingest.parse_pool import parse_files
from pipelines.ingest.raw_folder import RawFiles, discover_raw_files
from pipelines.ingest.stage import build_warehouse
from tests.conftest import SEED_DIR, golden_cells, golden_metadata
from tests.generator import Damage, random_report, render


@pytest.fixture
def raw_with_bad_files(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(SEED_DIR, raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "scan.pdf.bin").write_bytes(bytes(range(256)) * 40)
    (raw / "minutes.txt").write_text("会议纪要\n与会人员讨论了下一年度的工作安排。\n", encoding="utf-8")
    shutil.copy(SEED_DIR / "003_288315dbaf6cd637.txt", raw / "copy_of_003.txt")
    return raw


def _materialize(raw: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*ingest_assets, *ingest_checks],
        resources=ingest_resources(XxgkPaths(raw_dir=str(raw), warehouse_path=str(warehouse))),
    )


@pytest.mark.slow
def test_materializing_the_assets_loads_every_seed_and_rejects_the_rest(
    raw_with_bad_files: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    result = _materialize(raw_with_bad_files, warehouse)
    assert result.success
    con = duckdb.connect(str(warehouse), read_only=True)
    reports = dict(con.execute("SELECT source_file, agency FROM reports").fetchall())
    assert reports == {f: m["agency"] for f, m in golden_metadata().items()}
    rejected = dict(con.execute("SELECT source_file, reason FROM rejected").fetchall())
    assert set(rejected) == {"empty.txt", "scan.pdf.bin", "minutes.txt", "copy_of_003.txt"}
    assert "same content as 003_288315dbaf6cd637.txt" in rejected["copy_of_003.txt"]
    assert con.execute("SELECT count(*) FROM facts").fetchone() == (
        986,
    )  # 4 × 200, and 186 for 004 (its （六）其他处理 is one row)
    checks = {e.asset_check_key.name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks.pop("all_files_read") is False
    assert checks
    assert all(checks.values())


@pytest.mark.slow
def test_the_steps_hand_on_a_handle_and_the_checks_read_the_findings_back_from_the_warehouse(
    raw_with_bad_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What warehouse_staging hands on (pickled into the run storage) is the staging file's path
    and counts, never the findings or quality rows; the checks count them in the published file,
    through one connection for the rejections and the findings."""
    import sys

    from pipelines.warehouse import connection

    opened: list[str] = []
    connect = connection.connect

    def counted(*args: object, **kwargs: object) -> object:
        opened.append(sys._getframe(1).f_code.co_name)
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(connection, "connect", counted)
    for seed in (60, 61):  # two reports of one agency-year that differ: D1 findings
        truth = random_report(random.Random(seed))
        truth.agency, truth.year = "海东市生态环境局", 2022
        suffix, data = render(truth, "text-tabs", Damage(), seed=seed)
        (raw_with_bad_files / f"hd{seed}{suffix}").write_bytes(data)
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    result = _materialize(raw_with_bad_files, warehouse)
    assert result.success
    handed = run_storage_dir(warehouse) / "warehouse_staging"
    assert handed.stat().st_size < 16 * 1024
    assert (run_storage_dir(warehouse) / "raw_files").stat().st_size < 4 * 1024
    staged = pickle.loads(handed.read_bytes())
    assert not [name for name, value in vars(staged).items() if isinstance(value, pl.DataFrame)]
    con = duckdb.connect(str(warehouse), read_only=True)
    per_rule = dict(con.execute("SELECT rule, count(*) FROM findings GROUP BY rule").fetchall())
    rejected = con.execute("SELECT count(*) FROM rejected").fetchone()
    con.close()
    assert per_rule.get("D1")
    evaluations = {e.asset_check_key.name: e.metadata for e in result.get_asset_check_evaluations()}
    for rule, name, _ in FINDING_CHECKS:
        assert evaluations[name]["findings"].value == per_rule.get(rule, 0), name
    assert (evaluations["all_files_read"]["rejected"].value,) == rejected
    assert "copy_of_003.txt" in str(evaluations["all_files_read"]["reasons"].value)
    assert opened.count("checks_shown") == 1


@pytest.mark.slow
def test_a_run_surveys_the_raw_folder_once_and_still_rejects_what_the_survey_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """raw_files' survey serves warehouse_staging too (its refusals ride on the handle): the
    folder is listed once per run, and a refused entry (a link) is still in `rejected`."""
    import pipelines.defs.ingest.assets as assets
    import pipelines.ingest.raw_folder as raw_folder

    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "xxgk.duckdb"
    shutil.copytree(SEED_DIR, raw)
    (raw / "link.txt").symlink_to(raw / "000_57c1d5239059f444.txt")
    surveys = []
    survey = raw_folder.survey_raw_folder

    def counted(*args: object, **kwargs: object) -> object:
        surveys.append(args)
        return survey(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assets, "survey_raw_folder", counted)
    monkeypatch.setattr(raw_folder, "survey_raw_folder", counted)
    assert _materialize(raw, warehouse).success
    assert len(surveys) == 1
    con = duckdb.connect(str(warehouse), read_only=True)
    rejected = dict(con.execute("SELECT source_file, reason FROM rejected").fetchall())
    con.close()
    assert set(rejected) == {"link.txt"}


def test_the_raw_files_handle_reads_its_scan_and_refuses_a_later_one(tmp_path: Path) -> None:
    """raw_files hands on a handle to the scan it wrote (pickled without the rows); a step that
    reads it after the folder was scanned again stops, naming the file, rather than build from
    other files than its run scanned."""
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "xxgk.duckdb"
    shutil.copytree(SEED_DIR, raw)
    scanned = RawFiles.scan(raw, warehouse)
    handle = pickle.loads(pickle.dumps(scanned))
    assert handle.read().equals(scanned.read())
    assert (handle.files, handle.contents) == (5, 5)
    (raw / "new.txt").write_text("新的报告\n", encoding="utf-8")
    RawFiles.scan(raw, warehouse)
    with pytest.raises(RuntimeError, match="scanned again after this run's raw_files step"):
        pickle.loads(pickle.dumps(scanned)).read()


@pytest.mark.slow
def test_the_warehouse_answers_the_readme_query_for_every_seed(tmp_path: Path) -> None:
    warehouse = tmp_path / "xxgk.duckdb"
    assert _materialize(SEED_DIR, warehouse).success
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "SELECT source_file, agency, year, value FROM facts WHERE row_key='new_requests' AND column_key='total'"
    ).fetchall()
    expected = {
        f: (m["agency"], int(m["year"]), golden_cells(f)[("requests", "new_requests", "total")][0])
        for f, m in golden_metadata().items()
    }
    assert {f: (a, y, v) for f, a, y, v in rows} == expected
    labels = con.execute(
        "SELECT DISTINCT row_label, column_label FROM facts_labeled WHERE row_key='new_requests' AND column_key='total'"
    ).fetchall()
    assert labels == [("一、本年新收政府信息公开申请数量", "总计")]


def test_one_report_that_crashes_the_parser_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipelines.ingest.parse_pool as build

    real = build.parse_file

    def flaky(path: Path, data: bytes | None = None, limits=None):
        if path.name.startswith("002"):
            raise RuntimeError("boom")
        return real(path, data, limits)

    monkeypatch.setattr(build, "parse_file", flaky)
    batch = parse_files(discover_raw_files(SEED_DIR))
    assert len(batch.reports) == 4
    assert [r.source_file for r in batch.rejected] == ["002_8a5580ca8d093c47.txt"]
    assert "parser error: RuntimeError: boom" in batch.rejected[0].reason
    assert batch.rejected[0].source_sha256


def test_a_failed_build_leaves_the_previous_warehouse_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipelines.warehouse.facts_store as facts_store

    warehouse = tmp_path / "xxgk.duckdb"
    build_warehouse(SEED_DIR, warehouse)
    before = warehouse.read_bytes()
    facts, pinned = tmp_path / "xxgk.facts", tmp_path / ".xxgk.facts"  # what readers see, what the view reads
    files_before = {p: p.read_bytes() for folder in (facts, pinned) for p in folder.rglob("*") if p.is_file()}
    assert len(files_before) == 2 * 5

    def broken_write(frame, path):  # the disk fills up after the first file
        if len(list(pinned.rglob("*.parquet"))) > 5:
            raise RuntimeError("disk full")
        return real_write(frame, path)

    real_write = facts_store._write
    monkeypatch.setattr(facts_store, "_write", broken_write)
    with pytest.raises(RuntimeError, match="disk full"):
        build_warehouse(SEED_DIR, warehouse, full=True)
    assert warehouse.read_bytes() == before
    # No staging file left: only the warehouse, its facts as they were, its lock file and the parse store.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".xxgk.duckdb.lock",
        ".xxgk.facts",
        "store",
        "xxgk.duckdb",
        "xxgk.facts",
    ]
    assert {p: p.read_bytes() for folder in (facts, pinned) for p in folder.rglob("*") if p.is_file()} == files_before


@pytest.mark.slow
def test_xxgk_build_prints_a_summary_and_exits_3_when_files_were_rejected(
    raw_with_bad_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    warehouse = tmp_path / "out.duckdb"
    result = CliRunner().invoke(main, ["build", "--raw", str(raw_with_bad_files), "--warehouse", str(warehouse)])
    assert result.exit_code == EXIT_REJECTED, result.output
    assert "reports loaded: 5" in result.output
    assert "cells: 986" in result.output
    assert "reports rejected: 4" in result.output
    assert "empty.txt: the file is empty" in result.output
    assert warehouse.is_file()


@pytest.mark.slow
def test_xxgk_build_list_names_at_most_n_files_under_a_summary_line(
    raw_with_bad_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    args = ["build", "--raw", str(raw_with_bad_files), "--warehouse", str(tmp_path / "out.duckdb"), "--list", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_REJECTED, result.output
    lines = result.output.splitlines()
    under = lines[lines.index("reports rejected: 4") + 1 :][:2]
    assert under[0].removeprefix("  ").split(":")[0] in {"empty.txt", "scan.pdf.bin", "minutes.txt", "copy_of_003.txt"}
    assert under[1] == "  … and 3 more (in the rejected table; --list 0 names every one)"


@pytest.mark.slow
def test_xxgk_build_exits_0_when_every_file_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    result = CliRunner().invoke(main, ["build", "--raw", str(SEED_DIR), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
    assert "reports rejected: 0" in result.output


def test_xxgk_builds_summary_is_read_with_the_checks_through_one_opening_of_the_warehouse(
    raw_with_bad_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The published checks and the command's summary read the warehouse through one connection,
    and the summary is what a read of the published file gives."""
    import sys

    from pipelines.warehouse import connection, shown

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    opened: list[str] = []
    connect = connection.connect

    def counted(*args: object, **kwargs: object) -> object:
        opened.append(sys._getframe(1).f_code.co_name)
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    summaries: list[shown.BuildShown] = []
    build_shown = shown.build_shown

    def kept(path: Path, limit: int) -> shown.BuildShown:
        summaries.append(build_shown(path, limit))
        return summaries[-1]

    monkeypatch.setattr(connection, "connect", counted)
    monkeypatch.setattr(shown, "build_shown", kept)
    warehouse = tmp_path / "out.duckdb"
    args = ["build", "--raw", str(raw_with_bad_files), "--warehouse", str(warehouse), "--list", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_REJECTED, result.output
    assert (opened.count("checks_shown"), opened.count("build_shown")) == (1, 0)
    [during] = summaries
    after = build_shown(warehouse.resolve(), 2)  # the file read now, on its own
    assert opened.count("build_shown") == 1
    for name, value in vars(after).items():
        if isinstance(value, pl.DataFrame):
            assert value.equals(getattr(during, name)), name
        else:
            assert getattr(during, name) == value, name
    assert during.rejected.total == 4
    assert len(during.rejected.lines) == 2
