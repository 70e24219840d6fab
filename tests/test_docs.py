"""The ten documented analyst questions run against the sample warehouse and print what the docs show."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from docs.questions import answer, questions
from pipelines.ingest.stage import build_warehouse
from pipelines.warehouse.query import check_query
from tests.conftest import SEED_DIR
from tests.generator import Damage, random_report, render

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


# The questions that count applications and decisions (the others list reports one by one).
COUNTING = [q for q in QUESTIONS if int(q.title.split(".")[0]) <= 7]


@pytest.mark.slow
def test_the_documented_counts_do_not_change_when_an_agency_publishes_a_second_report(tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw"
    shutil.copytree(SEED_DIR, raw)
    second = random_report(random.Random(11), template="2021", density=0.4)
    second.agency, second.year = "海东市生态环境局", 2023  # other figures than seed 004's
    (raw / "haidong-2023-second.txt").write_bytes(render(second, "text-tabs", Damage(), seed=1)[1])
    (tmp_path / "data" / "report_choice.csv").write_text(
        "agency,year,report\n海东市生态环境局,2023,004_d7a382633f0a3f3c.txt\n", encoding="utf-8"
    )
    warehouse = tmp_path / "xxgk.duckdb"
    build_warehouse(raw, warehouse)
    assert len(COUNTING) == 7
    for question in COUNTING:
        assert answer(question.sql, warehouse) == question.shown, question.title
