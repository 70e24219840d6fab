"""A full build streams the facts from the parse store to their files and keeps only the rows
derive reads (read_by_derive) and the cells counted per report (cell_counts): derive over those
gives the tables it gives over every fact."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import polars as pl
import pytest

from models.catalog import CellKey
from pipelines.ingest.parse_pool import parse_files
from pipelines.ingest.stage import build_warehouse
from pipelines.tables import derive as derive_module
from pipelines.tables.derive import (
    FactsOf,
    attachment_findings,
    cell_counts,
    choose_counted,
    combine_cell_counts,
    derive,
    derive_groups,
    derive_in_groups,
    duplicate_findings,
    read_by_derive,
)
from pipelines.tables.frames import CHOICE_SCHEMA, ReportFrames, rejected_frame, report_frames
from pipelines.warehouse.facts_store import BUCKETS, agency_hash, bucket_of
from tests.conftest import SEED_DIR
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


def _facts_of(facts: pl.DataFrame, reads: list[int] | None = None) -> FactsOf:
    """A reader of some reports' facts (as the build reads them from the files it wrote)."""

    def read(reports: pl.DataFrame) -> pl.DataFrame:
        if reads is not None:
            reads.append(reports.height)
        return facts.filter(pl.col("source_sha256").is_in(reports.get_column("source_sha256").implode()))

    return read


def test_derive_over_the_rows_it_reads_gives_the_tables_it_gives_over_every_fact(frames: ReportFrames) -> None:
    whole = derive(frames, rejected_frame([]))
    kept = frames.facts.filter(read_by_derive(frames.reports))
    part = derive(
        replace(frames, facts=kept),
        rejected_frame([]),
        cells=cell_counts(frames.facts),
        facts_of=_facts_of(frames.facts),
    )
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


def test_the_rows_derive_reads_leave_out_the_reports_of_an_agency_year_with_several(frames: ReportFrames) -> None:
    several = frames.reports.slice(3, 2).get_column("source_sha256")  # 杭州市交通运输局 2023, twice
    kept = frames.facts.filter(read_by_derive(frames.reports))
    of_several = frames.facts.filter(pl.col("source_sha256").is_in(several.implode()))
    assert of_several.height > 0
    assert kept.filter(pl.col("source_sha256").is_in(several.implode())).height < of_several.height / 5


