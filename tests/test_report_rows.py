"""Parse workers send plain rows (frames.ReportRows); the parent frames many reports' rows at once.
The tables are the same as those built from every report at once, whatever the chunk framed."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest import parse_pool
from pipelines.ingest.parse_pool import parse_files, parse_new
from pipelines.ingest.raw_folder import scan_raw_folder
from pipelines.tables.frames import ReportFrames, ReportRows, report_frames, report_rows
from pipelines.tables.parse_store import store_beside
from tests.generator import Damage, random_report, render

FORMATS = ["text-tabs", "text-pipes", "html", "pdf-ruled", "docx"]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten generated reports in five formats, two with repairs or blank cells."""
    folder = tmp_path_factory.mktemp("raw")
    for k in range(10):
        rng = random.Random(k)
        suffix, data = render(
            random_report(rng), FORMATS[k % 5], Damage(blank_zero=k % 2 == 0, split_labels=k % 3 == 0), seed=k
        )
        (folder / f"r{k:02d}{suffix}").write_bytes(data)
    return folder


def _equal(a: ReportFrames, b: ReportFrames) -> None:
    for name, frame in a.frames().items():
        other = b.frames()[name]
        assert frame.schema == other.schema, name
        assert frame.equals(other, null_equal=True), name


def test_rows_gathered_report_by_report_frame_into_the_tables_of_all_reports_at_once(raw: Path) -> None:
    reports = parse_files(sorted(raw.iterdir())).reports
    assert len(reports) == 10
    gathered = ReportRows()
    for report in reports:
        gathered.extend(report_rows([report]))
    assert len(gathered) == 10
    whole = report_frames(reports)
    assert whole.facts.height == sum(len(r.cells) for r in reports)
    _equal(gathered.frames(), whole)


def test_the_store_holds_the_same_rows_whatever_the_chunk_the_parent_frames(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stored(warehouse: Path) -> ReportFrames:
        manifest = scan_raw_folder(raw, warehouse)
        parse_new(manifest, warehouse, workers=2)
        frames, rejected, _ = store_beside(warehouse).load(manifest)
        assert rejected.height == 0
        return ReportFrames(**{n: f.sort(pl.all()) for n, f in frames.frames().items()})

    whole = stored(tmp_path / "a" / "xxgk.duckdb")
    monkeypatch.setattr(parse_pool, "FRAME_CHUNK", 3)  # 3 + 3 + 1 of a batch of 7, then 3
    monkeypatch.setattr(parse_pool, "STORE_BATCH", 7)
    chunked = stored(tmp_path / "b" / "xxgk.duckdb")
    assert whole.reports.height == 10
    _equal(chunked, whole)
