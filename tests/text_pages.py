"""Helpers of the tests on real pages' layouts (tests/test_wild*_pages.py): a page's text written
where the parser reads it, and one cell's value of the parsed report."""

from __future__ import annotations

from pathlib import Path

from models.catalog import CellKey
from pipelines.template.report import ParsedReport


def write_page(tmp_path: Path, text: str) -> Path:
    """`text` as a UTF-8 text file in `tmp_path` (page.txt)."""
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return path


def cell_value(report: ParsedReport, section: int, table_key: str, row_key: str, column_key: str) -> float | None:
    """The value read for one cell of the template."""
    return report.cells[CellKey(section, table_key, row_key, column_key)].value