def test_d1_compared_a_report_at_a_time_gives_what_it_gives_at_once(
    frames: ReportFrames, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = pl.concat([frames.reports, _second_reports(frames.reports)])
    facts = pl.concat([frames.facts, _second_facts(frames.facts)])
    whole = duplicate_findings(reports, facts)
    monkeypatch.setattr(derive_module, "D1_REPORTS", 1)
    reads: list[int] = []
    parts = duplicate_findings(reports, _facts_of(facts, reads))
    assert whole.height > 1
    assert parts.rows() == whole.rows()  # the same rows in the same order
    assert len(reads) == whole.height  # a read per report compared, of it and its counted report
    assert max(reads) == 2


def _second_reports(reports: pl.DataFrame) -> pl.DataFrame:
    """Each report again under another name and content, not counted: D1 on each."""
    return reports.with_columns(
        (pl.col("source_sha256").str.slice(0, 60) + "ffff").alias("source_sha256"),
        (pl.lit("copy-") + pl.col("source_file")).alias("source_file"),
        pl.lit(False).alias("counted"),
        pl.lit(None, dtype=pl.String).alias("announced_by"),
    )


def _second_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """Their facts, each figure one more (every printed cell differs)."""
    return facts.with_columns(
        (pl.col("source_sha256").str.slice(0, 60) + "ffff").alias("source_sha256"),
        (pl.lit("copy-") + pl.col("source_file")).alias("source_file"),
        (pl.col("value") + 1).alias("value"),
    )


def test_derive_a_group_of_agencies_at_a_time_gives_the_findings_and_quality_of_derive_at_once(
    frames: ReportFrames, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = derive(frames, rejected_frame([]))
    monkeypatch.setattr(derive_module, "GROUP_REPORTS", 2)  # 12 reports: 8 groups
    groups = derive_groups(frames.reports, agency_hash)
    assert groups.get_column("group").n_unique() > 2
    kept = frames.facts.filter(read_by_derive(frames.reports)).join(groups, on="source_sha256")
    parts = list(
        derive_in_groups(
            frames,
            groups,
            attachment_findings(frames.reports, frames.facts),
            lambda group: kept.filter(pl.col("group") == group).drop("group"),
            cell_counts(frames.facts),
            _facts_of(frames.facts),
        )
    )
    assert len(parts) == groups.get_column("group").n_unique()
    assert _rows(pl.concat([f for f, _ in parts])) == _rows(whole.findings)
    assert _rows(pl.concat([q for _, q in parts])) == _rows(whole.quality)


def test_an_agencys_reports_are_in_one_group_whatever_its_years(
    frames: ReportFrames, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(derive_module, "GROUP_REPORTS", 1)
    groups = derive_groups(frames.reports, agency_hash).join(frames.reports, on="source_sha256")
    per_agency = groups.group_by(pl.coalesce("given_agency", "agency")).agg(pl.col("group").n_unique())
    assert per_agency.get_column("group").max() == 1
    assert groups.get_column("group").n_unique() > 1


def _many_agencies(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_sha256": [f"{k:064x}" for k in range(n)],
            "agency": [f"局{k}" for k in range(n)],
            "given_agency": [None] * n,
        },
        schema={"source_sha256": pl.String, "agency": pl.String, "given_agency": pl.String},
    )


@pytest.mark.parametrize(("reports", "per_group", "groups"), [(12, 6, 2), (12, 3, 4), (400, 5, 128), (400, 100, 4)])
def test_a_groups_facts_are_whole_buckets_or_part_of_one_bucket_of_the_facts_files(
    frames: ReportFrames, monkeypatch: pytest.MonkeyPatch, reports: int, per_group: int, groups: int
) -> None:
    """So D1 reads a group's few files, not every file once per group: a power of two of groups
    against the 32 buckets, fewer groups than buckets or more."""
    monkeypatch.setattr(derive_module, "GROUP_REPORTS", per_group)
    rows = frames.reports if reports == frames.reports.height else _many_agencies(reports)
    keyed = derive_groups(rows, agency_hash).join(rows, on="source_sha256")
    assert keyed.get_column("group").max() < groups
    assert keyed.get_column("group").n_unique() > 1
    for agency, group in keyed.select("agency", "group").iter_rows():
        assert (group % BUCKETS == bucket_of(agency)) if groups >= BUCKETS else (bucket_of(agency) % groups == group)


@pytest.mark.parametrize("incremental", [False, True])
def test_a_derived_row_failing_its_model_is_kept_once_in_rejected_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, incremental: bool
) -> None:
    """A quality row that fails its model, derived a group at a time, is loaded once into
    rejected_rows (not once from its group's batch and again from the whole), in a full build and
    in an incremental one."""
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "xxgk.duckdb"
    shutil.copytree(SEED_DIR, raw)
    if incremental:
        build_warehouse(raw, warehouse, workers=1)
        shutil.copy(SEED_DIR / "003_288315dbaf6cd637.txt", raw / "003_again.txt")  # a second name: reached
        (raw / "003_288315dbaf6cd637.txt").unlink()
    derived = derive_module.quality_frame

    def failing(*args: object, **kwargs: object) -> pl.DataFrame:
        quality = derived(*args, **kwargs)  # type: ignore[arg-type]
        return quality.with_columns(pl.lit(-1, pl.Int32).alias("cells_missing"))  # ge=0: fails

    monkeypatch.setattr(derive_module, "quality_frame", failing)
    result = build_warehouse(raw, warehouse, workers=1)
    assert (result.staged.replaced is not None) == incremental
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("SELECT count(*), count(DISTINCT source_sha256) FROM rejected_rows WHERE table_name = 'quality'")
    failing_rows, reports = rows.fetchone() or (0, 0)
    con.close()
    assert failing_rows == reports > 0
