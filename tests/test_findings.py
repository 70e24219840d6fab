"""Each consistency rule catches a report that breaks it, and passes the seeds that satisfy it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from models.catalog import CellKey
from pipelines.checks.findings import check_report
from pipelines.cli import main
from pipelines.ingest.parse_pool import ParseBatch, parse_files
from pipelines.tables.derive import derive_reports
from pipelines.tables.frames import TidyTables
from pipelines.tables.validate import validate_tables
from pipelines.template.report import parse_file
from tests.conftest import SEED_DIR, SEEDS
from tests.generator import Damage, TrueReport, layout, random_report, render_text


def s3(row: str, col: str) -> CellKey:
    return CellKey(3, "requests", row, col)


def _file(tmp_path: Path, truth: TrueReport, name: str = "r.txt", narrative_shift: int = 0) -> Path:
    text = render_text(layout(truth), "tabs", Damage())
    if narrative_shift:
        stated = int(truth.values[s3("new_requests", "total")])
        text = text.replace(
            f"全年收到政府信息公开申请{stated}件", f"全年收到政府信息公开申请{stated + narrative_shift}件"
        )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rules(tmp_path: Path, truth: TrueReport, **kw) -> set[str]:
    return {f.rule for f in check_report(parse_file(_file(tmp_path, truth, **kw))).findings}


@pytest.fixture
def truth() -> TrueReport:
    report = random_report(random.Random(8), template="2021", density=0.5)
    assert report.values[s3("new_requests", "total")] > 0
    return report


@pytest.mark.parametrize("seed", SEEDS)
def test_the_seeds_satisfy_every_rule(seed: str) -> None:
    results = check_report(parse_file(SEED_DIR / seed))
    assert results.findings == []
    assert results.checked["C1"] == 7
    assert results.checked["C3"] == 7
    assert results.checked["C4"] == 3


def test_a_consistent_report_has_no_findings(tmp_path: Path, truth: TrueReport) -> None:
    assert _rules(tmp_path, truth) == set()


def test_c1_catches_new_plus_carried_not_equal_handled_plus_forward(tmp_path: Path, truth: TrueReport) -> None:
    truth.values[s3("new_requests", "natural_person")] += 5
    truth.values[s3("new_requests", "total")] += 5
    assert _rules(tmp_path, truth) == {"C1"}


def test_c2_catches_a_row_total_that_is_not_the_sum_of_its_applicants(tmp_path: Path, truth: TrueReport) -> None:
    truth.values[s3("granted", "total")] += 1
    truth.values[s3("total_handled", "total")] += 1
    truth.values[s3("new_requests", "total")] += 1
    assert _rules(tmp_path, truth) == {"C2"}


def test_c3_catches_results_that_do_not_add_up_to_total_handled(tmp_path: Path, truth: TrueReport) -> None:
    truth.values[s3("granted", "natural_person")] += 1
    truth.values[s3("granted", "total")] += 1
    assert _rules(tmp_path, truth) == {"C3"}


def test_c4_catches_review_outcomes_that_do_not_add_up(tmp_path: Path, truth: TrueReport) -> None:
    truth.values[CellKey(4, "review_litigation", "administrative_review", "upheld")] += 2
    assert _rules(tmp_path, truth) == {"C4"}


def test_c5_catches_a_negative_figure_but_not_a_negative_change(tmp_path: Path) -> None:
    truth = random_report(random.Random(3), template="2019")
    truth.values[CellKey(2, "art20_5", "administrative_licensing", "change")] = -7.0  # allowed
    assert _rules(tmp_path, truth) == set()
    truth.values[CellKey(2, "art20_1", "regulations", "newly_made")] = -3.0
    assert _rules(tmp_path, truth) == {"C5"}


def test_c7_catches_a_narrative_figure_the_table_contradicts(tmp_path: Path, truth: TrueReport) -> None:
    assert _rules(tmp_path, truth, narrative_shift=2) == {"C7"}


def _tables(batch: ParseBatch) -> TidyTables:
    return derive_reports(batch.reports, batch.rejected)


def _batch(tmp_path: Path, truths: list[TrueReport]) -> ParseBatch:
    paths = [_file(tmp_path, t, name=f"{i}_{t.agency}{t.year}.txt") for i, t in enumerate(truths)]
    return parse_files(paths)


def test_c6_catches_carried_over_that_is_not_last_years_carried_forward(tmp_path: Path) -> None:
    earlier = random_report(random.Random(21), template="2021", density=0.0)
    later = random_report(random.Random(22), template="2021", density=0.0)
    later.agency, earlier.year, later.year = earlier.agency, 2022, 2023
    for col, v in (("natural_person", 2.0), ("total", 2.0)):
        earlier.values[s3("carried_forward", col)] = v
        earlier.values[s3("new_requests", col)] = v
    tables = _tables(_batch(tmp_path, [earlier, later]))  # 2023 carries over nothing: C6 fails
    c6 = tables.findings.filter(pl.col("rule") == "C6")
    assert c6.height == 2
    assert set(c6.get_column("source_sha256")) == set(
        tables.reports.filter(pl.col("year") == 2023).get_column("source_sha256")
    )
    for col, v in (("natural_person", 2.0), ("total", 2.0)):
        later.values[s3("carried_over", col)] = v
        later.values[s3("total_handled", col)] = v
        later.values[s3("granted", col)] = v
    (tmp_path / "fixed").mkdir()
    tables = _tables(_batch(tmp_path / "fixed", [earlier, later]))
    assert tables.findings.filter(pl.col("rule") == "C6").height == 0
    assert tables.quality.filter(pl.col("year") == 2023).get_column("rule_checks")[0] > 0


def _licences_over_years(agency: str, series: tuple[tuple[int, float], ...]) -> list[TrueReport]:
    """One report a year for an agency whose only non-zero figure is its licensing decisions."""
    truths = []
    for year, licences in series:
        t = random_report(random.Random(year), template="2021", density=0.0)
        t.agency, t.year = agency, year
        t.values.update({k: 0.0 for k in t.values if k.section == 2})
        t.values[CellKey(2, "art20_5", "administrative_licensing", "decisions")] = licences
        truths.append(t)
    return truths


def test_a_year_over_year_jump_is_a_warning_not_a_rule_failure(tmp_path: Path) -> None:
    truths = _licences_over_years("杭州市交通运输局", ((2021, 10.0), (2022, 12.0), (2023, 900.0)))
    tables = _tables(_batch(tmp_path, truths))
    yoy = tables.findings.filter(pl.col("rule") == "YOY")
    assert yoy.get_column("severity").to_list() == ["warning"]
    assert yoy.get_column("printed").to_list() == [900.0]
    assert tables.quality.filter(pl.col("year") == 2023).get_column("rule_failures").to_list() == [0]


def test_a_partial_report_loads_what_it_has_and_says_what_is_missing(tmp_path: Path, truth: TrueReport) -> None:
    text = _file(tmp_path, truth).read_text(encoding="utf-8")
    cut = text[: text.index("四、政府信息公开行政复议")] + text[text.index("五、存在的主要问题") :]
    path = tmp_path / "partial.txt"
    path.write_text(cut, encoding="utf-8")
    batch = parse_files([path])
    assert batch.rejected == []
    tables = validate_tables(_tables(batch)).tables
    quality = tables.quality.row(0, named=True)
    assert (quality["cells_found"], quality["cells_missing"]) == (185, 15)
    assert "section 4 heading not found" in tables.reports.get_column("problems")[0]
    missing = tables.facts.filter(pl.col("value_status") == "missing")
    assert set(missing.get_column("section")) == {4}
    assert missing.get_column("value").null_count() == 15


def test_a_row_failing_its_model_is_kept_aside_with_the_check_it_failed(tmp_path: Path, truth: TrueReport) -> None:
    tables = _tables(parse_files([_file(tmp_path, truth)]))
    bad = pl.DataFrame(
        [
            {
                "source_sha256": tables.reports["source_sha256"][0],
                "rule": "C9",
                "scope": "x",
                "cells": "x",
                "expected": None,
                "printed": None,
                "severity": "error",
                "message": "made up",
            }
        ],
        schema=tables.findings.schema,
    )
    tables.findings = pl.concat([tables.findings, bad])
    validated = validate_tables(tables)
    assert validated.tables.findings.filter(pl.col("rule") == "C9").height == 0
    rejected = validated.rejected_rows()
    assert rejected.get_column("table_name").to_list() == ["findings"]
    assert "rule" in rejected.get_column("failed_checks")[0]
    assert json.loads(rejected.get_column("row")[0])["rule"] == "C9"


def test_parse_json_says_what_it_could_tell_about_a_document_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "summary.txt"
    path.write_text(
        "杭州市交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n全年主动公开信息56条。\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["parse", str(path), "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert (doc["agency"], doc["year"], doc["template"]) == ("杭州市交通运输局", 2023, None)
    assert doc["sections_found"] == [1]
    assert doc["sections_missing"] == [2, 3, 4, 5, 6]
    assert "summary.txt" in doc["error"]


def test_xxgk_check_on_one_file_lists_its_findings_and_exits_3(tmp_path: Path, truth: TrueReport) -> None:
    truth.values[s3("granted", "natural_person")] += 1
    truth.values[s3("granted", "total")] += 1
    result = CliRunner().invoke(main, ["check", str(_file(tmp_path, truth, name="broken.txt"))])
    assert result.exit_code == 3, result.output
    assert "C3" in result.output
    assert "broken.txt" in result.output


def test_xxgk_check_on_a_clean_file_exits_0() -> None:
    result = CliRunner().invoke(main, ["check", str(SEED_DIR / "003_288315dbaf6cd637.txt")])
    assert result.exit_code == 0, result.output
    assert "楚雄州生态环境局禄丰分局" in result.output


def test_with_two_years_the_later_one_is_compared_with_the_earlier(tmp_path: Path) -> None:
    truths = _licences_over_years("广东省自然资源厅", ((2022, 600.0), (2023, 5.0)))
    tables = _tables(_batch(tmp_path, truths))
    yoy = tables.findings.filter(pl.col("rule") == "YOY").join(tables.reports, on="source_sha256")
    assert yoy.select("year", "printed", "expected").rows() == [(2023, 5.0, 600.0)]


def test_c6_compares_with_the_counted_report_of_a_year_with_several(tmp_path: Path) -> None:
    earlier = [random_report(random.Random(31 + i), template="2021", density=0.0) for i in range(2)]
    later = random_report(random.Random(33), template="2021", density=0.0)
    for i, t in enumerate(earlier):
        t.agency, t.year = later.agency, 2022
        t.values[s3("carried_forward", "total")] = t.values[s3("carried_forward", "natural_person")] = 1.0 + i
        t.values[s3("new_requests", "total")] = t.values[s3("new_requests", "natural_person")] = 1.0 + i
    later.year = 2023
    (tmp_path / "2022").mkdir()
    reports = _tables(_batch(tmp_path / "2022", earlier)).reports
    counted = reports.filter(pl.col("counted")).get_column("source_file").item()
    other = reports.filter(~pl.col("counted")).get_column("source_file").item()
    carried = 1.0 + int(counted.startswith("1_"))  # the counted report's carried_forward
    for row in ("carried_over", "total_handled", "granted"):
        later.values[s3(row, "total")] = later.values[s3(row, "natural_person")] = 3.0 - carried  # the other's
    tables = _tables(_batch(tmp_path, [*earlier, later]))
    c6 = tables.findings.filter(pl.col("rule") == "C6")
    assert c6.height == 2  # natural_person and total, against the counted report, not the other
    assert all(counted in m and other not in m for m in c6.get_column("message"))


def test_a_second_report_of_a_year_does_not_weigh_twice_in_the_outliers_history(tmp_path: Path) -> None:
    """2021: 600, 2022: 5 in two reports. A history of two years: 2022 is compared with 2021 (a
    drop), not 2021 with a median of 5 pulled down by the second 2022 report."""
    truths = _licences_over_years("广东省自然资源厅", ((2021, 600.0), (2022, 5.0)))
    second = _licences_over_years("广东省自然资源厅", ((2022, 5.0),))[0]
    second.values[s3("new_requests", "total")] = second.values[s3("new_requests", "natural_person")] = 1.0
    second.values[s3("carried_forward", "total")] = second.values[s3("carried_forward", "natural_person")] = 1.0
    tables = _tables(_batch(tmp_path, [*truths, second]))
    yoy = tables.findings.filter(pl.col("rule") == "YOY").join(tables.reports, on="source_sha256")
    assert sorted(yoy.select("year", "printed", "expected").rows()) == [(2022, 5.0, 600.0), (2022, 5.0, 600.0)]


def test_an_unreadable_cell_against_a_figure_is_a_d1_difference(tmp_path: Path) -> None:
    """Whichever of the two reports is counted, the other's D1 names the cell one prints
    unreadably and the other as a figure."""
    clean = random_report(random.Random(41), template="2021", density=0.5)
    blurred = random_report(random.Random(41), template="2021", density=0.5)
    blurred.printed[s3("granted", "natural_person")] = "(5)"
    tables = _tables(_batch(tmp_path, [clean, blurred]))
    d1 = tables.findings.filter(pl.col("rule") == "D1")
    assert d1.get_column("cells").to_list() == ["granted.natural_person"]
    assert "unreadable" in d1.get_column("message").item()
