"""A cell that prints no figure the template allows is unreadable: its printed text kept, its value
NULL (never 0), named in a U1 finding, the report flagged (issue 12). What publishers print that is
a figure (full-width digits, 1,234, 12 件, 5（件）, — for none, 0.00 for fees) still reads exactly."""

from __future__ import annotations

import random
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from click.testing import CliRunner

from models.catalog import COUNT, CellKey, columns_for
from models.rules import rule_instances
from models.vocab import FindingRule, Reading, Severity, ValueStatus
from pipelines.checks.findings import check_report
from pipelines.cli import main
from pipelines.definitions import ingest_assets, ingest_checks
from pipelines.defs.ingest.resources import XxgkPaths, ingest_resources
from pipelines.formats.document import ImageText
from pipelines.template.digit_runs import splits
from pipelines.template.labels import parse_cell
from pipelines.template.placement import place_figures
from pipelines.template.printed_lines import Slot, printed_line
from pipelines.template.report import ParsedReport, parse_file
from tests.generator import AGENCIES, TrueReport, random_report, render

FORMATS = ("text-tabs", "text-cells", "text-pipes", "text-spaces", "html", "docx", "pdf-ruled")
HOSTILE = ("1e9", "一百二十三", "NaN", "0x10", "(5)", "99999999999999999999", "12.5")
GRANTED_NP = CellKey(3, "requests", "granted", "natural_person")


def _s3(row: str, col: str) -> CellKey:
    return CellKey(3, "requests", row, col)


def _truth(printed: dict[CellKey, str] | None = None, seed: int = 7, template: str = "2021") -> TrueReport:
    truth = random_report(random.Random(seed), template=template)
    truth.printed.update(printed or {})
    return truth


def _with_granted(truth: TrueReport, value: float) -> TrueReport:
    """The report with granted.natural_person = value, the cells C1–C3 tie to it moved alike."""
    delta = value - truth.values[GRANTED_NP]
    for key in (
        GRANTED_NP,
        _s3("granted", "total"),
        _s3("total_handled", "natural_person"),
        _s3("total_handled", "total"),
        _s3("new_requests", "natural_person"),
        _s3("new_requests", "total"),
    ):
        truth.values[key] += delta
    return truth


def _parsed(tmp_path: Path, truth: TrueReport, fmt: str) -> ParsedReport:
    suffix, data = render(truth, fmt)
    path = tmp_path / f"report{suffix}"
    path.write_bytes(data)
    return parse_file(path)


def _others_exact(report: ParsedReport, truth: TrueReport) -> list[str]:
    return [
        f"{k.row_key}.{k.column_key}: {v} → {report.cells[k].value}"
        for k, v in truth.values.items()
        if k not in truth.printed and report.cells[k].value != v
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", HOSTILE)
def test_a_cell_printed_as_no_figure_is_unreadable_never_zero(tmp_path: Path, form: str, fmt: str) -> None:
    truth = _truth({GRANTED_NP: form})
    report = _parsed(tmp_path, truth, fmt)
    cell = report.cells[GRANTED_NP]
    assert (cell.value, cell.status, cell.raw_text) == (None, ValueStatus.UNREADABLE, form)
    assert report.reading == Reading.UNREADABLE_CELLS
    assert any("granted.natural_person" in p and repr(form) in p for p in report.problems)
    assert _others_exact(report, truth) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "cell",
    [
        CellKey(2, "art20_1", "regulations", "issued"),
        CellKey(4, "review_litigation", "litigation_after_review", "pending"),
    ],
)
def test_cells_of_sections_2_and_4_are_unreadable_too(tmp_path: Path, cell: CellKey, fmt: str) -> None:
    truth = _truth({cell: "NaN"})
    report = _parsed(tmp_path, truth, fmt)
    assert (report.cells[cell].value, report.cells[cell].status) == (None, ValueStatus.UNREADABLE)
    assert report.reading == Reading.UNREADABLE_CELLS
    assert _others_exact(report, truth) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("form", "value", "status"),
    [
        ("１２", 12.0, ValueStatus.NUMBER),  # full-width digits
        ("1,234", 1234.0, ValueStatus.NUMBER),  # thousands separator
        ("12 件", 12.0, ValueStatus.NUMBER),
        ("12件", 12.0, ValueStatus.NUMBER),
        ("5（件）", 5.0, ValueStatus.NUMBER),
        ("3.00", 3.0, ValueStatus.NUMBER),  # a whole count with decimals printed
        ("—", 0.0, ValueStatus.OTHER),
        ("-", 0.0, ValueStatus.OTHER),
        ("/", 0.0, ValueStatus.OTHER),
        ("无", 0.0, ValueStatus.OTHER),
        ("", 0.0, ValueStatus.BLANK),
    ],
)
def test_forms_publishers_print_for_a_figure_read_exactly(
    tmp_path: Path, form: str, value: float, status: ValueStatus, fmt: str
) -> None:
    truth = _with_granted(_truth({GRANTED_NP: form}), value)
    report = _parsed(tmp_path, truth, fmt)
    cell = report.cells[GRANTED_NP]
    assert (cell.value, cell.status) == (value, status)
    assert report.reading == Reading.AS_PRINTED
    assert _others_exact(report, truth) == []


