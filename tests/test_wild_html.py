"""The CMS-markup generator (tests.wild_html, class html-cms) and the parser's reading of it.

Generator tests check that each feature prints what real pages print (the grid of a 平潭 2021
page, a Hangzhou-style header without rowspans, labels over two paragraphs, a Shanghai section-2
grid, the three page kinds) with every truth figure in it. Parser tests read each feature exactly.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from bench.wild_print_report import CLASSES as BENCH_CLASSES
from bench.wild_print_report import Score, score
from pipelines.template.report import parse_file
from tests.wild_html import CLASSES, draw, render_with_features
from tests.wild_print import WildTruth

Sample = tuple[WildTruth, str, bytes, frozenset[str]]


def _sample(seed: int) -> Sample:
    rng = random.Random(f"html-cms:{seed}")
    truth = draw("html-cms", rng)
    suffix, data, feats = render_with_features("html-cms", truth, rng)
    return truth, suffix, data, feats


def _samples(n: int, want: str | None = None) -> Iterator[Sample]:
    for seed in range(300):
        sample = _sample(seed)
        if want is None or want in sample[3]:
            yield sample
            n -= 1
            if n == 0:
                return


def _page(data: bytes) -> str:
    """The page's text: UTF-8, or GBK where a charset feature served it so."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gbk")


def _tables(data: bytes) -> list[Tag]:
    return BeautifulSoup(_page(data), "lxml").find_all("table")


def _cells(table: Tag) -> list[list[Tag]]:
    return [tr.find_all("td") for tr in table.find_all("tr")]


def _text(td: Tag) -> str:
    return td.get_text("", strip=True).replace("\xa0", "")


def _section3(data: bytes) -> Tag:
    return next(t for t in _tables(data) if "申请人情况" in t.get_text())


def _scored(sample: Sample) -> Score:
    truth, suffix, data, feats = sample
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        return score(truth, parse_file(path), feats=feats)


# ---------------------------------------------------------------------------------------------
# The generator


def test_html_cms_is_a_bench_class_beside_the_print_classes() -> None:
    assert CLASSES == ("html-cms",)
    assert "html-cms" in BENCH_CLASSES
    assert "html-word" in BENCH_CLASSES


@pytest.mark.parametrize("seed", range(4))
def test_html_cms_prints_every_truth_figure(seed: int) -> None:
    truth, suffix, data, feats = _sample(seed)
    assert suffix == ".html"
    printed = {_text(td) for t in _tables(data) for row in _cells(t) for td in row}
    figures = {str(int(v)) if v == int(v) else f"{v:g}" for v in truth.values.values() if v != 0}
    assert figures <= printed, feats


def test_grid_drift_spans_commercial_enterprise_over_two_grid_columns() -> None:
    _, _, data, _ = next(_samples(1, "grid-drift"))
    rows = _cells(_section3(data))
    natural = next(td for td in rows[1] if _text(td) == "自然人")
    assert natural.get("colspan") == "2"
    assert natural.get("rowspan") is None
    assert _text(rows[2][0]) == ""  # the empty cell under 自然人
    assert rows[2][1].get("colspan") == "2"  # 商业企业
    first_data = rows[3]
    assert [td.get("colspan") for td in first_data[1:3]] == [None, "2"]


def test_header_placeholders_draw_empty_cells_instead_of_rowspans() -> None:
    _, _, data, _ = next(_samples(1, "header-placeholders"))
    rows = _cells(_section3(data))
    assert all(td.get("rowspan") is None for td in rows[1])
    assert _text(rows[2][0]) == ""
    assert _text(rows[2][-1]) == ""
    s4 = next(t for t in _tables(data) if "未经复议直接起诉" in t.get_text())
    assert [_text(td) for td in _cells(s4)[2][:5]] == [""] * 5


def test_split_labels_type_a_header_over_two_paragraphs() -> None:
    _, _, data, _ = next(_samples(1, "split-labels"))
    commercial = next(td for row in _cells(_section3(data)) for td in row if _text(td) == "商业企业")
    assert [p.get_text(strip=True).replace("\xa0", "") for p in commercial.find_all("p")] == ["商业", "企业"]


def test_blank_nbsp_prints_zeros_as_non_breaking_spaces() -> None:
    truth, _, data, _ = next(_samples(1, "blank-nbsp"))
    assert any(v == 0 for v in truth.values.values())
    s3 = _cells(_section3(data))
    assert any(td.get_text() and not _text(td) for row in s3[3:] for td in row)
    assert not any(_text(td) == "0" for row in s3[3:] for td in row)


def test_s2_drift_spans_a_header_cell_over_two_grid_columns() -> None:
    _, _, data, _ = next(_samples(1, "s2-drift"))
    s2 = next(t for t in _tables(data) if "第二十条第（一）项" in t.get_text())
    header = next(row for row in _cells(s2) if row and _text(row[0]) == "信息内容" and len(row) == 4)
    assert [td.get("colspan") for td in header[1:]] == [None, "2", None]
    assert _cells(s2)[0][0].get("colspan") == "5"


@pytest.mark.parametrize(
    ("feature", "declared"), [("charset-gb2312-declared-gbk", "gb2312"), ("charset-utf-8-declared-gbk", "utf-8")]
)
def test_charset_features_serve_gbk_bytes_under_another_declaration(feature: str, declared: str) -> None:
    _, _, data, _ = next(_samples(1, feature))
    assert f"charset={declared}".encode() in data
    with pytest.raises(UnicodeDecodeError):
        data.decode(declared)
    assert "海峡·两岸" in data.decode("gbk")


def test_page_kinds_are_a_trs_page_a_fragment_and_a_zoom_div() -> None:
    pages = {next(f for f in s[3] if f.startswith("page-")): _page(s[2]) for s in _samples(30)}
    assert set(pages) == {"page-trs", "page-fragment", "page-zoom"}
    assert "article_title" in pages["page-trs"]
    assert "--> --></div>" in pages["page-trs"]  # a stray comment end, printed as text
    assert "<html" not in pages["page-fragment"]
    assert 'id="zoom"' in pages["page-zoom"]


# ---------------------------------------------------------------------------------------------
# The parser


@pytest.mark.parametrize(
    "feature",
    [
        "grid-drift",
        "header-placeholders",
        "split-labels",
        "nbsp-spans",
        "blank-nbsp",
        "bare-td",
        "s2-drift",
        "charset-gb2312-declared-gbk",
        "charset-utf-8-declared-gbk",
    ],
)
def test_parser_reads_html_cms_feature_exactly(feature: str) -> None:
    for sample in _samples(3, feature):
        s = _scored(sample)
        assert s.exact, (sample[3], s.wrong[:5], s.read_meta, s.problems[:2])


@pytest.mark.parametrize("page", ["page-trs", "page-fragment", "page-zoom"])
def test_parser_reads_each_page_kind_exactly(page: str) -> None:
    for sample in _samples(2, page):
        s = _scored(sample)
        assert s.exact, (sample[3], s.read_meta, s.truth_meta, s.problems[:2])


def test_a_read_report_keeps_no_problem_about_its_page_s_logos() -> None:
    # A TRS page shows its logo and banner from the site's root: nothing of the report is in them.
    _, suffix, data, _ = next(_samples(1, "page-trs"))
    assert b'<img src="/images/site_logo.png"' in data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
    assert not [p for p in report.problems if p.startswith("picture ")]
