"""How the tables' cells are read where real pages print more than the table between its cells
(round 13, cells13): each case is a generated report (known truth) printed with and without it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipelines.template.labels import is_page_marker, section3_printed_order
from pipelines.template.report import parse_file
from tests.wild_text import _page_cell_blank, render_wild, wild_report


def _cells(path: Path) -> dict[object, float | None]:
    return {key: cell.value for key, cell in parse_file(path).cells.items()}


@pytest.mark.parametrize("marker", ["- 3 -", "— 4 —", "第 3 页 共 6 页", "第3页", "－5－"])
def test_a_page_number_between_a_rows_figures_is_no_cell(tmp_path: Path, marker: str) -> None:
    rng = random.Random(7)
    report = wild_report(rng)
    text = _page_cell_blank(report, rng).text()
    row = "一、本年新收政府信息公开申请数量\n\n"
    at = text.index(row) + len(row)
    second_figure = text.index("\n\n", text.index("\n\n", at) + 2) + 2  # after the row's first figure
    broken = text[:second_figure] + marker + "\n\n" + text[second_figure:]
    (tmp_path / "whole.txt").write_text(text, encoding="utf-8")
    (tmp_path / "broken.txt").write_text(broken, encoding="utf-8")
    assert _cells(tmp_path / "broken.txt") == _cells(tmp_path / "whole.txt")
    assert parse_file(tmp_path / "broken.txt").reading.value == "as_printed"


def test_a_bare_number_is_no_page_marker() -> None:
    """A lone 3 may be a figure: only the forms no table prints are page numbers."""
    assert [is_page_marker(t) for t in ("- 3 -", "—12—", "第 3 页", "第3页/共6页", "－3－")] == [True] * 5
    assert [is_page_marker(t) for t in ("3", "-3", "3/6", "第三页", "2023年", "—")] == [False] * 6


def _section4(path: Path) -> dict[tuple[str, str], float | None]:
    report = parse_file(path)
    return {(k.row_key, k.column_key): c.value for k, c in report.cells.items() if k.section == 4}


@pytest.mark.parametrize("cls", ["section4-transposed", "section4-outcome-lines"])
def test_section4_outcomes_printed_before_their_own_figures_are_read_by_proceeding(tmp_path: Path, cls: str) -> None:
    """The proceedings across the top and one row per outcome, or one outcome per line under each
    proceeding: each figure is read into its proceeding's and outcome's cell."""
    for seed in range(4):
        rng = random.Random(seed)
        suffix, data, truth = render_wild(cls, wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        want = {(k.row_key, k.column_key): v for k, v in truth.values.items() if k.section == 4}
        assert _section4(path) == want, seed


def test_section4_outcome_lines_with_one_outcome_lost_are_not_guessed(tmp_path: Path) -> None:
    """Where one proceeding's outcome line is missing, the cells are not placed by this reading:
    whatever is read is said (not as_printed) or left NULL, never a figure moved silently."""
    rng = random.Random(2)
    suffix, data, truth = render_wild("section4-outcome-lines", wild_report(rng), rng)
    text = data.decode("utf-8")
    part4 = text.index("复议后起诉")
    lost = text.index("结果纠正", part4)
    end = text.index("其他结果", lost)
    path = tmp_path / f"lost{suffix}"
    path.write_text(text[:lost] + text[end:], encoding="utf-8")
    report = parse_file(path)
    wrong = [
        k for k, c in report.cells.items() if k.section == 4 and c.value is not None and c.value != truth.values[k]
    ]
    assert not wrong or report.reading.value != "as_printed"


def test_a_lost_characters_mark_beside_a_figure_is_no_part_of_it() -> None:
    """A mirror prints `? 0` for `&nbsp;0` (a character its encoding lost): the figure is 0. A ? alone,
    or glued to the digits, is still no figure (unreadable, NULL)."""
    from models.vocab import ValueStatus
    from pipelines.template.labels import parse_cell

    for text, value in (
        ("? 0", 0.0),
        ("?? 12", 12.0),
        ("3 ?", 3.0),
        ("\uff1f 5", 5.0),
        ("\ufffd7", 7.0),
        ("? 1,234件", 1234.0),
    ):
        cell = parse_cell(text)
        assert cell is not None
        assert (cell.value, cell.status) == (value, ValueStatus.NUMBER), text
    for text in ("?", "??", "?0", "5?", "? ?"):
        cell = parse_cell(text)
        assert cell is not None
        assert (cell.value, cell.status) == (None, ValueStatus.UNREADABLE), text


def test_a_change_printed_as_a_pair_or_a_word_keeps_its_place_in_the_row(tmp_path: Path) -> None:
    """本年增/减 printed 0/0 reads 0; 3/1 or 增 alone is no figure (NULL, said) but still a cell: the
    row's 处理决定数量 after it is read in its own column, never shifted into 本年增/减 or lost."""
    for seed in range(6):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("change-pair-sign", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        for key, cell in report.cells.items():
            if key.section == 2:
                assert cell.value == truth.values.get(key), (seed, key, cell.raw_text)
        unknown = [k for k in report.cells if k.section == 2 and k not in truth.values]
        assert all(report.cells[k].status.value == "unreadable" for k in unknown)
        assert not unknown or report.reading.value == "unreadable_cells"


def test_a_pair_is_a_cell_in_a_row_and_a_page_number_alone() -> None:
    from pipelines.template.labels import holds_a_cell, parse_cell

    zero = parse_cell("0/0")
    assert zero is not None
    assert zero.value == 0.0
    assert parse_cell("3/12") is None  # alone on a line: a page number, text
    assert [holds_a_cell(t) for t in ("3/1", "增", "减少", "0/0")] == [True] * 4
    assert [holds_a_cell(t) for t in ("增3", "规章", "3", "本年增/减")] == [False] * 4


def test_a_rows_empty_cells_as_lone_bars_before_its_total_on_a_line_of_its_own(tmp_path: Path) -> None:
    """`一、本年新收… | 25 |`, four lone `|` lines, `| 25 |`: 25 is 自然人's and 总计's, the five cells
    between them empty (0); a label alone with six bars before `| 0 |` puts 0 in 总计."""
    from pipelines.formats.text import text_rows

    lines = ["一、本年新收政府信息公开申请数量 | 25 |", *["|"] * 4, "| 25 |"]
    lines += ["二、上年结转政府信息公开申请数量 |", *["|"] * 5, "| 0 |"]
    _, rows = text_rows("\n".join(lines) + "\n", "t.txt")
    assert [r.cells for r in rows] == [
        ("一、本年新收政府信息公开申请数量", "25", "", "", "", "", "", "25"),
        ("二、上年结转政府信息公开申请数量", "", "", "", "", "", "", "0"),
    ]
    for seed in range(4):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("bars-then-figures", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        assert {k: c.value for k, c in report.cells.items() if k.section == 3} == {
            k: v for k, v in truth.values.items() if k.section == 3
        }, seed


# Round 15 (cells15): the columns, rows and sentences real pages print around the template's cells.

_COLUMNS3 = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)


def _section3(path: Path) -> dict[tuple[str, str], float | None]:
    report = parse_file(path)
    return {(k.row_key, k.column_key): c.value for k, c in report.cells.items() if k.section == 3}


def test_section3_figures_are_read_in_the_column_order_the_header_prints(tmp_path: Path) -> None:
    """The five 法人或其他组织 columns shuffled: each figure goes to the column its header names (the
    template's order read them into the wrong columns, silently)."""
    for seed in range(6):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("section3-column-order", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        want = {(k.row_key, k.column_key): v for k, v in truth.values.items() if k.section == 3}
        assert _section3(path) == want, seed
        assert parse_file(path).reading.value == "as_printed", seed


@pytest.mark.parametrize(
    ("header", "order"),
    [
        ("申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他", None),
        ("自然人 法人或其他组织 总计 商业 企业 科研 机构 社会 公益 组织 法律服务机构 其他", None),
        # a PDF prints the group above 自然人 and 总计, centred beside the five; a page prints 总计 on
        # the 申请人情况 row: neither says where their figures stand
        ("法人或其他组织 自然人 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他", None),
        ("申请人情况 总计 自然人 法人或其他组织 商业企业 科研机构 社会公益组织 法律服务机构 其他", None),
        ("自然人 法人或其他组织 总计 商业 科研 公益组织 法律服务 其他", None),  # abbreviated: not named
        ("商业企业 科研机构 社会公益 法律服务 其他 组织 机构", None),  # wrapped past joining
        ("自然人 法人或其他组织 总计 科研 机构 商业企业 社会公益组织 其他 法律服务机构", (0, 2, 1, 3, 5, 4, 6)),
        ("总计 自然人 法人或其他组织 其他 商业企业 科研机构 社会公益组织 法律服务机构", (0, 5, 1, 2, 3, 4, 6)),
    ],
)
def test_section3_header_order_is_taken_only_where_it_names_the_five_legal_person_columns(
    header: str, order: object
) -> None:
    assert section3_printed_order(header.split(), _COLUMNS3) == order


def test_a_share_column_after_the_total_is_no_cell_and_is_said(tmp_path: Path) -> None:
    """占比 after 总计 (35%, 12.5%): the rows' seven cells as printed, the reading as printed (it was
    unresolved with nothing said), the share column named among the problems."""
    for seed in range(4):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("share-column", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        want = {(k.row_key, k.column_key): v for k, v in truth.values.items() if k.section == 3}
        assert _section3(path) == want, seed
        assert report.reading.value == "as_printed", seed
        assert any("share" in str(p) for p in report.problems), seed


def test_a_share_printed_where_a_count_belongs_stays_unreadable(tmp_path: Path) -> None:
    """Only shares after a row's seven figures are set aside: one in the row's place is no figure."""
    rng = random.Random(5)
    text = _page_cell_blank(wild_report(rng), rng).text()
    row = "二、上年结转政府信息公开申请数量\n\n"
    at = text.index(row) + len(row)
    end = text.index("\n\n", at)
    path = tmp_path / "share.txt"
    path.write_text(text[:at] + "35%" + text[end:], encoding="utf-8")
    report = parse_file(path)
    cell = next(c for k, c in report.cells.items() if (k.row_key, k.column_key) == ("carried_over", "natural_person"))
    assert cell.value is None
    assert not any("share" in str(p) for p in report.problems)


def test_section2_first_row_printed_without_its_label_is_read_as_regulations(tmp_path: Path) -> None:
    """汉台区's CMS prints 规章's cell empty: the figures between the header and 行政规范性文件 are
    规章's (they were missing), and the report says so."""
    for seed in range(4):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("unlabelled-first-row", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        for key, cell in report.cells.items():
            if key.section == 2:
                assert cell.value == truth.values.get(key), (seed, key)
        assert any("without its label" in str(p) for p in report.problems), seed


@pytest.mark.parametrize("printed", ["其他文件\n\n0\n\n0\n\n0", "  \n\n0\n\n0\n\n0\n\n0", "  \n\n说明\n\n0\n\n0\n\n0"])
def test_section2_figures_before_the_normative_row_are_regulations_only_under_the_header(
    tmp_path: Path, printed: str
) -> None:
    """Another label before them, more figures than the row has cells, or text between them and
    the header: 规章 stays missing (said), no figure taken."""
    rng = random.Random(2)
    suffix, data, _ = render_wild("unlabelled-first-row", wild_report(rng), rng)
    text = data.decode("utf-8")
    if suffix != ".txt" or "\n\n" not in text[text.index("二、主动公开") :][:40]:
        pytest.skip("seed 2 prints pipe rows")
    start = text.index("\n\n", text.index("现行有效件数") if "现行有效件数" in text else text.index("总数量")) + 2
    end = text.index("规范性文件", start)
    end = (
        text.rfind("\n\n", 0, end) + 2
        if "行政规范性文件" not in text[start : end + 5]
        else text.index("行政规范性文件", start)
    )
    path = tmp_path / "page.txt"
    path.write_text(text[:start] + printed + "\n\n" + text[end:], encoding="utf-8")
    report = parse_file(path)
    assert all(c.value is None for k, c in report.cells.items() if k.row_key == "regulations")
    assert not any("without its label" in str(p) for p in report.problems)


def test_one_figure_per_paragraph_is_never_cut_to_fill_a_row(tmp_path: Path) -> None:
    """A page printing one cell per paragraph, a row's last cell empty (a line of a space) and a
    figure of two digits before it (35 / +12 / ` `): +12 is one figure, not +1 | 2 (read so, often
    as printed: silently)."""
    for seed in range(6):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("short-row-apart", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        for key, cell in report.cells.items():
            if key.section == 2:
                assert cell.value == truth.values.get(key), (seed, key)


def test_cells_indented_by_a_pages_source_are_read_as_one_cell_per_line(tmp_path: Path) -> None:
    """A mirror keeps its HTML source's tabs (`\\t\\t\\t0  | `, lines of tabs between rows, a row's last
    bar on a line of its own): one cell per line, not tab-separated rows (the report was refused,
    or read without a figure)."""
    for seed in range(4):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("indented-cell-pipes", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        for key in truth.values:
            assert report.cells[key].value == truth.values[key], (seed, key)


def test_a_label_before_a_lone_bar_still_opens_its_row(tmp_path: Path) -> None:
    """Only a figure takes the lone bar after it as its own: a label there (行政规范性文件 / | / 0 |)
    still starts its row."""
    text = (
        "2022年某县统计局政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 |\n"
        "本年制发件数 |\n本年废止件数 |\n现行有效件数 | |\n规章 |\n0 |\n0 |\n0 | |\n行政规范性文件\n|\n2 |\n0 |\n5 | |\n"
        "第二十条第(五)项 |\n信息内容 |\n本年处理决定数量 | |\n行政许可 |\n7 | |\n三、收到和处理政府信息公开申请情况\n"
    )
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    cells = {(k.row_key, k.column_key): c.value for k, c in parse_file(path).cells.items() if k.section == 2}
    assert cells[("normative_documents", "issued")] == 2
    assert cells[("normative_documents", "in_force")] == 5
    assert cells[("administrative_licensing", "decisions")] == 7


def test_a_column_of_the_year_before_after_the_total_is_set_aside_and_said(tmp_path: Path) -> None:
    """上年同期 after 总计, named in the header: each row's eighth figure is no cell; the seven read
    as printed (pipe rows were unresolved with nothing said, one cell per line not read), said."""
    for seed in range(6):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("prior-year-column", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        report = parse_file(path)
        want = {(k.row_key, k.column_key): v for k, v in truth.values.items() if k.section == 3}
        assert _section3(path) == want, seed
        assert report.reading.value == "as_printed", seed
        assert any("year before" in str(p) for p in report.problems), seed


def test_a_row_printing_more_figures_than_cells_is_named_and_never_read_wrong(tmp_path: Path) -> None:
    """The same eighth figure under a header that names no such column (备注): the report is
    unresolved and a problem names each row, what it printed and what was set aside (it was
    unresolved with nothing said); the first seven, kept, are the printed ones."""
    rng = random.Random(0)
    suffix, data, truth = render_wild("prior-year-column", wild_report(rng), rng)
    text = data.decode()
    assert text.count("上年同期") == 1  # seed 0: pipe rows
    assert "| 自然人 |" in text
    path = tmp_path / f"note{suffix}"
    path.write_text(text.replace("上年同期", "备注"), encoding="utf-8")
    report = parse_file(path)
    said = " ".join(str(p) for p in report.problems)
    assert report.reading.value == "unresolved"
    assert "(new_requests): 8 figures printed for 7 cells (0 | 11 | 0 | 0 | 11 | 6 | 28 | 0)" in said
    assert "set aside: 0" in said
    assert "(carried_over): 8 figures" in said
    want = {(k.row_key, k.column_key): v for k, v in truth.values.items() if k.section == 3}
    assert _section3(path) == want


def test_headers_printed_a_character_a_line_keep_the_template_column_order(tmp_path: Path) -> None:
    """PDF-to-text prints a narrow column's header one character a line: the 其 / 他 of 法人或其他组织
    is no column 其他 (it was read first of the five, the figures shifted, silently)."""
    chars = [
        *"申请人情况",
        *"自然人",
        *"法人或其他组织",
        *"总计",
        "商业",
        "企业",
        "科研",
        "机构",
        "社会",
        "公益",
        "组织",
    ]
    assert section3_printed_order([*chars, "法律", "服务", "机构", "其", "他"], _COLUMNS3) is None
    wrapped = [
        "法人或",
        "其他",
        "组织",
        "总计",
        "其他",
        "商业",
        "企业",
        "科研",
        "机构",
        "社会",
        "公益",
        "组织",
        "法律",
        "服务",
        "机构",
    ]
    assert section3_printed_order(wrapped, _COLUMNS3) == (0, 5, 1, 2, 3, 4, 6)  # 其他 printed first of the five
    for seed in range(4):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("header-chars-per-line", wild_report(rng), rng)
        assert "法\n人\n或\n其\n他\n组\n织" in data.decode()
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        want = {(k.row_key, k.column_key): v for k, v in truth.values.items() if k.section == 3}
        assert _section3(path) == want, seed


def _section4(path: Path) -> dict[tuple[str, str], float | None]:
    report = parse_file(path)
    return {(k.row_key, k.column_key): c.value for k, c in report.cells.items() if k.section == 4}


def test_section4_printed_as_two_or_three_tables_is_read_whole(tmp_path: Path) -> None:
    """行政复议's five cells in one table and 行政诉讼's ten in another (or one table a proceeding): every
    cell in its place (only the last table was read, placed by the rules: ambiguous, wrong), said."""
    for seed in range(6):
        rng = random.Random(seed)
        suffix, data, truth = render_wild("section4-split-tables", wild_report(rng), rng)
        path = tmp_path / f"{seed}{suffix}"
        path.write_bytes(data)
        want = {(k.row_key, k.column_key): truth.values.get(k, 0.0) for k in truth.values if k.section == 4}
        assert _section4(path) == want, seed
        report = parse_file(path)
        assert report.reading.value == "as_printed", seed
        assert any("section 4 printed as" in str(p) for p in report.problems), seed


def test_section4_runs_are_joined_only_where_whole_proceedings_make_the_fifteen(tmp_path: Path) -> None:
    """Ten figures after a stray run of four: no proceeding is whole, nothing joined (the rules place
    the ten, as before)."""
    rng = random.Random(2)
    suffix, data, _ = render_wild("section4-split-tables", wild_report(rng), rng)
    text = data.decode()
    review = text.index("行政复议 |\n")
    row = text.index("\n", text.index("总计 |", review)) + 1
    cut = text.index("\n", row)
    figures = text[row:cut].split(" | ")
    path = tmp_path / f"stray{suffix}"
    path.write_text(text[:row] + " | ".join(figures[1:]) + text[cut:], encoding="utf-8")
    assert not any("section 4 printed as" in str(p) for p in parse_file(path).problems)
