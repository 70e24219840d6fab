"""Scanned and picture reports (tests.scans): read by OCR into the same cells as every format,
each OCR-read cell carrying its confidence, never silently wrong."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from models.catalog import CellKey
from models.vocab import Reading, ValueStatus
from pipelines.formats import read_document
from pipelines.formats.document import Document, ImageText, UnreadableDocument
from pipelines.tables.frames import facts_frame
from pipelines.template.report import ParsedReport, parse_document, parse_file
from tests.generator import TrueReport, random_report
from tests.scans import CLEAN, NOISY, Scan, html_with_pictures, scanned_pdf


def _truth(seed: int) -> TrueReport:
    return random_report(random.Random(seed), template="2021" if seed % 3 else "2019")


def _wrong(report: ParsedReport, truth: TrueReport) -> list[str]:
    # A cell the report lacks (another template read) is wrong too.
    read = {k: (c.value, c.raw_text) for k, c in report.cells.items()}
    return [
        f"{k.row_key}.{k.column_key}: {v} → {read.get(k, (None, None))[0]} ({read.get(k, (None, None))[1]!r})"
        for k, v in truth.values.items()
        if read.get(k, (None, None))[0] != v
    ]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[TrueReport, ParsedReport]:
    """One clean 150-dpi scan of a report, read."""
    truth = _truth(1)
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    path.write_bytes(scanned_pdf(truth, CLEAN, seed=1))
    return truth, parse_file(path)


def test_a_scanned_pdf_is_read_like_any_report(scanned: tuple[TrueReport, ParsedReport]) -> None:
    truth, report = scanned
    assert report.layout == "pdf/scan"
    assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
    assert _wrong(report, truth) == []
    assert report.reading == Reading.AS_PRINTED


def test_every_cell_read_from_an_image_carries_its_confidence(scanned: tuple[TrueReport, ParsedReport]) -> None:
    facts = facts_frame([scanned[1]])
    read = facts.filter(facts["value_status"] != ValueStatus.MISSING)
    assert read["ocr_confidence"].null_count() == 0
    assert read["ocr_confidence"].is_between(0.0, 1.0).all()


def test_cells_read_from_text_carry_no_confidence(tmp_path: Path) -> None:
    from tests.generator import render

    suffix, data = render(_truth(3), "html")
    path = tmp_path / f"r{suffix}"
    path.write_bytes(data)
    assert facts_frame([parse_file(path)])["ocr_confidence"].is_null().all()


def test_html_tables_published_as_pictures_are_read_from_the_report_folder(tmp_path: Path) -> None:
    truth = _truth(4)
    page, files = html_with_pictures(truth, CLEAN, seed=4)
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    path = tmp_path / "report.html"
    path.write_bytes(page)
    report = parse_file(path)
    assert report.layout == "html/images"
    assert _wrong(report, truth) == []


def test_a_picture_outside_the_report_folder_is_never_fetched(tmp_path: Path) -> None:
    page = (
        "<html><body><p>某某局2023年政府信息公开工作年度报告</p>"
        '<img src="http://example.invalid/t.png"/><img src="../secret.png"/><img src="gone.png"/>'
        '<img src="/images/site_logo.png"/></body></html>'
    )
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    notes = read_document(path).notes
    assert any("not fetched" in n for n in notes)
    assert any("outside the report's folder" in n for n in notes)
    assert any("gone.png not found" in n for n in notes)
    assert "picture /images/site_logo.png is not in the report's folder; not fetched, not read" in notes


def test_a_picture_not_read_stays_a_problem_where_figures_are_missing(tmp_path: Path) -> None:
    from tests.generator import render

    _, data = render(_truth(6), "html")
    page = data.decode("utf-8")
    start = page.index("<table", page.index("三、收到和处理政府信息公开申请情况"))
    end = page.index("</table>", start) + len("</table>")
    path = tmp_path / "r.html"
    path.write_text(page[:start] + '<img src="/upload/table3.png"/>' + page[end:], encoding="utf-8")
    report = parse_file(path)
    assert any(p.startswith("picture /upload/table3.png") for p in report.problems)


def test_a_scan_with_nothing_recognisable_is_rejected_saying_so(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "blank.pdf"
    Image.new("RGB", (1240, 1754), (255, 255, 255)).save(path, format="PDF", resolution=150.0)
    with pytest.raises(UnreadableDocument, match=r"blank\.pdf: .*scanned pages.*OCR recognised no text"):
        read_document(path)


def test_reports_without_pictures_never_load_the_ocr_engine(tmp_path: Path) -> None:
    from tests.generator import render

    for fmt in ("html", "pdf-ruled"):
        suffix, data = render(_truth(5), fmt)
        (tmp_path / f"{fmt}{suffix}").write_bytes(data)
    code = (
        "import sys; from pathlib import Path; from pipelines.template.report import parse_file\n"
        f"for p in sorted(Path({str(tmp_path)!r}).iterdir()): parse_file(p)\n"
        "print(sorted(m for m in ('onnxruntime', 'cv2', 'pipelines.formats.ocr', 'pipelines.formats.scan') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_noisy_scans_are_exact_or_flagged(tmp_path: Path, dpi: int) -> None:
    """Noise, rotation, JPEG and a red seal over the table: every report is read exactly, or its
    reading or problems say where it may be wrong (never silently wrong)."""
    for seed in range(6, 9):
        truth = _truth(seed)
        path = tmp_path / f"scan{seed}.pdf"
        path.write_bytes(
            scanned_pdf(
                truth, Scan(dpi=dpi, noise=NOISY.noise, rotation=NOISY.rotation, jpeg=NOISY.jpeg, stamp=True), seed=seed
            )
        )
        report = parse_file(path)
        wrong = _wrong(report, truth)
        said = " ".join(report.problems)
        silent = [w for w in wrong if w.split(".")[0] not in said]
        assert not silent or report.reading in (Reading.AMBIGUOUS, Reading.UNRESOLVED), (seed, silent)


def _with_ocr(doc: Document, old: str, new: ImageText, row_label: str) -> Document:
    """The document with one figure cell of the row labelled `row_label` read by OCR as `new`."""
    rows = []
    for row in doc.rows:
        if row_label in row.joined and old in row.cells and not row.is_text:
            k = row.cells.index(old)
            cells = (*row.cells[:k], new.text, *row.cells[k + 1 :])
            images = tuple(new if i == k else ImageText(c, 0.99) for i, c in enumerate(row.cells))
            row = replace(row, cells=cells, images=images)
            row_label = "\0"  # only the first such row
        rows.append(row)
    return replace(doc, rows=tuple(rows))


def _text_report(tmp_path: Path, seed: int) -> tuple[TrueReport, Document]:
    from tests.generator import render

    truth = _truth(seed)
    suffix, data = render(truth, "html")
    path = tmp_path / f"r{suffix}"
    path.write_bytes(data)
    return truth, read_document(path)


def _figure_row(truth: TrueReport) -> tuple[str, str, str]:
    """(row label, figure as printed, key) of the first section-3 result row with a figure 2–9 in 自然人."""
    from models.catalog import rows_for

    for spec in rows_for(truth.template, 3):
        v = truth.values[CellKey(3, "requests", spec.row_key, "natural_person")]
        if 2 <= v <= 9 and spec.row_key not in ("new_requests", "total_handled"):
            return spec.row_label, str(int(v)), spec.row_key
    raise AssertionError("no such row")


def test_the_rules_choose_between_an_ocr_figure_and_its_alternative(tmp_path: Path) -> None:
    truth, doc = _text_report(tmp_path, 7)
    label, printed, row_key = _figure_row(truth)
    misread = "1" if printed != "1" else "7"
    report = parse_document(_with_ocr(doc, printed, ImageText(misread, 0.55, ((printed, 0.7),)), label))
    cell = report.cells[CellKey(3, "requests", row_key, "natural_person")]
    assert cell.value == float(printed)
    assert cell.confidence == 0.55
    assert report.reading == Reading.REPAIRED
    assert any("OCR read" in r.reason for r in report.repairs)


def test_an_ocr_figure_that_breaks_the_rules_is_flagged_not_loaded_as_exact(tmp_path: Path) -> None:
    truth, doc = _text_report(tmp_path, 7)
    label, printed, _ = _figure_row(truth)
    misread = "1" if printed != "1" else "7"
    report = parse_document(_with_ocr(doc, printed, ImageText(misread, 0.55), label))
    assert report.reading == Reading.UNRESOLVED


def test_an_unsure_ocr_figure_no_rule_checks_is_named_in_problems(tmp_path: Path) -> None:
    _, doc = _text_report(tmp_path, 8)
    row = next(r for r in doc.rows if "行政许可" in r.joined and len(r.cells) == 2)
    report = parse_document(_with_ocr(doc, row.cells[1], ImageText(row.cells[1], 0.6), "行政许可"))
    assert report.reading == Reading.AMBIGUOUS
    assert any("read by OCR" in p and "no rule checks it" in p for p in report.problems)


def _wheel_model() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"


def test_the_simplified_recogniser_computes_what_the_wheels_model_computes() -> None:
    """Folding the scales into the convolutions and writing the hard-swish anew changes the
    probabilities only by rounding."""
    import numpy as np
    import onnxruntime

    from pipelines.formats.ocr import _engine

    wheel = onnxruntime.InferenceSession(str(_wheel_model()), providers=["CPUExecutionProvider"])
    engine = _engine()
    lines = np.random.default_rng(0).uniform(-1.0, 1.0, (3, 3, 48, 200)).astype(np.float32)
    (expected,) = wheel.run(None, {engine.input_name: lines})
    (simplified,) = engine.session.run(None, {engine.input_name: lines})
    assert np.abs(simplified - expected).max() < 1e-4


def test_the_simplified_recogniser_spells_no_hard_swish_out() -> None:
    import onnx

    from pipelines.formats.ocr import _simplified

    before = [n.op_type for n in onnx.load(str(_wheel_model())).graph.node]
    after = [n.op_type for n in onnx.load_from_string(_simplified(_wheel_model())).graph.node]
    # Every hard-swish (the wheel's only Clips) is one HardSigmoid now, and the scales are gone.
    assert after.count("HardSigmoid") == before.count("HardSigmoid") + before.count("Clip")
    assert after.count("Clip") == 0
    assert (
        after.count("Mul") + after.count("Add") + after.count("Div")
        < (before.count("Mul") + before.count("Add") + before.count("Div")) / 2
    )
