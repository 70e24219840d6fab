"""The wild-print generator itself (tests.wild_print), and the parser's accuracy on its classes.

Generator tests check that each class prints what it claims (truth figures, single-character
runs, a page break inside a label, the undivided （六）其他处理 row). Parser tests that fail today
must read each class exactly.
"""

from __future__ import annotations

import itertools
import random
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bench.wild_print_report import Score, score
from models.catalog import CellKey, cells_for
from pipelines.template.report import parse_file
from tests.generator import GTable, layout
from tests.wild_print import (
    CLASSES,
    HEADING_TYPOS,
    OTHER_SUB_ROWS,
    WILD_PRINT,
    WildTruth,
    _repeat_results_label,
    draw,
    render_with_features,
    split_across_pages,
)

_GROUPS = ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")


def _sample(cls: str, seed: int) -> tuple[WildTruth, str, bytes, frozenset[str]]:
    rng = random.Random(f"{cls}:{seed}")
    truth = draw(cls, rng)
    suffix, data, feats = render_with_features(cls, truth, rng)
    return truth, suffix, data, feats


def _samples(
    cls: str, n: int, want: str | None = None, avoid: tuple[str, ...] = ()
) -> Iterator[tuple[WildTruth, str, bytes, frozenset[str]]]:
    """Samples of a class, optionally only those with (or without) given damage."""
    for seed in range(200):
        sample = _sample(cls, seed)
        feats = sample[3]
        if (want is None or any(f.startswith(want) for f in feats)) and not any(
            f.startswith(a) for f in feats for a in avoid
        ):
            yield sample
            n -= 1
            if n == 0:
                return


def _figures(truth: WildTruth) -> set[str]:
    return {str(int(v)) if v == int(v) else f"{v:g}" for v in truth.values.values() if v != 0}


