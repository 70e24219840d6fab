"""The wild text generator itself: each class renders, prints its truth, and narrows it honestly.

Parser accuracy on these classes is measured by `bench.accuracy --wild`; the parser tests at the end
check that the parser reads a class exactly, or says where it guessed.
"""

from __future__ import annotations

import html
import random
import re
import tempfile
from pathlib import Path

import pytest

from models.catalog import CellKey, cells_for
from tests.wild_text import HEADINGS, HOSTILE_FORMS, PDF_PRINTS, WILD_TEXT, render_wild, to_traditional, wild_report

# The text classes: the DOCX classes (docxreal19) and the PDF prints (pdfreal19) are files, not text
# (tests/test_docx_markup.py, tests/test_pdf_prints.py read them).
CLASSES = [c for c in WILD_TEXT if not c.startswith("docx-") and c not in PDF_PRINTS]
SEEDS = range(6)


def _case(cls: str, seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    report = wild_report(rng)
    suffix, data, truth = render_wild(cls, report, rng)
    return report, suffix, data.decode("utf-8"), truth


def test_registry_names_the_classes() -> None:
    assert list(WILD_TEXT) == [
        "web-runtogether",
        "cell-per-line-blank",
        "cell-per-line-pipe",
        "pipes-ragged",
        "traditional",
        "no-figures",
        "cut-short",
        "hostile-cells",
        "subheading-parts",
        "cited-report",
        "change-words",
        "pipe-lone-bar",
        "title-wording",
        "national-body",
        "angle-citation",
        "publish-verb",
        "opening-subject",
        "contact-office",
        "compiled-by-long",
        "pinyin-gloss",
        "title-typo",
        "one-line",
        "tax-bureau",
        "zone-names",
        "township-office",
        "party-committee",
        "gloss-labels",
        "committee-office",
        "school",
        "regionless-title",
        "headless-parts",
        "province-notes",
        "opening-clause",
        "compiled-by-office",
        "website-name",
        "zone-street",
        "region-report",
        "subheading-opening",
        "district-committee",
        "informatization-organ",
        "index-fields",
        "legal-persons-one-figure",
        "cut-in-label-number",
        "name-before-verb",
        "ministry",
        "column-over-title",
        "cut-after-table",
        "regionless-zone",
        "street-short-office",
        "bracketed-second-name",
        "customs-district",
        "doubled-region",
        "short-form-rival",
        "banner-short-form",
        "money-wan",
        "inner-name-rival",
        "non-organ-publisher",
        "school-short-name",
        "regionless-body-opening",
        "section4-page",
        "one-figure-merged",
        "runtogether-stated",
        "whole-township-word",
        "zone-word-street",
        "tax-numbered-branch",
        "tax-publishes-itself",
        "zone-research-office",
        "customs-administration",
        "information-organ",
        "opening-this-year",
        "one-line-debris",
        "archive-office",
        "jiehe-township",
        "league-report",
        "index-name-field",
        "receiver-named",
        "rule-title-banfa",
        "park-committee",
        "tail-year",
        "index-publisher-field",
        "region-subject",
        "resource-word",
        "summary-report",
        "zone-own-office",
        "level-organ",
        "cover-date",
        "meta-source-we",
        "meta-title",
        "meta-site-region",
        "meta-editor",
        "meta-empty",
        "fire-rescue",
        "zone-committee-office",
        "weather-department",
        "zone-name-forms",
        "portal-download",
        "zone-party-office",
        "own-website",
        "street-jie-opening",
        "two-zone-title",
        "township-contact-only",
        "page-number-in-table",
        "section4-transposed",
        "section4-outcome-lines",
        "lost-space-mark",
        "change-pair-sign",
        "bars-then-figures",
        "commission-short-form",
        "proposal-handling",
        "bulletin-title-label",
        "opening-party-committee",
        "postal-system",
        "bank-regulator-branch",
        "whole-prefecture",
        "deployment-word",
        "level-office-portal",
        "township-county-elsewhere",
        "own-account",
        "academic-year-opening",
        "county-site-short",
        "compiled-into",
        "section3-column-order",
        "share-column",
        "unlabelled-first-row",
        "short-row-apart",
        "indented-cell-pipes",
        "joined-bodies",
        "survey-team",
        "bonded-zone",
        "county-service-center",
        "review-last-year",
        "editor-fill-chars",
        "tracked-changes",
        "hidden-text",
        "prior-year-column",
        "header-chars-per-line",
        "section4-split-tables",
        "section2-lines",
        "docx-tracked-changes",
        "docx-content-controls",
        "docx-fields-smart-tags",
        "docx-hidden-text",
        "docx-alt-chunk",
        "docx-layout-table",
        "docx-text-box-title",
        "pdf-radical-forms",
        "pdf-watermark",
        "pdf-watermark-flat",
        "pdf-fake-bold",
        "docx-placeholder-text",
        "docx-style-hidden",
        "docx-cell-text-box",
        "pdf-grey-text",
    ]


def test_hostile_cells_prints_its_forms_and_leaves_those_cells_out_of_the_truth() -> None:
    for seed in SEEDS:
        report, _, text, truth = _case("hostile-cells", seed)
        hostile = [k for k in truth.printed if truth.printed[k] in HOSTILE_FORMS]
        assert 1 <= len(hostile) <= 3
        assert all(k not in truth.values and truth.printed[k] in text for k in hostile)
        assert all(k in truth.values for k in truth.printed if k not in hostile)
        assert set(report.values) == set(truth.values) | set(hostile)


HTML_MARKUP_CLASSES = ("editor-fill-chars", "tracked-changes", "hidden-text")


@pytest.mark.parametrize("cls", CLASSES)
def test_each_class_renders_text_with_its_report(cls: str) -> None:
    for seed in SEEDS:
        report, suffix, text, truth = _case(cls, seed)
        # the meta tag classes and the real markup ones (htmlreal16) are pages
        html_page = cls.startswith("meta-") or cls in HTML_MARKUP_CLASSES
        assert suffix == (".html" if html_page else ".txt")
        if cls == "editor-fill-chars":  # its text as a browser draws it: references resolved, invisible characters gone
            text = re.sub("[\u200b\u200d\u2060\ufeff\u00ad]", "", html.unescape(text))
        assert set(truth.values) <= set(cells_for(truth.template))
        assert truth.year == report.year
        # a page of section 4 alone prints nothing that tells the templates apart: its year's
        assert truth.template == report.template or cls in ("section4-page", "change-pair-sign")
        # these classes name another publisher, or the drawn one as the page would
        renamed = (
            "national-body",
            "publish-verb",
            "opening-subject",
            "compiled-by-long",
            "tax-bureau",
            "zone-names",
            "township-office",
            "party-committee",
            "committee-office",
            "school",
            "regionless-title",
            "opening-clause",
            "compiled-by-office",
            "website-name",
            "zone-street",
            "region-report",
            "subheading-opening",
            "district-committee",
            "informatization-organ",
            "index-fields",
            "name-before-verb",
            "ministry",
            "column-over-title",
            "regionless-zone",
            "street-short-office",
            "bracketed-second-name",
            "customs-district",
            "doubled-region",
            "short-form-rival",
            "banner-short-form",
            "inner-name-rival",
            "non-organ-publisher",
            "school-short-name",
            "regionless-body-opening",
            "whole-township-word",
            "zone-word-street",
            "tax-numbered-branch",
            "tax-publishes-itself",
            "zone-research-office",
            "customs-administration",
            "information-organ",
            "opening-this-year",
            "one-line-debris",
            "archive-office",
            "jiehe-township",
            "league-report",
            "index-name-field",
            "receiver-named",
            "rule-title-banfa",
            "park-committee",
            "tail-year",
            "index-publisher-field",
            "region-subject",
            "resource-word",
            "summary-report",
            "zone-own-office",
            "level-organ",
            "cover-date",
            "meta-source-we",
            "meta-title",
            "meta-site-region",
            "meta-editor",
            "meta-empty",
            "fire-rescue",
            "zone-committee-office",
            "weather-department",
            "zone-name-forms",
            "portal-download",
            "zone-party-office",
            "own-website",
            "street-jie-opening",
            "two-zone-title",
            "township-contact-only",
            "commission-short-form",
            "proposal-handling",
            "bulletin-title-label",
            "opening-party-committee",
            "postal-system",
            "bank-regulator-branch",
            "whole-prefecture",
            "deployment-word",
            "level-office-portal",
            "township-county-elsewhere",
            "own-account",
            "academic-year-opening",
            "county-site-short",
            "compiled-into",
            "joined-bodies",
            "survey-team",
            "bonded-zone",
            "county-service-center",
            "review-last-year",
        )
        assert truth.agency == report.agency or cls in renamed
        simplified = text if cls not in ("traditional", "pinyin-gloss", "province-notes") else None
        if simplified is not None:
            # the full name is printed somewhere (a township's government is told by its office)
            # (a committee's office may be parted from it by a space)
            assert (
                truth.agency in text.replace("管理委员会 ", "管理委员会")
                or (
                    cls
                    in (
                        "township-office",
                        "compiled-by-office",
                        "region-report",
                        "subheading-opening",
                        "street-short-office",
                        "bracketed-second-name",
                        "opening-this-year",
                        "region-subject",
                        "summary-report",
                        "deployment-word",
                        "county-site-short",
                        "compiled-into",
                    )
                    and truth.agency.removesuffix("人民政府").removesuffix("办事处") in text
                )
                or (
                    # level-organ: the county (in the cited notice) and the level with the organ (县统计局), apart
                    cls in ("level-organ", "meta-source-we", "meta-site-region")
                    and any(truth.agency[:k] in text and truth.agency[k - 1 :] in text for k in range(2, 6))
                )
                or (cls == "zone-word-street" and truth.agency.removesuffix("办事处")[-5:] in text)
                # street-jie-opening: the street as X街 (街道 short)
                or (cls == "street-jie-opening" and truth.agency.removesuffix("道办事处") in text)
                # weather-department: the bureau's report is its 气象部门's, as the title words it
                or (cls == "weather-department" and truth.agency.removesuffix("局") + "部门" in text)
                # postal-system: the administration's report is its 系统's
                or (cls == "postal-system" and truth.agency.removesuffix("局") + "系统" in text)
                # level-office-portal, township-county-elsewhere: the region (short) and the body without it, apart
                or (
                    cls in ("level-office-portal", "township-county-elsewhere")
                    and truth.agency[:2] in text
                    and truth.agency.removesuffix("办事处").removesuffix("人民政府")[-3:] in text
                )
            )
            # (zone-word-street: the street's county is the division list's, not printed; region-subject: the
            # city alone opens the report)
            assert HEADINGS[2] in text or cls in ("headless-parts", "section4-page")
        assert str(report.year) in text


def test_render_wild_leaves_the_drawn_report_untouched() -> None:
    rng = random.Random(3)
    report = wild_report(rng)
    before = dict(report.values)
    render_wild("no-figures", report, rng)
    assert report.values == before


@pytest.mark.parametrize("cls", ["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])
def test_positional_classes_print_every_figure_in_order(cls: str) -> None:
    """Every figure of the truth is in the text, and the figures of a section-3 row follow its label."""
    for seed in SEEDS:
        _, _, text, truth = _case(cls, seed)
        assert len(truth.values) == len(cells_for(truth.template))
        numbers = re.findall(r"-?\d+(?:\.\d+)?", text)
        for key, value in truth.values.items():
            shown = str(int(value)) if value == int(value) else f"{value:.6f}".rstrip("0").rstrip(".")
            assert shown in numbers, (key, shown)


def test_runtogether_prints_a_row_as_one_digit_string() -> None:
    found = False
    for seed in range(20):
        _, _, text, truth = _case("web-runtogether", seed)
        row = [
            truth.values[CellKey(4, "review_litigation", r, c)]
            for r in ("administrative_review", "litigation_without_review", "litigation_after_review")
            for c in ("upheld", "corrected", "other_result", "pending", "total")
        ]
        run = "".join(str(int(v)) for v in row)
        found |= run in text
        assert "附件" in text or "相关附件" in text  # page chrome after the report
        assert "来源：" in text
    assert found  # section 4's fifteen figures as one string, at least where no space slipped in


def test_runtogether_has_negative_changes_and_six_decimal_fees_somewhere() -> None:
    negative = six = False
    for seed in range(60):
        _, _, text, truth = _case("web-runtogether", seed)
        negative |= any(k.column_key == "change" and v < 0 for k, v in truth.values.items())
        six |= bool(re.search(r"\d\.\d{6}(?!\d)", text))
    assert negative
    assert six


def test_traditional_is_the_whole_page_converted() -> None:
    for seed in SEEDS:
        _, _, text, truth = _case("traditional", seed)
        assert "條" in text
        assert "數" in text
        assert "政府信息公开" not in text
        assert to_traditional(truth.agency) in text


def test_pinyin_gloss_is_traditional_with_pinyin_after_some_characters() -> None:
    for seed in SEEDS:
        _, _, text, _ = _case("pinyin-gloss", seed)
        assert "條" in text
        assert "項(xiàng)" in text


def test_publisher_named_only_where_its_class_says() -> None:
    """No title names the publisher in these classes: it is named where the class puts it."""
    where = {
        "publish-verb": ("现公布", "现公开", "现将", "特向社会公布"),
        "opening-subject": ("年,",),
        "contact-office": ("请与", "请联系"),
        "compiled-by-long": ("本年度报告由",),
    }
    for cls, words in where.items():
        for seed in SEEDS:
            _, _, text, truth = _case(cls, seed)
            first = text.splitlines()[0]
            assert not first.endswith("年度报告"), (cls, seed)
            named = truth.agency.removesuffix("办事处").removesuffix("人民政府")
            assert any(w in text[: text.find(named) + 1] for w in words), (cls, seed)


def test_title_typo_swaps_the_tail() -> None:
    for seed in SEEDS:
        _, _, text, truth = _case("title-typo", seed)
        title = text.splitlines()[0]
        assert title.startswith(truth.agency + str(truth.year))
        assert not title.endswith("工作年度报告")


def test_no_figures_knows_no_cell_and_prints_none() -> None:
    for seed in range(12):
        report, _, text, truth = _case("no-figures", seed)
        assert truth.values == {}
        assert report.agency in text
        tables = text[text.index(HEADINGS[2]) : text.index(HEADINGS[5])]
        # Digits left in the tables are the labels' own (1.属于国家秘密, 〔2021〕) — no figure lines.
        for line in tables.splitlines():
            stripped = re.sub(r"(?<!\d)[1-8]\.(?=\D)", "", line)  # the rows' own numbering
            assert not re.search(r"\d", stripped), line


def test_cut_short_truth_excludes_what_was_cut() -> None:
    for seed in range(20):
        report, _, text, truth = _case("cut-short", seed)
        assert len(text.encode("utf-8")) < 2600
        assert HEADINGS[4] not in text or not text.rstrip().endswith(HEADINGS[6])
        # Section 4 comes after the cut; only cells printed before it are known.
        assert not any(k.section == 4 for k in truth.values)
        assert len(truth.values) < len(cells_for(truth.template))
        for key, value in truth.values.items():
            assert value == report.values[key]
        tail = text[-40:]
        assert "六、其他需要报告的事项" not in tail


def test_cut_short_keeps_exactly_the_figures_before_the_cut_in_positional_layouts() -> None:
    """Where each figure is a cell of its own (pipes, one per line), the known cells are exactly
    the figure cells printed in the tables."""
    checked = 0
    for seed in range(40):
        _, _, text, truth = _case("cut-short", seed)
        body = text[text.index(HEADINGS[2]) :]
        if "|" not in body and "\n\n" not in body:
            continue  # run together: figures are not cells of their own
        pieces = [p.strip() for line in body.splitlines() for p in line.split("|")]
        figures = [p for p in pieces if re.fullmatch(r"-?\d+(?:\.\d+)?元?", p)]
        assert len(figures) == len(truth.values), seed
        checked += 1
    assert checked >= 5


# ---------------------------------------------------------------------------------------------
# The parser on these classes.
# Classes whose every cell is in the print and can be read exactly.
EXACT_CLASSES = (
    "cell-per-line-blank",
    "cell-per-line-pipe",
    "pipes-ragged",
    "no-figures",
    "cited-report",
    "change-words",
    "pipe-lone-bar",
    "title-wording",
    "national-body",
    "angle-citation",
    "publish-verb",
    "opening-subject",
    "contact-office",
    "compiled-by-long",
    "pinyin-gloss",
    "title-typo",
    "headless-parts",
    "province-notes",
    "opening-clause",
    "compiled-by-office",
    "website-name",
    "zone-street",
    "region-report",
    "subheading-opening",
    "district-committee",
    "informatization-organ",
    "index-fields",
    "cut-in-label-number",
    "name-before-verb",
    "ministry",
    "column-over-title",
    "cut-after-table",
    "regionless-zone",
    "street-short-office",
    "bracketed-second-name",
    "customs-district",
    "doubled-region",
    "short-form-rival",
    "banner-short-form",
    "money-wan",
    "inner-name-rival",
    "non-organ-publisher",
    "school-short-name",
    "regionless-body-opening",
    "section4-page",
    "whole-township-word",
    "zone-word-street",
    "tax-numbered-branch",
    "tax-publishes-itself",
    "zone-research-office",
    "customs-administration",
    "information-organ",
    "opening-this-year",
    "one-line-debris",
    "archive-office",
    "jiehe-township",
    "league-report",
    "index-name-field",
    "receiver-named",
    "rule-title-banfa",
    "park-committee",
    "tail-year",
    "index-publisher-field",
    "region-subject",
    "resource-word",
    "summary-report",
    "zone-own-office",
    "level-organ",
    "cover-date",
    "meta-source-we",
    "meta-title",
    "meta-site-region",
    "meta-editor",
    "meta-empty",
    "fire-rescue",
    "zone-committee-office",
    "weather-department",
    "zone-name-forms",
    "portal-download",
    "zone-party-office",
    "own-website",
    "street-jie-opening",
    "two-zone-title",
    "township-contact-only",
    "page-number-in-table",
    "section4-transposed",
    "section4-outcome-lines",
    "lost-space-mark",
    "bars-then-figures",
    "commission-short-form",
    "proposal-handling",
    "bulletin-title-label",
    "opening-party-committee",
    "postal-system",
    "bank-regulator-branch",
    "whole-prefecture",
    "deployment-word",
    "level-office-portal",
    "township-county-elsewhere",
    "own-account",
    "academic-year-opening",
    "county-site-short",
    "compiled-into",
    "joined-bodies",
    "survey-team",
    "bonded-zone",
    "county-service-center",
    "section3-column-order",
    "share-column",
    "unlabelled-first-row",
    "short-row-apart",
    "indented-cell-pipes",
    "editor-fill-chars",
    "tracked-changes",
    "hidden-text",
    "prior-year-column",
    "header-chars-per-line",
    "section4-split-tables",
)


def _parse(cls: str, seed: int):  # type: ignore[no-untyped-def]
    from pipelines.template.report import parse_file

    _, suffix, text, truth = _case(cls, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"r{suffix}"
        path.write_text(text, encoding="utf-8")
        return parse_file(path), truth


@pytest.mark.parametrize("cls", EXACT_CLASSES)
def test_parser_reads_wild_class_exactly(cls: str) -> None:
    for seed in range(3):
        report, truth = _parse(cls, seed)
        assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
        for key in cells_for(truth.template):
            assert report.cells[key].value == truth.values.get(key), key


@pytest.mark.parametrize("cls", CLASSES)
def test_parser_is_never_silently_wrong_on_a_wild_class(cls: str) -> None:
    """Where a run of figures admits several cuts (section 2 has no arithmetic), the reading is a
    guess: it must say so, naming the row. The agency, year and template are always right."""
    for seed in range(6):
        report, truth = _parse(cls, seed)
        assert (report.agency, report.year, report.template) == (truth.agency, truth.year, truth.template)
        said = " ".join(report.problems)
        for key in cells_for(truth.template):
            if report.cells[key].value != truth.values.get(key):
                assert report.reading == "ambiguous", (seed, key)
                assert key.row_key in said, (seed, key)


def test_round11_classes_print_the_real_pages_forms() -> None:
    """Each prints the form its real page printed, and the truth is not given away elsewhere."""
    for seed in SEEDS:
        _, _, text, truth = _case("league-report", seed)
        assert truth.agency.endswith("行政公署")
        assert "人民政府" not in text.split("\n", 1)[0]
        _, _, text, truth = _case("tail-year", seed)
        assert f"政府信息公开工作{truth.year}年度报告" in text
        _, _, text, truth = _case("jiehe-township", seed)
        town = re.search("结合(?P<town>[^,。]{1,6}[镇乡])实际", text)
        assert town is not None
        assert truth.agency.endswith(town.group("town") + "人民政府")
        _, _, text, truth = _case("archive-office", seed)
        assert truth.agency + "办公室" in text
        assert truth.agency + "2" not in text
        _, _, text, truth = _case("index-publisher-field", seed)
        assert "发布机构: |\n" + truth.agency in text


def test_meta_classes_put_the_publisher_where_their_class_says() -> None:
    """The meta tag classes are HTML pages: their text names the bureau only as 我局 (meta-source-we, meta-title),
    without its region (meta-site-region) or in its title (meta-editor, meta-empty); the tags say the rest."""
    for seed in SEEDS:
        for cls in ("meta-source-we", "meta-title", "meta-site-region", "meta-editor", "meta-empty"):
            _, suffix, page, truth = _case(cls, seed)
            assert suffix == ".html"
            head, body = page.split("</head>", 1)
            assert "我局" in body
            named_in_body = f">{truth.agency}{truth.year}年" in body
            assert named_in_body == (cls in ("meta-editor", "meta-empty")), cls
            if cls == "meta-title":
                assert f'name="ArticleTitle" content="{truth.agency}' in head
            if cls == "meta-editor":
                assert re.search(r'name="ContentSource" content="[^"]*(?:政府办公室|人民政府)"', head)
            if cls == "meta-empty":  # every tag but the charset absent, empty or unfilled
                contents = re.findall(r'<meta name="[^"]+" content="([^"]*)"', head)
                assert all(not c.strip() or "${" in c or "&lt;" in c for c in contents)


def test_page_number_in_table_falls_between_two_figures() -> None:
    """The page's number is a line of its own inside section 3's table, with figures before and after it."""
    marker = re.compile(r"\n\n(?:-\s?\d+\s?-|— \d+ —|第 ?\d+ ?页(?: 共 \d+ 页)?|－\d+－)\n\n")
    for seed in SEEDS:
        _, _, text, _ = _case("page-number-in-table", seed)
        part3 = text[text.index("三、收到和处理") : text.index("四、政府信息公开行政复议")]
        m = marker.search(part3)
        assert m is not None, seed
        before, after = part3[: m.start()].rsplit("\n", 1)[-1], part3[m.end() :].split("\n", 1)[0]
        assert re.fullmatch(r"[\d.]+", before), (seed, before)
        assert after.strip(), (seed, after)
