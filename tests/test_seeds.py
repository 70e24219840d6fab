"""The five seed reports parse into exactly the hand-transcribed golden cells."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.template.report import parse_file
from tests.conftest import SEED_DIR, SEEDS, golden_cells, golden_metadata


def test_there_are_five_seeds_with_golden_files() -> None:
    assert len(SEEDS) == 5
    assert set(golden_metadata()) == set(SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_cell_of_the_seed_matches_the_golden_file(seed: str) -> None:
    report = parse_file(SEED_DIR / seed)
    parsed = {(k.table_key, k.row_key, k.column_key): (v.value, v.status) for k, v in report.cells.items()}
    golden = golden_cells(seed)
    # 004 prints （六）其他处理 as one row: its 7 cells stand for the 21 of the three sub-rows.
    assert len(golden) == (200 - 21 + 7 if seed.startswith("004") else 200)
    assert set(parsed) == set(golden)
    wrong = {k: (parsed[k], golden[k]) for k in golden if parsed[k] != golden[k]}
    assert wrong == {}


@pytest.mark.parametrize("seed", SEEDS)
def test_metadata_of_the_seed_matches_the_golden_file(seed: str) -> None:
    report = parse_file(SEED_DIR / seed)
    expected = golden_metadata()[seed]
    assert (report.agency, report.year, report.template) == (
        expected["agency"],
        int(expected["year"]),
        expected["template"],
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_xxgk_parse_prints_the_golden_cells_as_csv(seed: str) -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED_DIR / seed), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"agency", "year", "template", "table_key", "row_key", "column_key", "value"} <= set(rows[0])
    printed = {(r["table_key"], r["row_key"], r["column_key"]): (float(r["value"]), r["value_status"]) for r in rows}
    assert printed == golden_cells(seed)
    assert {r["agency"] for r in rows} == {golden_metadata()[seed]["agency"]}


def test_seed_004_records_each_repair_it_made_and_that_it_is_a_guess() -> None:
    report = parse_file(SEED_DIR / "004_d7a382633f0a3f3c.txt")
    # The rules fix every figure's row and the totals; which applicant column the natural
    # persons' figures stand in is only preferred, not proven, so the report says so.
    assert report.reading == "ambiguous"
    moved = {(m[0], m[1], m[2]) for r in report.repairs for m in r.moves}
    assert ("3", "granted.commercial_enterprise", "granted.natural_person") in moved
    assert ("1", "granted.legal_service_org", "granted.social_welfare_org") in moved
    assert ("7", "total_handled.other_org", "total_handled.total") in moved
    assert all("guess" in r.reason for r in report.repairs)
    assert any("another reading consistent with the rules" in p for p in report.problems)


@pytest.mark.parametrize("seed", [s for s in SEEDS if not s.startswith("004")])
def test_seeds_with_clean_layouts_are_read_as_printed(seed: str) -> None:
    report = parse_file(SEED_DIR / seed)
    assert report.reading == "as_printed"
    assert report.repairs == []
    assert report.problems == []