def _parse(suffix: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        return parse_file(path)


def _scored(sample: tuple[WildTruth, str, bytes, frozenset[str]]) -> Score:
    truth, suffix, data, feats = sample
    return score(truth, _parse(suffix, data), feats=feats)


# ---------------------------------------------------------------------------------------------
# The registry and the truth


def test_registry_names_every_class_with_a_renderer_and_a_truth() -> None:
    assert set(CLASSES) <= set(WILD_PRINT)
    assert set(CLASSES) == {"html-word", "pdf-wps", "pdftotext-wps", "mixed-template"}
    for cls in CLASSES:
        assert isinstance(draw(cls, random.Random(1)), WildTruth)


def test_agencies_years_and_titles_vary_like_real_pages() -> None:
    truths = [draw(cls, random.Random(f"{cls}:{k}")) for cls in CLASSES for k in range(40)]
    assert {t.year for t in truths} == {2019, 2020, 2021, 2022, 2023}
    agencies = {t.agency for t in truths}
    for suffix in ("分局", "区人民政府办公室", "省自然资源厅", "县教育局", "镇人民政府"):
        assert any(a.endswith(suffix) for a in agencies), suffix
    for t in truths:
        assert t.template == "2019" or t.year >= 2020


def test_undivided_other_truth_has_other_handling_and_lists_the_sub_rows_absent() -> None:
    for k in range(10):
        truth = draw("mixed-undivided-other", random.Random(k))
        assert truth.template == "2021"
        assert truth.section_templates == {2: "2021", 3: "2019", 4: "2021"}
        absent = {CellKey(3, "requests", r, c.column_key) for r in OTHER_SUB_ROWS for c in _s3_cols()}
        assert truth.absent == absent
        assert not absent & truth.values.keys()
        assert CellKey(3, "requests", "other_handling", "total") in truth.values
        assert truth.values.keys() | truth.absent == set(cells_for("2021")) | {
            CellKey(3, "requests", "other_handling", c.column_key) for c in _s3_cols()
        }
        # C3 still holds with the undivided row.
        results = [
            k
            for k in truth.values
            if k.section == 3
            and k.column_key == "total"
            and k.row_key not in ("new_requests", "carried_over", "total_handled", "carried_forward")
        ]
        assert sum(truth.values[k] for k in results) == truth.values[CellKey(3, "requests", "total_handled", "total")]


def _s3_cols():
    from models.catalog import columns_for

    return columns_for("2021", "requests")


def test_the_2019_template_appears_in_later_years() -> None:
    truths = [draw("mixed-2019-late", random.Random(k)) for k in range(20)]
    assert all(t.template == "2019" and 2020 <= t.year <= 2022 for t in truths)


# ---------------------------------------------------------------------------------------------
# html-word


def _cell_texts(data: bytes) -> list[str]:
    soup = BeautifulSoup(data, "lxml")
    return [re.sub(r"\s+", "", td.get_text()) for td in soup.find_all("td")]


@pytest.mark.parametrize("seed", range(5))
def test_html_word_prints_every_truth_figure_in_a_word_table(seed: int) -> None:
    truth, suffix, data, _ = _sample("html-word", seed)
    page = data.decode("utf-8")
    assert suffix == ".html"
    assert "<table class=MsoNormalTable" in page
    assert "<p class=MsoNormal" in page
    assert _figures(truth) <= set(_cell_texts(data))


def test_html_word_has_single_character_runs_and_vertical_headers() -> None:
    pages = [s[2].decode() for s in _samples("html-word", 5)]
    assert all(re.search(r"<span[^>]*>[\u4e00-\u9fff]</span>", p) for p in pages)
    # 结/果/维/持: four one-character paragraphs in one cell.
    vertical = re.compile(
        r"<p[^>]*><span[^>]*>结</span></p>\s*<p[^>]*><span[^>]*>果</span></p>\s*"
        r"<p[^>]*><span[^>]*>维</span></p>\s*<p[^>]*><span[^>]*>持</span></p>"
    )
    assert any(vertical.search(p) for p in pages)
    assert any("&nbsp;&nbsp;" in p for p in pages)


def test_html_word_prints_the_results_label_twice() -> None:
    base = [b for b in layout(draw("html-word", random.Random(3))).blocks if isinstance(b, GTable)][1]
    twice = _repeat_results_label(base, random.Random(0))
    labels = [(r, cell) for r, row in enumerate(twice.rows) for cell in row if cell.text == "三、本年度办理结果"]
    assert len(labels) == 2
    first = next(c for row in base.rows for c in row if c.text == "三、本年度办理结果")
    assert sum(c.rowspan for _, c in labels) == first.rowspan
    assert labels[1][0] - labels[0][0] == labels[0][1].rowspan


def test_html_word_heading_typos_and_page_chrome() -> None:
    pages = {feat: s[2].decode() for s in _samples("html-word", 30) for feat in s[3]}
    for section, typos in HEADING_TYPOS.items():
        assert f"heading-typo-{section}" in pages
        assert any(t.strip() in BeautifulSoup(pages[f"heading-typo-{section}"], "lxml").get_text() for t in typos)
    page = next(iter(pages.values()))
    for chrome in ("来源：", "附件下载", "分享到", "您当前的位置", "上一篇"):
        assert chrome in page


def test_html_word_source_wraps_inside_text() -> None:
    _, _, data, _ = next(_samples("html-word", 1, want="source-wrapped"))
    assert re.search(r"[\u4e00-\u9fff]\r\n[\u4e00-\u9fff]", data.decode())


# ---------------------------------------------------------------------------------------------
# pdf-wps and its pdftotext text


def test_split_across_pages_cuts_a_spanning_label_and_keeps_every_cell() -> None:
    table = [b for b in layout(draw("pdf-wps", random.Random(0))).blocks if isinstance(b, GTable)][1]
    start = next(r for r, placed in enumerate(table.grid()) for c, cell in placed if cell.text == "（四）无法提供")
    top, bottom = split_across_pages(
        table, start + 1, lambda cell: 4 if cell.text.startswith("（四）") else len(cell.text)
    )
    assert [c.text for c in top.rows[start] if c.text.startswith("（四）")] == ["（四）无"]
    assert "法提供" in [c.text for c in bottom.rows[0]]

    def figures(t: GTable) -> list[str]:
        return [c.text for row in t.rows for c in row if c.figure]

    assert figures(top) + figures(bottom) == figures(table)
    assert len(top.grid()) + len(bottom.grid()) == len(table.grid())


@pytest.mark.slow
def test_pdf_wps_breaks_the_page_inside_a_group_label() -> None:
    import io

    import pdfplumber

    for _truth, suffix, data, feats in _samples("pdf-wps", 3):
        assert suffix == ".pdf"
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [[t.extract() for t in page.find_tables()] for page in pdf.pages]
        found = False
        for here, there in itertools.pairwise(pages):
            if not here or not there or len(here[-1][0]) != 10 or len(there[0][0]) != 10:
                continue
            head = [row[1] for row in here[-1] if row[1]][-1]
            tail = there[0][0][1] or ""
            label = re.sub(r"\s", "", head + tail)
            if label in _GROUPS and head.strip() and tail.strip():
                found = True
        assert found, feats


@pytest.mark.slow
def test_pdftotext_wps_text_keeps_figures_numbering_and_page_breaks() -> None:
    for truth, suffix, data, _feats in _samples("pdftotext-wps", 3, want="numbered-1、"):
        text = data.decode("utf-8")
        assert suffix == ".txt"
        assert "\f" in text
        assert "1、属于国家秘密" in text
        printed = set(re.findall(r"-?\d+(?:\.\d+)?", text))
        assert _figures(truth) <= printed


# ---------------------------------------------------------------------------------------------
# mixed-template


@pytest.mark.slow
def test_mixed_template_prints_the_labels_of_each_section_s_template() -> None:
    for cls, must, never in (
        ("mixed-undivided-other", ("本年制发件数", "其他处理"), ("逾期不补正", "本年新制作数量")),
        ("mixed-2019-late", ("本年新制作数量", "政府集中采购", "其他处理"), ("本年制发件数", "逾期不补正")),
    ):
        for _truth, suffix, data, feats in _samples(cls, 4, avoid=("format-pdf", "format-docx")):
            text = re.sub(r"\s", "", BeautifulSoup(data, "lxml").get_text() if suffix == ".html" else data.decode())
            assert all(m in text for m in must), (cls, feats)
            assert not any(n in text for n in never), (cls, feats)


# ---------------------------------------------------------------------------------------------
# The parser on each class


def test_parser_reads_html_word_exactly_without_typos_or_wrapped_source() -> None:
    for sample in _samples("html-word", 4, avoid=("heading-typo-3", "heading-typo-4", "source-wrapped")):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5], s.read_meta)


