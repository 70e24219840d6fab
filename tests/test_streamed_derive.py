"""A full build streams the facts from the parse store to their files and keeps only the rows
derive reads (read_by_derive) and the cells counted per report (cell_counts): derive over those
gives the tables it gives over every fact."""

from __future__ import annotations

import random
from dataclasses import replace

import polars as pl
import pytest

from models.catalog import CellKey
from pipelines.ingest.parse_pool import parse_files
from pipelines.tables.derive import cell_counts, choose_counted, combine_cell_counts, derive, read_by_derive
from pipelines.tables.frames import CHOICE_SCHEMA, ReportFrames, rejected_frame, report_frames
from tests.generator import Damage, random_report, render

CARRIED_OVER = CellKey(3, "requests", "carried_over", "total")
CARRIED_FORWARD = CellKey(3, "requests", "carried_forward", "total")


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> ReportFrames:
    """Reports with every kind of look across reports: one agency over three years whose 2022
    carries over a figure 2021 did not carry forward (C6), a jump (YOY), two reports of one
    agency-year that differ (D1), a page and its attachment that differ (A1), and others alone."""
    raw = tmp_path_factory.mktemp("raw")
    truths = []
    for k, (agency, year) in enumerate(
        [
            ("海东市生态环境局", 2021),
            ("海东市生态环境局", 2022),
            ("海东市生态环境局", 2023),
            ("杭州市交通运输局", 2023),
            ("杭州市交通运输局", 2023),  # a second report of the agency-year (D1)
            ("成都市公安局", 2022),  # the page
            ("成都市公安局", 2022),  # its attachment (A1)
            *((f"忻州市生态环境局第{n}分局", 2023) for n in "一二三四五"),
        ]
    ):
        truth = random_report(random.Random(100 + k), template="2021", density=0.6)
        truth.agency, truth.year = agency, year
        truths.append(truth)
    truths[1].values[CARRIED_OVER] = truths[0].values.get(CARRIED_FORWARD, 0) + 3
    truths[2].values[CellKey(3, "requests", "new_requests", "total")] = 5000
    paths = []
    for k, truth in enumerate(truths):
        path = raw / f"r{k:02d}.txt"
        path.write_bytes(render(truth, "text-tabs", Damage(), seed=k)[1])
        paths.append(path)
    batch = parse_files(paths)
    assert not batch.rejected
    parsed = report_frames(batch.reports)
    page, attachment = parsed.reports.get_column("source_sha256")[5], parsed.reports.get_column("source_sha256")[6]
    reports = parsed.reports.with_columns(
        pl.when(pl.col("source_sha256") == attachment).then(pl.lit(page)).otherwise(None).alias("announced_by")
    )
    counted, _ = choose_counted(reports, pl.DataFrame(schema=CHOICE_SCHEMA))
    return replace(parsed, reports=counted)


def _rows(frame: pl.DataFrame) -> list[tuple]:
    return sorted(frame.rows(), key=repr)


def test_derive_over_the_rows_it_reads_gives_the_tables_it_gives_over_every_fact(frames: ReportFrames) -> None:
    whole = derive(frames, rejected_frame([]))
    kept = frames.facts.filter(read_by_derive(frames.reports))
    part = derive(replace(frames, facts=kept), rejected_frame([]), cells=cell_counts(frames.facts))
    assert {"C6", "YOY", "D1", "A1"} <= set(whole.findings.get_column("rule"))
    assert _rows(part.findings) == _rows(whole.findings)
    assert _rows(part.quality) == _rows(whole.quality)
    assert _rows(part.dim_agency) == _rows(whole.dim_agency)


def test_the_rows_derive_reads_are_a_small_part_of_the_facts_of_reports_alone(frames: ReportFrames) -> None:
    alone = frames.reports.slice(7).get_column("source_sha256")  # one report an agency-year, no link
    facts = frames.facts.filter(pl.col("source_sha256").is_in(alone.implode()))
    kept = facts.filter(read_by_derive(frames.reports))
    assert 0 < kept.height < facts.height / 5


def test_cell_counts_of_batches_add_up_to_the_counts_of_all_the_facts(frames: ReportFrames) -> None:
    facts = frames.facts.sample(fraction=1.0, shuffle=True, seed=3)
    batches = [facts.slice(i, 150) for i in range(0, facts.height, 150)]
    combined = combine_cell_counts([cell_counts(b) for b in batches])
    assert _rows(combined.cast(cell_counts(facts).schema)) == _rows(cell_counts(facts))