@pytest.mark.parametrize("fmt", ["text-tabs", "html", "docx"])
def test_fees_may_have_decimals_and_counts_may_not(tmp_path: Path, fmt: str) -> None:
    fee = CellKey(2, "art20_8", "administrative_fees", "amount_10k_yuan")
    issued = CellKey(2, "art20_1", "regulations", "issued")
    truth = _truth({fee: "0.00", issued: "12.5"})
    truth.values[fee] = 0.0
    report = _parsed(tmp_path, truth, fmt)
    assert (report.cells[fee].value, report.cells[fee].status) == (0.0, ValueStatus.NUMBER)
    assert (report.cells[issued].value, report.cells[issued].status) == (None, ValueStatus.UNREADABLE)
    truth = _truth({fee: "12.5"})
    truth.values[fee] = 12.5
    assert _parsed(tmp_path, truth, fmt).cells[fee].value == 12.5


@pytest.mark.parametrize("fmt", ["text-tabs", "html", "docx"])
def test_money_printed_in_wan_is_its_figure_and_a_count_in_wan_is_unreadable(tmp_path: Path, fmt: str) -> None:
    # 140万 in a money column is 140 (万 is 万元 there); 3万 of a count is 30000, not 3: unreadable
    fee = CellKey(2, "art20_8", "administrative_fees", "amount_10k_yuan")
    issued = CellKey(2, "art20_1", "regulations", "issued")
    truth = _truth({fee: "140万", issued: "3万"})
    truth.values[fee] = 140.0
    report = _parsed(tmp_path, truth, fmt)
    assert (report.cells[fee].value, report.cells[fee].status) == (140.0, ValueStatus.NUMBER)
    assert (report.cells[issued].value, report.cells[issued].status) == (None, ValueStatus.UNREADABLE)


def test_the_finding_names_the_file_section_row_column_and_printed_text(tmp_path: Path) -> None:
    report = _parsed(tmp_path, _truth({GRANTED_NP: "1e9"}), "text-tabs")
    [u1] = [f for f in check_report(report).findings if f.rule == FindingRule.U1]
    assert (u1.severity, u1.cells, u1.printed) == (Severity.WARNING, "granted.natural_person", None)
    for part in ("report.txt", "section 3", "row granted", "column natural_person", "'1e9'", "予以公开", "自然人"):
        assert part in u1.message


def test_rules_on_an_unreadable_cell_are_left_unchecked_not_failed(tmp_path: Path) -> None:
    # As 0, NaN would break C2 (granted) and C3 (natural_person): the report would be unresolved.
    truth = _with_granted(_truth({GRANTED_NP: "NaN"}), 5.0)
    report = _parsed(tmp_path, truth, "text-tabs")
    assert report.reading == Reading.UNREADABLE_CELLS
    assert [f.rule for f in check_report(report).findings] == [FindingRule.U1]


def test_an_unreadable_ocr_figure_is_unknown_to_the_rules_not_zero() -> None:
    # Two figures for seven cells: the print does not say where they sit, so the rules place them.
    # As 0, "S5" breaks C2 wherever it sits left of 5; as unknown, 5 is the total and S5 a part.
    targets = [_s3("granted", c.column_key) for c in columns_for("2021", "requests")]
    slots = [
        Slot("S5", parse_cell("S5"), None, image=ImageText("S5", 0.41, (("55", 0.2),))),  # type: ignore[arg-type]
        Slot("5", parse_cell("5"), None, image=ImageText("5", 0.99)),  # type: ignore[arg-type]
    ]
    line = printed_line("（一）予以公开", targets, slots)
    rules = [r for r in rule_instances("2021", ["granted"]) if r.rule == FindingRule.C2]
    placement = place_figures([line], rules)
    assert placement.outcome != Reading.UNRESOLVED
    unreadable = [
        (k.column_key, c.value, c.raw_text, c.confidence)
        for k, c in placement.cells.items()
        if c.status == ValueStatus.UNREADABLE
    ]
    assert [u[1:] for u in unreadable] == [(None, "S5", 0.41)]
    assert placement.cells[_s3("granted", "total")].value == 5.0


