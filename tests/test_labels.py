"""Printed cells and label variants map to numbers and canonical keys."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.template import labels
from pipelines.template.labels import nfkc, normalize, parse_cell, section2_row_key, section3_row_key


@pytest.mark.parametrize(
    ("text", "value", "status"),
    [
        ("0", 0.0, "number"),
        (" 12 ", 12.0, "number"),
        ("１２３", 123.0, "number"),  # full-width digits
        ("1,234", 1234.0, "number"),
        ("251000元", 251000.0, "number"),
        ("140万", 140.0, "number"),  # a money's 万 (its column decides: placement._reading)
        ("0.0125", 0.0125, "number"),
        ("-3", -3.0, "number"),
        ("", 0.0, "blank"),
        ("\u3000", 0.0, "blank"),
        ("—", 0.0, "other"),
        ("/", 0.0, "other"),
        ("无", 0.0, "other"),
        ("-", 0.0, "other"),
    ],
)
def test_figure_cells_are_read_as_numbers_with_how_they_were_printed(text: str, value: float, status: str) -> None:
    cell = parse_cell(text)
    assert cell is not None
    assert (cell.value, cell.status) == (value, status)


@pytest.mark.parametrize(
    "text",
    [
        "规章",
        "自然人",
        "1.属于国家秘密",
        "3.其他",
        "1.",
        "一",
        "- 3 -",
        "第3页",
        "2023年",
        "件",
        "（一）",
        "电话：0371-12345678",
        "0371-12345678",
    ],
)
def test_text_cells_are_not_figures(text: str) -> None:
    # Labels, enumerators printed in a cell of their own, page numbers and dates end a row's figures.
    assert parse_cell(text) is None


@pytest.mark.parametrize(
    "text",
    ["12a", "1e9", "0x10", "NaN", "(5)", "一百二十三", "五件", "零", "约5", "5%", "#VALUE!", "####", "…", "1,23"],
)
def test_text_printed_for_a_figure_is_unreadable_never_zero(text: str) -> None:
    cell = parse_cell(text)
    assert cell is not None
    assert (cell.value, cell.status) == (None, "unreadable")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("一、本年新收政府信息公开申请数量", "new_requests"),
        ("一、本年度新收到政府信息公开申请数量", "new_requests"),
        ("二、上年结转政府信息公开申请数量", "carried_over"),
        ("（一）予以公开", "granted"),
        ("(一) 予以公开", "granted"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
        ("2.其他法律行政法规禁止公开", "denied_prohibited_by_law"),
        ("2. 其他法律法规禁止公开", "denied_prohibited_by_law"),
        ('3.危及"三安全一稳定"', "denied_security_stability"),
        ("1. 本机关不掌握相关政府信息", "unavailable_not_held"),
        ("5.要求行政机关确认或重新出具已获取信息", "rejected_confirmation"),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_overdue_correction"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_unpaid_fee"),
        ("（六）其他处理", "other_handling"),
        ("(七) 总计", "total_handled"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("三、 本 年 度 办 理 结 果", None),
        ("（三）不 予 公 开", None),
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None),
    ],
)
def test_section3_label_variants_map_to_their_row(label: str, key: str | None) -> None:
    assert section3_row_key(label) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("规章", "regulations"),
        ("行政规范性文件", "normative_documents"),
        ("规范性文件", "normative_documents"),
        ("行政 许可", "administrative_licensing"),
        ("政府集中采购", "centralized_procurement"),
        ("行政许可证", None),
    ],
)
def test_section2_label_variants_map_to_their_row(label: str, key: str | None) -> None:
    assert section2_row_key(label) == key


# A report's characters, and those NFKC composes, reorders or decomposes around them: full-width
# forms before combining marks (U+FF45 + U+0301 is é), Hangul jamo, kana voicing marks,
# compatibility ideographs and ligatures.
_NFKC_CHARS = st.sampled_from(
    [
        *"年度报告中（），。：；“”《》、１２ａＡ①㈱ﬁ",
        *map(chr, [0xFF1F, 0xFF01, 0xFF45, 0x3000, 0x00A0, 0x09, 0x0A, 0x0D, *range(0x20, 0x7F)]),
        *map(chr, [0x0301, 0x0308, 0x0323, 0x0302, 0x3099, 0x304B, 0xFF76, 0xFF9E, 0x1100, 0x1161, 0x11A8, 0xAC00]),
        *map(chr, [0x212B, 0x2126, 0x0344, 0x0345, 0x0F73, 0x0B47, 0x0B3E, 0xF900, 0x1E9B]),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NFKC_CHARS, min_size=200, max_size=600).map("".join))
def test_nfkc_of_a_long_text_is_unicodedatas(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


# Every character str.isspace() or regex \s knows, quotes, and the full-width forms NFKC changes.
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace() or re.fullmatch(r"\s", chr(c))]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_NFKC_CHARS, st.sampled_from([*_SPACES, *"\"'“”‘’「」『』，．："])), max_size=600).map("".join)
)
def test_normalize_is_nfkc_without_whitespace_or_quotes(text: str) -> None:
    text_nfkc = unicodedata.normalize("NFKC", text).replace("，", ",").replace("．", ".").replace("：", ":")
    assert normalize(text) == re.sub(r"[\"'“”‘’「」『』]", "", re.sub(r"\s+", "", text_nfkc))


def test_normalize_keeps_no_whole_report_text() -> None:
    text = "本机关2023年度政府信息公开工作年度报告。" * 40
    assert normalize(text) == text
    assert text not in labels._NORMALIZED
    assert normalize("（一） 予以公开") == "(一)予以公开"
    assert "（一） 予以公开" in labels._NORMALIZED  # a label is kept
