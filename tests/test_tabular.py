"""Rows as text: widths in terminal cells, cutting to a width, and values of every kind."""

from __future__ import annotations

import datetime
import json

from pipelines.warehouse.tabular import (
    cell_text,
    display_width,
    format_json,
    format_table,
    interval_text,
    truncate,
)


def test_a_chinese_character_takes_two_cells() -> None:
    assert display_width("海东市") == 6
    assert display_width("abc") == 3
    assert display_width("（一）予以公开") == 14


def test_truncate_cuts_to_the_width_with_an_ellipsis() -> None:
    assert truncate("abcdefgh", 5) == "abcd…"
    assert truncate("abc", 5) == "abc"
    assert truncate("海东市生态环境局", 7) == "海东市…"
    assert display_width(truncate("海东市生态环境局", 7)) <= 7


def test_a_table_aligns_chinese_and_latin_text() -> None:
    table = format_table(["agency", "value"], [("海东市生态环境局", 8.0), ("x", None)])
    assert table.splitlines() == [
        "┌──────────────────┬───────┐",
        "│ agency           ┆ value │",
        "╞══════════════════╪═══════╡",
        "│ 海东市生态环境局 ┆ 8.0   │",
        "│ x                ┆ null  │",
        "└──────────────────┴───────┘",
    ]


def test_a_table_wider_than_the_terminal_narrows_its_widest_columns() -> None:
    sha = "a" * 64
    table = format_table(["agency", "source_sha256", "year"], [("海东市生态环境局", sha, 2023)], width=50)
    lines = table.splitlines()
    assert all(display_width(line) == 50 for line in lines)
    assert "2023" in lines[3]  # the narrow column is left whole
    assert sha not in table
    assert "…" in lines[3]


def test_values_print_as_an_analyst_reads_them() -> None:
    assert cell_text(None) == "null"
    assert cell_text(True) == "true"
    assert cell_text(0.143) == "0.143"
    assert cell_text(datetime.timedelta(days=1)) == "1 day"
    assert cell_text("two\nlines") == "two\\nlines"  # one table line per row


def test_json_keeps_lists_and_structs_and_prints_the_rest() -> None:
    rows = [([1, 2], {"a": 1}, datetime.date(2023, 1, 2), float("nan"))]
    assert json.loads(format_json(["l", "s", "d", "f"], rows)) == [
        {"l": [1, 2], "s": {"a": 1}, "d": "2023-01-02", "f": "nan"}
    ]


def test_an_interval_prints_as_duckdb_prints_it() -> None:
    assert interval_text(datetime.timedelta(days=2, hours=3)) == "2 days 03:00:00"
    assert interval_text(datetime.timedelta(seconds=1.5)) == "00:00:01.5"
    assert interval_text(datetime.timedelta(0)) == "00:00:00"
    assert interval_text(-datetime.timedelta(hours=1)) == "-01:00:00"


def test_columns_that_cannot_fit_are_left_out_from_the_middle_and_counted() -> None:
    columns = [f"column_{i:02d}" for i in range(30)]
    table = format_table(columns, [tuple(range(30))], width=80)
    *lines, note = table.splitlines()
    assert all(display_width(line) <= 80 for line in lines)
    header = [cell.strip() for cell in lines[1].strip("│").split("┆")]
    assert header[0] == "column_00"
    assert header[-1] == "column_29"
    assert "…" in header
    shown = len(header) - 1
    assert note == f"30 columns, {shown} shown (--full for all, or name fewer columns)"


def test_without_a_width_every_column_is_shown() -> None:
    columns = [f"column_{i:02d}" for i in range(30)]
    table = format_table(columns, [tuple(range(30))])
    assert all(c in table for c in columns)
    assert "shown" not in table