def test_a_run_of_digits_is_never_cut_into_a_figure_past_its_limit() -> None:
    assert splits("99999999999999999999", 1, limits=[COUNT.limit]) == []
    cuts = splits("12345678901", 2, limits=[COUNT.limit] * 2)
    assert ("1", "2345678901") not in cuts
    assert ("12", "345678901") in cuts
    assert all(int(f) <= COUNT.limit for cut in cuts for f in cut)


# ---------------------------------------------------------------------------------------------
# The warehouse: one report with three unreadable cells and one clean report, built by `xxgk build`.

UNREADABLE = {
    _s3("new_requests", "total"): "1e9",
    _s3("denied_state_secret", "total"): "NaN",
    GRANTED_NP: "(5)",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("unreadable")
    raw = tmp / "raw"
    raw.mkdir()
    hostile = _truth(UNREADABLE)
    (raw / "hostile.txt").write_bytes(render(hostile, "text-tabs")[1])
    clean = _truth(seed=8)
    clean.agency = next(a for a in AGENCIES if a != hostile.agency)  # another agency: no C6 across the two
    (raw / "clean.txt").write_bytes(render(clean, "text-tabs")[1])
    warehouse = tmp / "w.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(tmp / "dagster_home"))
        result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse, result.output


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_facts_row_keeps_the_printed_text_with_a_null_value(built: tuple[Path, str]) -> None:
    warehouse, _ = built
    rows = _rows(
        warehouse,
        "SELECT row_key, column_key, value, raw_text, value_status FROM facts "
        "WHERE source_file = 'hostile.txt' AND value_status = 'unreadable' ORDER BY row_key, column_key",
    )
    assert rows == sorted((k.row_key, k.column_key, None, text, "unreadable") for k, text in UNREADABLE.items())


def test_the_report_is_flagged_and_each_cell_is_a_u1_finding(built: tuple[Path, str]) -> None:
    warehouse, output = built
    assert _rows(warehouse, "SELECT source_file, reading FROM reports ORDER BY 1") == [
        ("clean.txt", "as_printed"),
        ("hostile.txt", "unreadable_cells"),
    ]
    assert _rows(warehouse, "SELECT cells_found, cells_unreadable FROM quality WHERE source_file = 'hostile.txt'") == [
        (200, 3)
    ]
    findings = _rows(warehouse, "SELECT cells, severity FROM findings WHERE rule = 'U1' ORDER BY cells")
    assert findings == sorted((f"{k.row_key}.{k.column_key}", "warning") for k in UNREADABLE)
    assert "reports with unreadable cells (value NULL, never 0; U1 findings): 1" in output
    assert "hostile.txt: 3 cells (unreadable_cells)" in output


def test_the_marts_do_not_count_an_unreadable_cell_as_0(built: tuple[Path, str]) -> None:
    warehouse, _ = built
    [(received, refused, granted)] = _rows(
        warehouse,
        "SELECT m.received, m.refused, m.granted FROM mart_agency_year AS m "
        "JOIN reports AS r USING (source_sha256) WHERE r.source_file = 'hostile.txt'",
    )
    assert (received, refused) == (None, None)
    assert granted is not None  # granted.total is printed: the unreadable natural_person does not hide it
    [(total,)] = _rows(
        warehouse,
        "SELECT w.total FROM mart_requests_wide AS w JOIN reports AS r USING (source_sha256) "
        "WHERE r.source_file = 'hostile.txt' AND w.row_key = 'new_requests'",
    )
    assert total is None


def test_xxgk_check_shows_the_reading_and_the_findings(built: tuple[Path, str]) -> None:
    warehouse, _ = built
    result = CliRunner().invoke(main, ["check", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "unreadable_cells" in result.output
    assert "hostile.txt: section 3, row new_requests, column total" in result.output


@pytest.mark.slow
def test_the_dagster_check_warns_when_a_cell_is_unreadable(built: tuple[Path, str], tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "hostile.txt").write_bytes(render(_truth(UNREADABLE), "text-tabs")[1])
    result = dg.materialize(
        [*ingest_assets, *ingest_checks],
        resources=ingest_resources(XxgkPaths(raw_dir=str(raw), warehouse_path=str(tmp_path / "w.duckdb"))),
    )
    [check] = [e for e in result.get_asset_check_evaluations() if e.asset_check_key.name == "no_unreadable_cells"]
    assert (check.passed, check.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert check.metadata["findings"].value == 3
