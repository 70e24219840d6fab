"""The one-pass reading of a text report's tables (pipelines.template.fast_tables): where it reads
a report, the report is the one the general readers and the placement give; where the print is not
one it reads as they would, it declines and they read the report."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from models.vocab import Reading
from pipelines.formats import read_document
from pipelines.template import report
from pipelines.template.fast_tables import read_cells
from pipelines.template.metadata import read_metadata
from pipelines.template.report import ParsedReport, parse_file
from pipelines.template.run_on import unfold_run_on
from pipelines.template.sections import split_sections
from tests.generator import Damage, random_report, render
from tests.text_pages import write_page
from tests.wild_text import WILD_TEXT, render_wild, wild_report

LAYOUTS = ("text-tabs", "text-cells", "text-pipes", "text-spaces", "text-pdftotext")
DAMAGES = {
    "none": Damage(),
    "blank_zero": Damage(blank_zero=True),
    "dash_zero": Damage(dash_zero=True),
    "variants": Damage(variants=True),
    "split_labels": Damage(split_labels=True),
    "fullwidth_digits": Damage(fullwidth_digits=True),
    "drop_blanks": Damage(drop_blanks=True),
}


def _general(path: Path, monkeypatch: pytest.MonkeyPatch) -> ParsedReport:
    """The report as the general readers and the placement read it (the one-pass reading off)."""
    with monkeypatch.context() as patch:
        patch.setattr(report, "read_cells", lambda parts, template: None)
        return parse_file(path)


def _taken(path: Path) -> bool:
    """Whether the one-pass reading reads the file's tables (rather than declining)."""
    doc = unfold_run_on(read_document(path))
    template = read_metadata(doc).template
    assert template is not None
    return read_cells(split_sections(doc), template) is not None


def _generated(tmp_path: Path, fmt: str, damage: Damage, seed: int) -> Path:
    truth = random_report(random.Random(seed), template="2021" if seed % 3 else "2019")
    suffix, data = render(truth, fmt, damage, seed=seed)
    path = tmp_path / f"{fmt}-{seed}{suffix}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fmt", LAYOUTS)
@pytest.mark.parametrize("damage", DAMAGES)
def test_every_generated_text_layout_reads_as_the_general_readers_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, damage: str
) -> None:
    taken = 0
    for seed in range(6):
        path = _generated(tmp_path, fmt, DAMAGES[damage], seed)
        assert parse_file(path) == _general(path, monkeypatch), path.name
        taken += _taken(path)
    if damage in ("none", "blank_zero"):
        assert taken >= 5  # the common prints are read in one pass, not left to the general readers


@pytest.mark.parametrize("cls", sorted(WILD_TEXT))
def test_every_wild_text_class_reads_as_the_general_readers_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cls: str
) -> None:
    for k in range(3):
        rng = random.Random(10_000 + k)
        suffix, data, _ = render_wild(cls, wild_report(rng), rng)
        path = tmp_path / f"{cls}-{k}{suffix}"
        path.write_bytes(data)
        assert parse_file(path) == _general(path, monkeypatch), path.name


def _tabs_page(tmp_path: Path) -> str:
    """A 2021 report in tabs whose every figure is printed (no blank cell), as text."""
    return _generated(tmp_path, "text-tabs", Damage(), 1).read_text(encoding="utf-8")


def test_a_clean_tabs_report_is_read_in_one_pass_as_printed(tmp_path: Path) -> None:
    path = write_page(tmp_path, _tabs_page(tmp_path))
    assert _taken(path)
    assert parse_file(path).reading == Reading.AS_PRINTED


def test_a_missing_row_is_left_to_the_general_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _tabs_page(tmp_path).splitlines()
    page = "\n".join(line for line in lines if "2.重复申请" not in line)
    path = write_page(tmp_path, page)
    assert not _taken(path)
    parsed = parse_file(path)
    assert parsed == _general(path, monkeypatch)
    assert any("rows not found: rejected_duplicate" in p for p in parsed.problems)


def test_figures_run_together_are_left_to_the_general_readers(tmp_path: Path) -> None:
    # 行政许可\t313\t\t printed as 行政许可313: the label with its figure glued to it.
    lines = _tabs_page(tmp_path).splitlines()
    licensing = next(k for k, line in enumerate(lines) if line.startswith("行政许可\t"))
    figure = lines[licensing].split("\t")[1]
    lines[licensing] = f"行政许可{figure}"
    path = write_page(tmp_path, "\n".join(lines))
    assert not _taken(path)
    parsed = parse_file(path)
    assert parsed.cells[next(k for k in parsed.cells if k.row_key == "administrative_licensing")].value == float(figure)


def test_figures_that_break_a_rule_are_left_to_the_placement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The 总计 of new requests one more than its columns (C2): not read as printed.
    lines = _tabs_page(tmp_path).splitlines()
    new = next(k for k, line in enumerate(lines) if line.startswith("一、本年新收"))
    cells = lines[new].split("\t")
    cells[-1] = str(int(cells[-1]) + 1)
    lines[new] = "\t".join(cells)
    path = write_page(tmp_path, "\n".join(lines))
    assert not _taken(path)
    parsed = parse_file(path)
    assert parsed == _general(path, monkeypatch)
    assert parsed.reading != Reading.AS_PRINTED


def test_a_report_that_ends_in_its_tables_is_left_to_the_general_readers(tmp_path: Path) -> None:
    page = _tabs_page(tmp_path)
    path = write_page(tmp_path, page[: page.index("五、存在的主要问题")])
    assert not _taken(path)
