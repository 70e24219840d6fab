"""Ten analyst questions (docs/analyst-questions.md): their SQL and real output.

.venv/bin/python -m docs.questions          # rewrite the outputs from the sample warehouse
(tests/test_docs.py runs every query and fails when a shown output is no longer true)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pipelines.warehouse.query import run_query
from pipelines.warehouse.tabular import format_table

DOC = Path(__file__).resolve().parent / "analyst-questions.md"
_BLOCK = re.compile(
    r"^### (?P<title>.+?)\n(?P<prose>.*?)```sql\n(?P<sql>.*?)```\n\n```text\n(?P<output>.*?)```", re.S | re.M
)


@dataclass(frozen=True)
class Question:
    title: str
    sql: str
    shown: str


def questions(text: str | None = None) -> list[Question]:
    text = DOC.read_text(encoding="utf-8") if text is None else text
    return [Question(m["title"], m["sql"].strip(), m["output"].rstrip("\n")) for m in _BLOCK.finditer(text)]


def answer(sql: str, warehouse: Path) -> str:
    result = run_query(sql, warehouse)
    return format_table(result.columns, result.rows)


def rewrite(warehouse: Path) -> None:
    text = DOC.read_text(encoding="utf-8")

    def fill(m: re.Match[str]) -> str:
        return m.group(0)[: m.start("output") - m.start(0)] + answer(m["sql"], warehouse) + "\n```"

    DOC.write_text(_BLOCK.sub(fill, text), encoding="utf-8")


if __name__ == "__main__":
    from pipelines.ingest.paths import DEFAULT_WAREHOUSE

    rewrite(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_WAREHOUSE)