def test_parser_keeps_a_section_whose_heading_has_a_typo() -> None:
    for want in ("heading-typo-3", "heading-typo-4"):
        for sample in _samples("html-word", 3, want=want, avoid=("source-wrapped",)):
            s = _scored(sample)
            assert s.exact, (sample[3], s.problems[:2])


def test_parser_reads_html_word_with_wrapped_source() -> None:
    for sample in _samples("html-word", 3, want="source-wrapped", avoid=("heading-typo-3", "heading-typo-4")):
        s = _scored(sample)
        assert s.exact, (s.read_meta, s.truth_meta, s.problems[:2])


@pytest.mark.slow
def test_parser_reads_pdf_wps_with_a_page_break_inside_a_label() -> None:
    for sample in _samples("pdf-wps", 3, want="page-break", avoid=("s2-rows-unruled",)):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5])


@pytest.mark.slow
def test_parser_reads_pdf_wps_section2_rows_without_rules() -> None:
    for sample in _samples("pdf-wps", 3, want="s2-rows-unruled"):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5])


@pytest.mark.slow
def test_parser_reads_pdftotext_wps_exactly() -> None:
    for sample in _samples("pdftotext-wps", 3):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5])


@pytest.mark.slow
def test_parser_reads_the_2019_template_in_later_years() -> None:
    for sample in _samples("mixed-2019-late", 4):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5])


@pytest.mark.slow
def test_parser_keeps_an_undivided_other_handling_row_and_leaves_its_sub_rows_absent() -> None:
    for sample in _samples("mixed-undivided-other", 4):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5])


@pytest.mark.slow
def test_no_wild_print_report_is_silently_wrong_where_the_print_is_clean_enough() -> None:
    """Even where the parser fails, it must say so."""
    for cls in ("pdf-wps", "pdftotext-wps", "mixed-template"):
        for sample in _samples(cls, 3):
            assert not _scored(sample).silent, (cls, sample[3])
