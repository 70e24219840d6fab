"""The ten documented analyst questions run against the sample warehouse and print what the docs show."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.questions import answer, questions
from pipelines.warehouse.query import check_query

QUESTIONS = questions()


def test_there_are_ten_documented_questions() -> None:
    assert len(QUESTIONS) == 10
    assert all(q.shown.strip() for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.title.split(".")[0] for q in QUESTIONS])
def test_the_documented_query_prints_what_the_docs_show(question, warehouse: Path) -> None:
    check_query(question.sql)  # the query is one that `xxgk query` accepts
    assert answer(question.sql, warehouse) == question.shown


def test_the_documented_answer_to_the_headline_question_is_the_seeds_truth() -> None:
    shown = next(q.shown for q in QUESTIONS if "不掌握" in q.title)
    # Seed 004 (海东市生态环境局) handled 7 applications, one refused as not held (hand-read).
    assert "海东市生态环境局 ┆ 2023 ┆ 1        ┆ 7" in shown
