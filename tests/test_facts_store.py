"""The facts live as Hive-partitioned Parquet beside the warehouse file (year=…/bucket=…/), read
through the view `facts` of the DuckDB file: every engine reads the folder, a nightly change
rewrites only the files of the partitions it touches, under new names, and the folder holds
exactly the files the published warehouse names once a build is over, killed or not; a file it
superseded stays readable by its hidden name for a while, for queries on the older warehouse."""

from __future__ import annotations

import collections
import math
import random
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pytest

from pipelines.ingest.lock import hold_warehouse
from pipelines.ingest.stage import build_warehouse
from pipelines.tables.frames import FACT_SCHEMA
from pipelines.warehouse import facts_store
from pipelines.warehouse.facts_paths import facts_dir, pinned_dir
from pipelines.warehouse.limits import Limits
from pipelines.warehouse.query import connect_for_query, run_query
from tests.conftest import SEED_DIR
from tests.generator import Damage, random_report, render


def _files(warehouse: Path) -> dict[str, bytes]:
    """The folder as its readers see it: hidden files (the view's names, retired files) skipped."""
    root = facts_dir(warehouse)
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _listed(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT year, bucket, file, rows FROM facts_files ORDER BY file").fetchall()
    finally:
        con.close()


def _report(raw: Path, name: str, seed: int, agency: str, year: int) -> None:
    truth = random_report(random.Random(seed))
    truth.agency, truth.year = agency, year
    (raw / f"{name}.txt").write_bytes(render(truth, "text-tabs", Damage(), seed=seed)[1])


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(SEED_DIR, target)
    for k, year in enumerate((2021, 2022)):
        _report(target, f"hz{year}", 80 + k, "杭州市交通运输局", year)
    return target


@pytest.fixture
def built(raw: Path, tmp_path: Path) -> Path:
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    build_warehouse(raw, warehouse, workers=1)
    return warehouse


def test_the_facts_are_one_parquet_file_per_year_and_agency_bucket_beside_the_warehouse(built: Path) -> None:
    files = _files(built)
    listed = _listed(built)
    assert sorted(files) == sorted(f for _, _, f, _ in listed)  # the folder holds exactly the files named
    for year, bucket, file, _ in listed:
        assert file.startswith(f"year={year}/bucket={bucket}/facts-")
        assert file.endswith(".parquet")
    con = duckdb.connect(str(built), read_only=True)
    try:
        partitions = con.execute("SELECT DISTINCT year, agency FROM facts").fetchall()
        view_rows = sorted(con.execute("SELECT * FROM facts").fetchall(), key=repr)
        kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'facts'").fetchall()
        assert kind == [("VIEW",)]
    finally:
        con.close()
    assert {(y, b) for y, b, _, _ in listed} == {(y, facts_store.bucket_of(a)) for y, a in partitions}
    assert sum(n for *_, n in listed) == len(view_rows) == 7 * 200 - 14
    # The folder read whole by other engines: the same rows, `year` an integer from the folder names.
    columns = ", ".join(c for c in FACT_SCHEMA)
    folder = duckdb.sql(
        f"SELECT {columns} FROM read_parquet('{facts_dir(built)}/**/*.parquet', hive_partitioning = true)"
    )
    assert sorted(folder.fetchall(), key=repr) == view_rows
    by_polars = pl.read_parquet(facts_dir(built), hive_partitioning=True)
    assert sorted(by_polars.select(list(FACT_SCHEMA)).rows(), key=repr) == view_rows
    assert by_polars.schema["year"].is_integer()


def test_a_changed_report_rewrites_only_its_partitions_files_under_new_names(raw: Path, built: Path) -> None:
    before = _files(built)
    _report(raw, "hz2022", 90, "杭州市交通运输局", 2022)  # the same file, new figures
    result = build_warehouse(raw, built, workers=1)
    assert result.staged.agencies == ["杭州市交通运输局"]  # its two years replaced, no other agency
    after = _files(built)
    # Only the changed report's partition: its agency's 2021 report, derived again, has the same facts.
    hz = {f"year=2022/bucket={facts_store.bucket_of('杭州市交通运输局')}"}
    rewritten = {f for f in before if f not in after}
    written = {f for f in after if f not in before}
    assert {f.rsplit("/", 1)[0] for f in rewritten} == {f.rsplit("/", 1)[0] for f in written} == hz
    assert all(after[f] == before[f] for f in after if f in before)  # every other file untouched
    assert sorted(after) == sorted(f for _, _, f, _ in _listed(built))
    con = duckdb.connect(str(built), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT source_sha256) FROM facts").fetchall() == [(7,)]
    finally:
        con.close()


def test_files_a_killed_build_left_are_removed_at_the_next_start(built: Path) -> None:
    before = _files(built)
    root = facts_dir(built)
    hidden = pinned_dir(root) / "year=2023" / "bucket=3" / "facts-deadbeef.parquet"  # written, never published
    unpublished = root / "year=2030" / "bucket=1" / "facts-deadbeef.parquet"  # linked, not published
    for leftover in (hidden, unpublished):
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_bytes(b"PAR1")
    with hold_warehouse(built) as held:
        assert {hidden, unpublished} <= set(held.removed)
    assert _files(built) == before
    assert not (root / "year=2030").exists()


def test_a_query_on_a_warehouse_a_build_has_since_replaced_still_reads_all_its_facts(raw: Path, built: Path) -> None:
    reader = duckdb.connect(str(built), read_only=True)  # an analyst's session, opened before the night
    try:
        # Exact decimals: a float sum's last digit depends on the order DuckDB's threads add in.
        totals = "SELECT sum(value::DECIMAL(38, 6)), count(*) FROM facts"
        before = reader.execute(totals).fetchall()
        _report(raw, "hz2022", 90, "杭州市交通运输局", 2022)
        build_warehouse(raw, built, workers=1)  # publishes, and supersedes one of the files it reads
        assert reader.execute(totals).fetchall() == before
    finally:
        reader.close()


def test_a_superseded_file_leaves_the_folder_at_once_and_the_disk_after_its_retention(raw: Path, built: Path) -> None:
    root = facts_dir(built)
    before = set(_files(built))
    _report(raw, "hz2022", 90, "杭州市交通运输局", 2022)
    build_warehouse(raw, built, workers=1)
    superseded = before - set(_files(built))
    assert len(superseded) == 1  # the changed report's partition (its agency's other year keeps its file)
    assert sorted(_files(built)) == sorted(f for _, _, f, _ in _listed(built))  # readers of the folder
    pinned = [pinned_dir(root) / file for file in superseded]
    assert all(p.is_file() for p in pinned)  # still there for the older warehouse's view
    assert facts_store.sweep(built) == []  # within the retention nothing goes
    assert set(pinned) <= set(facts_store.sweep(built, retain_seconds=0))
    assert not any(p.exists() for p in pinned)
    assert not list(pinned_dir(root).rglob(".retired-*"))
    with hold_warehouse(built) as held:
        assert held.removed == []
    assert run_query("SELECT count(*) FROM facts", built).rows == [(1386,)]


def test_a_sweep_follows_the_warehouse_file_published_now_not_one_it_read_before(raw: Path, built: Path) -> None:
    # A sweep reuses the list of files of the published file it last read while that file is the
    # same (device, inode, size, mtime): put another warehouse file in its place and it reads that.
    older = built.with_name("older.duckdb")
    shutil.copy2(built, older)
    older_files = {f for _, _, f, _ in _listed(built)}
    _report(raw, "hz2022", 90, "杭州市交通运输局", 2022)
    build_warehouse(raw, built, workers=1)  # its publish and its lock's release swept (and listed) the new file
    newer_only = set(_files(built)) - older_files
    assert newer_only  # the changed report's partition, under a new name
    older.replace(built)  # the older warehouse published again (another file at the same path)
    removed = {str(p.relative_to(facts_dir(built))) for p in facts_store.sweep(built)}
    assert newer_only <= removed  # not named by the file published now: gone from the folder
    assert set(_files(built)) <= older_files


def test_the_query_connection_reads_the_facts_files_and_no_other_file(built: Path) -> None:
    assert run_query("SELECT count(*) FROM facts", built).rows == [(1386,)]
    stray = facts_dir(built) / "year=2023" / "stray.parquet"
    pl.DataFrame({"x": [1]}).write_parquet(stray)
    con = connect_for_query(built, Limits())
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_parquet('{stray}')").fetchall()
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_parquet('{facts_dir(built)}/**/*.parquet')").fetchall()
    finally:
        con.close()


def _facts(rows: list[tuple[str | None, int | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "agency": agency,
                "year": year,
                "template": "2021",
                "section": 3,
                "table_key": "requests",
                "row_key": "new_requests",
                "column_key": "total",
                "value": 1.0,
                "raw_text": "1",
                "value_status": "number",
                "ocr_confidence": None,
                "source_file": f"{sha[:4]}.txt",
                "source_sha256": sha,
            }
            for agency, year, sha in rows
        ],
        schema=FACT_SCHEMA,
    )


def test_rows_without_a_year_or_agency_go_to_hives_null_partition_and_read_back_as_null(tmp_path: Path) -> None:
    root = tmp_path / "x.facts"
    rows = [(None, None, "a" * 64), ("海东市生态环境局", None, "b" * 64), (None, 2023, "c" * 64)]
    files = facts_store.write_partitions(root, "t1", [], _facts(rows))
    assert {f.file.rsplit("/", 1)[0] for f in files} == {
        f"year=__HIVE_DEFAULT_PARTITION__/bucket={facts_store.bucket_of(None)}",
        f"year=__HIVE_DEFAULT_PARTITION__/bucket={facts_store.bucket_of('海东市生态环境局')}",
        f"year=2023/bucket={facts_store.bucket_of(None)}",
    }
    for f in files:  # published: linked into the folder readers see
        (root / f.file).parent.mkdir(parents=True, exist_ok=True)
        (root / f.file).hardlink_to(pinned_dir(root) / f.file)
    con = duckdb.connect()
    con.execute(facts_store.view_sql([pinned_dir(root) / f.file for f in files]))
    assert sorted(con.execute("SELECT agency, year, source_sha256 FROM facts").fetchall(), key=repr) == sorted(
        rows, key=repr
    )
    assert con.execute("SELECT typeof(year) FROM facts LIMIT 1").fetchall() == [("INTEGER",)]
    by_arrow = ds.dataset(root, format="parquet", partitioning="hive").to_table().to_pylist()
    assert sorted(((r["agency"], r["year"], r["source_sha256"]) for r in by_arrow), key=repr) == sorted(rows, key=repr)
    by_polars = pl.read_parquet(root, hive_partitioning=True)
    assert sorted(by_polars.select("agency", "year", "source_sha256").rows(), key=repr) == sorted(rows, key=repr)


@pytest.mark.parametrize("given", ["the table's types", "other types and order"])
def test_a_partitions_file_has_the_files_columns_and_types_sorted_whatever_the_rows_given(
    tmp_path: Path, given: str
) -> None:
    shas = [f"{k:064x}" for k in (5, 3, 9, 1)]
    rows = _facts([("海东市生态环境局", 2023, sha) for sha in shas])
    if given != "the table's types":  # wider types, columns reversed
        rows = rows.with_columns(pl.col("section").cast(pl.Int64), pl.col("year").cast(pl.Int64))
        rows = rows.select(list(reversed(rows.columns)))
    (written,) = facts_store.write_partitions(tmp_path / "x.facts", "t1", [], rows)
    back = pl.read_parquet(pinned_dir(tmp_path / "x.facts") / written.file, hive_partitioning=False)
    assert back.schema == facts_store.FILE_SCHEMA
    assert back.get_column("source_sha256").to_list() == sorted(shas)


def test_with_no_facts_the_view_has_the_columns_and_no_rows() -> None:
    con = duckdb.connect()
    con.execute(facts_store.view_sql([]))
    assert con.execute("SELECT count(*) FROM facts").fetchall() == [(0,)]
    described = con.execute("DESCRIBE facts").fetchall()
    assert [(c[0], c[1]) for c in described][:3] == [
        ("agency", "VARCHAR"),
        ("year", "INTEGER"),
        ("template", "VARCHAR"),
    ]
    assert len(described) == len(FACT_SCHEMA)


def test_an_agencys_bucket_is_the_same_in_every_process_and_version() -> None:
    # SHA-256 of the name, its first 4 bytes big-endian, modulo 32 (README, "Where the data lives").
    assert facts_store.bucket_of("海东市生态环境局") == 30
    assert facts_store.bucket_of(None) == facts_store.bucket_of("") == 2


@pytest.mark.parametrize("in_memory_rows", [0, 30, facts_store.IN_MEMORY_FACTS])
def test_facts_written_batch_by_batch_are_the_files_written_at_once(tmp_path: Path, in_memory_rows: int) -> None:
    """Through the scratch streams (past in_memory_rows, from the first batch or a later one) or held."""
    agencies = ["海东市生态环境局", "杭州市交通运输局", None, "成都市公安局交通管理局第一分局"]
    rows = [(agencies[k % 4], (2021, 2022, None)[k % 3], f"{k:064x}") for k in range(24)]
    facts = pl.concat([_facts([row]).with_columns(pl.lit(f"r{k}").alias("row_key")) for k in range(3) for row in rows])
    at_once = facts_store.write_partitions(tmp_path / "a", "t1", [], facts)
    # Batches that split reports' rows between them, in another order.
    shuffled = facts.sample(fraction=1.0, shuffle=True, seed=7)
    batches = (shuffled.slice(i, 10) for i in range(0, 72, 10))
    streamed = facts_store.write_streamed(tmp_path / "b", "t1", batches, in_memory_rows=in_memory_rows)
    assert streamed == at_once
    for f in at_once:
        written = pl.read_parquet(pinned_dir(tmp_path / "b") / f.file, hive_partitioning=False)
        assert written.equals(pl.read_parquet(pinned_dir(tmp_path / "a") / f.file, hive_partitioning=False))
    assert not list(pinned_dir(tmp_path / "b").glob(".spill-*")), "the scratch streams are removed"


def test_the_parse_stores_fact_batches_are_its_facts(built: Path) -> None:
    from pipelines.tables.parse_store import store_beside

    con = duckdb.connect(str(built), read_only=True)
    try:
        current = con.sql("SELECT source_file, source_sha256 FROM reports").pl()
    finally:
        con.close()
    store = store_beside(built)
    frames, _, _ = store.load(current)
    batches = list(store.fact_batches(current, rows=100))
    assert len(batches) > 1
    key = ["source_sha256", "table_key", "row_key", "column_key"]
    assert pl.concat(batches).sort(key).equals(frames.facts.sort(key))


# --- a partition's base and delta -----------------------------------------------------------------

_HD = "海东市生态环境局"


def _sha(k: int) -> str:
    return f"{k:064x}"


def _night(root: Path, token: str, current: list[facts_store.FactsFile], new: range = range(0), drop: range = range(0)):
    """A night in the partition (2023, 海东's bucket): reports `new` added, `drop` removed."""
    return facts_store.write_partitions(
        root,
        token,
        current,
        _facts([(_HD, 2023, _sha(k)) for k in new]),
        drop=[_sha(k) for k in drop],
        touched={(2023, facts_store.bucket_of(_HD))} if len(drop) else set(),
    )


def _shas(root: Path, f: facts_store.FactsFile) -> list[str]:
    return sorted(pl.read_parquet(pinned_dir(root) / f.file).get_column("source_sha256").to_list())


def _bytes(root: Path, files: list[facts_store.FactsFile]) -> dict[str, bytes]:
    return {f.file: (pinned_dir(root) / f.file).read_bytes() for f in files}


@pytest.fixture
def base(tmp_path: Path) -> list[facts_store.FactsFile]:
    """A partition of 32 reports (a row each) in its base, and another partition's file."""
    rows = [(_HD, 2023, _sha(k)) for k in range(32)] + [(_HD, 2022, _sha(100))]
    return facts_store.write_partitions(tmp_path, "full", [], _facts(rows))


def test_a_nights_new_reports_go_to_the_partitions_delta_and_leave_its_base_as_it_is(
    tmp_path: Path, base: list[facts_store.FactsFile]
) -> None:
    before = _bytes(tmp_path, base)
    night1 = _night(tmp_path, "n1", base, new=range(32, 33))
    assert [f.file for f in night1 if not f.delta] == [f.file for f in base]  # the bases, the same files
    assert _bytes(tmp_path, [f for f in night1 if not f.delta]) == before  # not written again
    (delta,) = [f for f in night1 if f.delta]
    assert delta.file == f"year=2023/bucket={facts_store.bucket_of(_HD)}/facts-n1-delta.parquet"
    assert _shas(tmp_path, delta) == [_sha(32)]
    assert delta.rows == 1
    # The next night rewrites the delta (its rows and the new ones), never the base.
    night2 = _night(tmp_path, "n2", night1, new=range(33, 34))
    (delta2,) = [f for f in night2 if f.delta]
    assert _shas(tmp_path, delta2) == [_sha(32), _sha(33)]
    assert delta2.file.endswith("facts-n2-delta.parquet")
    assert _bytes(tmp_path, [f for f in night2 if not f.delta]) == before


def test_the_delta_is_folded_into_a_new_base_once_it_holds_its_bases_fold_share(
    tmp_path: Path, base: list[facts_store.FactsFile]
) -> None:
    (base_2023,) = [f for f in base if f.year == 2023]
    share = facts_store.fold_share(base_2023, facts_store.FOLD_FRACTION)
    assert facts_store.FOLD_FRACTION / 2 <= share < facts_store.FOLD_FRACTION * 3 / 2
    fold_at = math.ceil(share * base_2023.rows)  # 2 to 6 rows against 32
    night1 = _night(tmp_path, "n1", base, new=range(32, 32 + fold_at - 1))  # a row short: a delta
    assert [f.rows for f in night1 if f.delta] == [fold_at - 1]
    night2 = _night(tmp_path, "n2", night1, new=range(32 + fold_at - 1, 32 + fold_at))  # its share: folded
    assert not any(f.delta for f in night2)
    (folded,) = [f for f in night2 if f.year == 2023]
    assert folded.file.endswith("facts-n2.parquet")
    assert folded.rows == 32 + fold_at
    assert _shas(tmp_path, folded) == [_sha(k) for k in range(32 + fold_at)]
    # With a fold fraction of 0 (the layout before deltas) every night writes the partition whole.
    whole = facts_store.write_partitions(tmp_path, "n3", base, _facts([(_HD, 2023, _sha(32))]), fold_fraction=0)
    assert [(f.file, f.rows) for f in whole if f.year == 2023] == [
        (f"year=2023/bucket={facts_store.bucket_of(_HD)}/facts-n3.parquet", 33)
    ]


def test_partitions_a_full_build_wrote_fold_on_different_nights() -> None:
    # 256 partitions' bases of one build, 80,000 rows each, each getting 1% of its rows a night
    # (a 1%-new night at 100,000 reports): the night each folds is its share over 1%.
    bases = [
        facts_store.FactsFile(year, bucket, f"{facts_store.partition_dir(year, bucket)}/facts-full.parquet", 80_000)
        for year in range(2016, 2024)
        for bucket in range(facts_store.BUCKETS)
    ]
    shares = [facts_store.fold_share(f, facts_store.FOLD_FRACTION) for f in bases]
    assert all(1 / 16 <= s < 3 / 16 for s in shares)
    assert abs(sum(shares) / len(shares) - facts_store.FOLD_FRACTION) < 0.01  # the mean as before
    fold_nights = collections.Counter(math.ceil(s * 80_000 / 800) for s in shares)
    assert len(fold_nights) >= 12  # nights 7 to 19, against every partition on night 13
    assert max(fold_nights.values()) <= len(bases) / 8
    # A fold draws again: the new base (another build's file) folds at its own share.
    assert len({facts_store.fold_share(replace(bases[0], file=f"x/facts-n{k}.parquet"), 1 / 8) for k in range(5)}) == 5
    # 0 still folds every night (one file a partition).
    assert {facts_store.fold_share(f, 0.0) for f in bases} == {0.0}


def test_removing_a_report_rewrites_only_the_file_that_holds_its_rows(
    tmp_path: Path, base: list[facts_store.FactsFile]
) -> None:
    night1 = _night(tmp_path, "n1", base, new=range(32, 33))
    bases = _bytes(tmp_path, [f for f in night1 if not f.delta])
    # A report of the delta: the delta goes (no row left in it), every base stays.
    removed = _night(tmp_path, "n2", night1, drop=range(32, 33))
    assert [f.file for f in removed] == [f.file for f in base]
    assert _bytes(tmp_path, removed) == bases
    # A report of the base: the base is written again (the delta's rows folded into it); the
    # other partition's file is not.
    replaced = _night(tmp_path, "n3", night1, drop=range(3, 4))
    (partition,) = [f for f in replaced if f.year == 2023]
    assert partition.file.endswith("facts-n3.parquet")
    assert not partition.delta
    assert _shas(tmp_path, partition) == [_sha(k) for k in range(33) if k != 3]
    other = [f for f in replaced if f.year == 2022]
    assert _bytes(tmp_path, other) == {f.file: bases[f.file] for f in other}
    # A report with no row in either file (touched, but elsewhere): nothing is written.
    assert _night(tmp_path, "n4", night1, drop=range(50, 51)) == night1


def test_a_reader_during_a_night_sees_the_warehouse_before_it_or_after_it_never_half(
    raw: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facts_store, "FOLD_FRACTION", 100.0)  # seven small reports: keep a delta
    totals = "SELECT sum(value::DECIMAL(38, 6)), count(*), count(DISTINCT source_sha256) FROM facts"

    def read(warehouse: Path) -> list[tuple]:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute(totals).fetchall()
        finally:
            con.close()

    before = read(built)
    opened = duckdb.connect(str(built), read_only=True)  # a session open across the night
    seen_while_publishing: list[list[tuple]] = []
    publish_files = facts_store.publish_files

    def publishing(files: list[facts_store.FactsFile], warehouse: Path, token: str) -> list[facts_store.FactsFile]:
        seen_while_publishing.append(read(warehouse))  # the night's files written, not yet published
        files = publish_files(files, warehouse, token)
        seen_while_publishing.append(read(warehouse))  # linked into the folder, the file not yet renamed
        return files

    monkeypatch.setattr(facts_store, "publish_files", publishing)
    try:
        # A second report of 杭州's 2022 (another name, other figures): its rows go to the delta.
        _report(raw, "hz2022b", 91, "杭州市交通运输局", 2022)
        build_warehouse(raw, built, workers=1)
        assert opened.execute(totals).fetchall() == before
    finally:
        opened.close()
    assert seen_while_publishing == [before, before]
    after = read(built)
    assert after[0][2] == before[0][2] + 1
    assert after[0][1] > before[0][1]
    assert any(f[2].endswith("-delta.parquet") for f in _listed(built))
    assert sorted(_files(built)) == sorted(f for _, _, f, _ in _listed(built))


def test_the_parse_stores_fact_batches_of_a_few_reports_are_their_facts_only(built: Path) -> None:
    """A night asks the store for a few reports' facts (the filter pushed into the Parquet
    reader): it gets exactly theirs, as `load` reads them, and none of the other reports'."""
    from pipelines.tables.parse_store import store_beside

    con = duckdb.connect(str(built), read_only=True)
    try:
        current = con.sql("SELECT source_file, source_sha256 FROM reports ORDER BY source_file").pl()
    finally:
        con.close()
    store = store_beside(built)
    wanted = current.slice(1, 2)
    batches = list(store.fact_batches(wanted, rows=100))
    key = ["source_sha256", "table_key", "row_key", "column_key"]
    got = pl.concat(batches).sort(key)
    assert set(got.get_column("source_sha256")) == set(wanted.get_column("source_sha256"))
    assert got.equals(store.load(wanted)[0].facts.sort(key))
    assert got.equals(
        store.load(current)[0].facts.filter(pl.col("source_sha256").is_in(wanted["source_sha256"].implode())).sort(key)
    )


def test_the_parse_stores_fact_batches_gather_the_segments_rows(tmp_path: Path) -> None:
    """Reports stored in several segments come in one batch when they fit (a night's reports are
    spread over every segment), in batches of at most `rows` rows otherwise, with the same rows."""
    from pipelines.ingest.parse_pool import parse_files
    from pipelines.tables.frames import rejected_frame, report_frames
    from pipelines.tables.parse_store import store_beside
    from tests.conftest import SEEDS

    store = store_beside(tmp_path / "xxgk.duckdb")
    for seeds in (SEEDS[:2], SEEDS[2:4]):
        store.add(report_frames(parse_files([SEED_DIR / s for s in seeds]).reports), rejected_frame([]))
    assert len(store.segments()) == 2
    wanted = pl.concat([pl.read_parquet(seg / "reports.parquet") for seg in store.segments()]).select(
        "source_file", "source_sha256"
    )
    facts = store.load(wanted)[0].facts
    key = ["source_sha256", "table_key", "row_key", "column_key"]
    whole = list(store.fact_batches(wanted))
    assert len(whole) == 1
    assert whole[0].sort(key).equals(facts.sort(key))
    small = list(store.fact_batches(wanted, rows=150))
    assert len(small) > 2
    assert max(b.height for b in small) <= 150
    assert pl.concat(small).sort(key).equals(facts.sort(key))


def test_a_night_publishes_its_checkpointed_copy_without_opening_it_again(
    raw: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stage knows the facts files its copy names and the marts' close checkpointed it (no
    WAL beside it): the publish links the night's files and renames the copy without opening it;
    the published warehouse names exactly the files in the folder, the new report's among them."""
    from pipelines.warehouse import connection

    opened_by: list[str] = []
    connect = connection.connect

    def counted(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        import sys

        opened_by.append(sys._getframe(1).f_code.co_name)
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(connection, "connect", counted)
    _report(raw, "hz2022b", 91, "杭州市交通运输局", 2022)
    result = build_warehouse(raw, built, workers=1)
    assert result.staged.agencies is not None  # a night, not a full build
    assert "publish" not in opened_by
    assert "stage_changes" in opened_by
    assert "build_marts" in opened_by
    con = duckdb.connect(str(built), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM reports WHERE source_file = 'hz2022b.txt'").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM facts WHERE source_file = 'hz2022b.txt'").fetchall()[0][0] > 0
    finally:
        con.close()
    assert sorted(_files(built)) == sorted(f for _, _, f, _ in _listed(built))


def test_a_staging_file_with_a_wal_left_is_checkpointed_before_it_is_published(built: Path, tmp_path: Path) -> None:
    """A change committed but not yet checkpointed (its WAL beside the file: a connection left
    open, a close that did not checkpoint) is in the published file: the publish opens the file
    and checkpoints it, even when it is given the file's facts list."""
    from pipelines.warehouse.load import publish, staging_path

    staging = staging_path(built, "waltest0")
    shutil.copy(built, staging)
    con = duckdb.connect(str(staging))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("DELETE FROM quality WHERE source_file = 'hz2021.txt'")
    con.close()
    assert staging.with_name(staging.name + ".wal").exists()
    files = [facts_store.FactsFile(*row) for row in _listed(built)]
    publish(staging, built, files)
    assert not staging.with_name(staging.name + ".wal").exists()
    con = duckdb.connect(str(built), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM quality WHERE source_file = 'hz2021.txt'").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM quality").fetchall()[0][0] > 0
    finally:
        con.close()
