"""Text files in any encoding and layout become documents; what is not a report is refused by name."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipelines.formats import read_document
from pipelines.formats.document import UnreadableDocument
from pipelines.template.report import NotAReport, parse_file
from tests.conftest import SEED_DIR
from tests.generator import random_report, render_tabs

SEED = SEED_DIR / "004_d7a382633f0a3f3c.txt"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
def test_a_report_reads_the_same_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    text = SEED.read_text(encoding="utf-8").replace("“", "").replace("”", "")
    path = tmp_path / "r.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = text.encode("utf-16-le")  # no BOM
    path.write_bytes(data)
    report = parse_file(path)
    reference = parse_file(SEED)
    assert report.agency == reference.agency
    assert {k: v.value for k, v in report.cells.items()} == {k: v.value for k, v in reference.cells.items()}


def test_windows_line_endings_do_not_change_the_reading(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    assert {k: v.value for k, v in parse_file(path).cells.items()} == {
        k: v.value for k, v in parse_file(SEED).cells.items()
    }


@pytest.mark.parametrize("seed", sorted(SEED_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_invisible_characters_copied_from_a_page_do_not_change_the_reading(tmp_path: Path, seed: Path) -> None:
    # An editor's fill character (U+200B, U+FEFF), joiners and soft hyphens, copied with the page's
    # text: before figures, after them and inside labels, as htmlreal16 found them in real markup.
    rng = random.Random(seed.name)
    text = seed.read_text(encoding="utf-8")
    marked = "".join(
        ch + rng.choice("\u200b\u200b\ufeff\u200d\u2060\u00ad") if not ch.isspace() and rng.random() < 0.2 else ch
        for ch in text
    )
    path = tmp_path / seed.name
    path.write_text(marked, encoding="utf-8")
    report, reference = parse_file(path), parse_file(seed)
    assert report.agency == reference.agency
    assert report.year == reference.year
    assert {k: v.value for k, v in report.cells.items()} == {k: v.value for k, v in reference.cells.items()}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n\t\n", "the file is empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
        (
            "notice.txt",
            "关于召开全市安全生产工作会议的通知\n各单位：定于下周召开会议。".encode(),
            "no table of the 2019 or 2021 template",
        ),
    ],
)
def test_a_file_that_is_not_a_report_is_refused_with_its_name_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument) as err:
        parse_file(path)
    assert name in str(err.value)
    assert reason in str(err.value)


def test_template_labels_without_any_figures_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels_only.txt"
    path.write_text("某局2023年政府信息公开工作年度报告\n本年制发件数 本年废止件数 现行有效件数\n", encoding="utf-8")
    with pytest.raises(NotAReport, match=r"labels_only\.txt"):
        parse_file(path)


@pytest.mark.parametrize(
    ("seed", "layout"),
    [
        ("000_57c1d5239059f444.txt", "text/cell-per-line"),
        ("001_11165da3b41cf1a7.txt", "text/tabs"),
        ("002_8a5580ca8d093c47.txt", "text/cell-per-line"),
        ("003_288315dbaf6cd637.txt", "text/pipes"),
        ("004_d7a382633f0a3f3c.txt", "text/tabs"),
    ],
)
def test_the_layout_of_each_seed_is_recognised(seed: str, layout: str) -> None:
    assert read_document(SEED_DIR / seed).layout == layout


def test_bookmark_artefacts_of_docx_extraction_are_dropped() -> None:
    doc = read_document(SEED_DIR / "000_57c1d5239059f444.txt")
    assert not any("[bookmark:" in c for row in doc.rows for c in row.cells)


def test_a_2019_report_is_detected_from_its_own_labels_and_read(tmp_path: Path) -> None:
    truth = random_report(random.Random(11), template="2019")
    path = tmp_path / "r2019.txt"
    # A 2019 report published late, with a later year in its title: the labels decide.
    path.write_text(render_tabs(truth).replace(f"{truth.year}年", "2021年", 1), encoding="utf-8")
    report = parse_file(path)
    assert report.template == "2019"
    assert {k: v.value for k, v in report.cells.items()} == truth.values


def _cell_per_line_by_lines(text: str) -> list[tuple[str, ...]]:
    """The cell-per-line layout read line by line, as the format says: a line that is one tab and
    a cell adds the cell to the row; any other line ends the row and is a tab row or a paragraph."""
    rows: list[tuple[str, ...]] = []
    pending: list[str] = []
    for line in text.split("\n"):
        if line.startswith("\t") and line.count("\t") == 1:
            pending.append(line[1:].strip())
            continue
        if pending:
            rows.append(tuple(pending))
            pending = []
        if "\t" in line:
            rows.append(tuple(c.strip() for c in line.split("\t")))
        elif line.strip():
            rows.append((line.strip(),))
    if pending:
        rows.append(tuple(pending))
    return rows


@pytest.mark.parametrize("seed", range(300))
def test_cell_per_line_rows_are_the_lines_read_one_by_one(seed: int) -> None:
    from pipelines.formats.text import _cell_per_line_rows

    rng = random.Random(seed)
    pieces = ["\t", "\n", "\n\t", "a", "中", " ", "\u3000", "\x0b", "|", "0"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60)))
    lines = text.split("\n")
    last_tabs = [line.rfind("\t") for line in lines]
    assert [row.cells for row in _cell_per_line_rows(lines, last_tabs)] == _cell_per_line_by_lines(text)


@pytest.mark.parametrize("seed", range(300))
def test_a_spaced_lines_cells_are_its_runs_of_text_with_single_spaces(seed: int) -> None:
    import re

    from pipelines.formats.text import _split_spaces

    rng = random.Random(seed)
    pieces = [" ", "  ", "     ", "a", "中", "12", "\t", "\xa0", "—"]
    line = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
    runs = list(re.finditer(r"\S+(?: \S+)*", line))
    row = _split_spaces.__wrapped__(line)
    assert list(row.cells) == [m.group() for m in runs]
    starts = [p - w / 2 for p, w in zip(row.positions or (), row.widths or (), strict=True)]
    assert starts == pytest.approx([m.start() for m in runs])
