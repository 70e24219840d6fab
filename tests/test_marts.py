"""Marts: one SELECT per file, dependencies read from the SQL, built in that order."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
import sqlglot

from pipelines.warehouse.marts import (
    MartError,
    NightFacts,
    cut_once,
    cut_to_agencies,
    discover_marts,
    refresh_mart,
    tables_read,
    touched_reports,
)


def test_dependencies_come_from_the_sql_not_from_a_list() -> None:
    marts = {m.name: m for m in discover_marts()}
    assert marts["mart_agency_year"].deps == {"mart_requests_wide"}
    assert marts["mart_agency_year_change"].deps == {"mart_agency_year"}
    order = [m.name for m in discover_marts()]
    assert order.index("mart_requests_wide") < order.index("mart_agency_year") < order.index("mart_agency_year_change")


def test_cte_names_are_not_tables() -> None:
    query = sqlglot.parse_one(
        "WITH a AS (SELECT * FROM facts) SELECT * FROM a JOIN reports USING (source_sha256)", read="duckdb"
    )
    assert tables_read(query) == {"facts", "reports"}


def test_a_mart_file_with_anything_but_one_select_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_text("DELETE FROM facts", encoding="utf-8")
    with pytest.raises(MartError, match=r"bad\.sql"):
        discover_marts.__wrapped__(tmp_path)


def test_marts_that_read_each_other_in_a_cycle_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("SELECT * FROM b", encoding="utf-8")
    (tmp_path / "b.sql").write_text("SELECT * FROM a", encoding="utf-8")
    with pytest.raises(MartError, match="cycle"):
        discover_marts.__wrapped__(tmp_path)


def test_the_wide_mart_has_one_row_per_report_and_section3_row(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    # 004 prints （六）其他处理 as one row instead of three: 23 rows.
    assert con.execute("SELECT count(*) FROM mart_requests_wide").fetchone() == (4 * 25 + 23,)
    row = con.execute(
        "SELECT natural_person, social_welfare_org, total FROM mart_requests_wide "
        "WHERE agency = '海东市生态环境局' AND row_key = 'new_requests'"
    ).fetchone()
    assert row == (6, 2, 8)


def test_the_agency_year_mart_summarises_each_report(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute(
        "SELECT received, granted, refused, not_held, handled, carried_forward, "
        "licensing_decisions, penalty_decisions, reviews "
        "FROM mart_agency_year WHERE agency = '海东市生态环境局' AND year = 2023"
    ).fetchone()
    assert row == (8, 4, 1, 1, 7, 1, 323, 51, 0)
    assert con.execute("SELECT count(*) FROM mart_agency_year_change").fetchone() == (5,)


def test_a_refresh_reads_only_the_touched_agencies_reports_and_recomputes_exactly_their_rows(
    warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, copy)
    touched = "海东市生态环境局"
    con = duckdb.connect(str(copy))
    try:
        before = {m.name: sorted(con.execute(f"SELECT * FROM {m.name}").fetchall(), key=repr) for m in discover_marts()}
        con.register("_agencies", pl.DataFrame({"agency": [touched]}).to_arrow())
        touched_reports(con, "_agencies", "_reports")
        cut = cut_to_agencies(con, discover_marts()[0].query, "_agencies", "_reports").sql(dialect="duckdb")
        # The cut query reads no other agency's facts: run alone, it gives only the touched agency's rows.
        assert {row[0] for row in con.execute(f"SELECT DISTINCT agency FROM ({cut})").fetchall()} == {touched}
        for m in discover_marts():  # spoil every mart's rows, touched or not
            con.execute(f"UPDATE {m.name} SET year = -1")
        for m in discover_marts():
            refresh_mart(con, m, "_agencies", "_reports")
        for m in discover_marts():
            rows = con.execute(f"SELECT * FROM {m.name}").fetchall()
            columns = [d[0] for d in con.execute(f"SELECT * FROM {m.name} LIMIT 0").description]
            at = columns.index("agency")
            assert sorted((r for r in rows if r[at] == touched), key=repr) == [
                r for r in before[m.name] if r[at] == touched
            ]
            assert all(r[columns.index("year")] == -1 for r in rows if r[at] != touched)  # left as they were
    finally:
        con.close()


def test_a_refresh_with_the_facts_cut_once_reads_them_from_the_cut_and_gives_the_same_rows(
    warehouse: Path, tmp_path: Path
) -> None:
    touched = "海东市生态环境局"
    results = []
    for once in (False, True):
        copy = tmp_path / f"copy-{once}.duckdb"
        shutil.copy(warehouse, copy)
        con = duckdb.connect(str(copy))
        try:
            con.register("_agencies", pl.DataFrame({"agency": [touched]}).to_arrow())
            touched_reports(con, "_agencies", "_reports")
            cut = cut_once(con, "_reports") if once else {}
            if once:
                # Only the touched agency's reports' facts, and no mart's query reads the facts' files again.
                reports = {r[0] for r in con.execute("SELECT source_sha256 FROM _reports").fetchall()}
                assert {r[0] for r in con.execute(f"SELECT DISTINCT source_sha256 FROM {cut['facts']}").fetchall()} == (
                    reports & {r[0] for r in con.execute("SELECT DISTINCT source_sha256 FROM facts").fetchall()}
                )
                for m in discover_marts():
                    query = cut_to_agencies(con, m.query, "_agencies", "_reports", cut)
                    assert "facts" not in {t.name for t in query.find_all(sqlglot.exp.Table)}
            for m in discover_marts():
                con.execute(f"UPDATE {m.name} SET year = -1")
                refresh_mart(con, m, "_agencies", "_reports", cut)
            results.append(
                {m.name: sorted(con.execute(f"SELECT * FROM {m.name}").fetchall(), key=repr) for m in discover_marts()}
            )
        finally:
            con.close()
    assert results[0] == results[1]


def test_the_facts_cut_from_the_nights_files_equals_the_cut_from_the_facts_files(
    warehouse: Path, tmp_path: Path
) -> None:
    """The touched reports' facts taken from the night's files (marts.NightFacts) for the reports
    it reached, and from the facts files for a touched report it did not reach: the same rows as
    the facts files give for them all, and the marts refreshed from either are the same."""
    results = []
    for night_given in (False, True):
        copy = tmp_path / f"copy-{night_given}.duckdb"
        shutil.copy(warehouse, copy)
        con = duckdb.connect(str(copy))
        try:
            agencies = sorted(
                r[0] for r in con.execute("SELECT DISTINCT COALESCE(given_agency, agency) FROM reports").fetchall()
            )
            assert len(agencies) >= 3
            touched, untouched = agencies[:-1], agencies[-1]
            con.register("_agencies", pl.DataFrame({"agency": touched}).to_arrow())
            touched_reports(con, "_agencies", "_reports")
            shas = sorted(r[0] for r in con.execute("SELECT source_sha256 FROM _reports").fetchall())
            night = None
            if night_given:
                night = NightFacts(tmp_path / "night")
                night.start()
                # Reached: every touched report but the first, and a report of an agency not touched.
                other = con.execute(
                    "SELECT source_sha256 FROM reports WHERE COALESCE(given_agency, agency) = ? LIMIT 1", [untouched]
                ).fetchall()[0][0]
                reached = [*shas[1:], other]
                facts = con.sql("SELECT * FROM facts").pl()
                for sha in reached:  # a batch per report: several files
                    night.add(facts.filter(pl.col("source_sha256") == sha))
                night.finish(reached)
            cut = cut_once(con, "_reports", night)
            rows = sorted(con.execute(f"SELECT * FROM {cut['facts']}").fetchall(), key=repr)
            for m in discover_marts():
                con.execute(f"UPDATE {m.name} SET year = -1")
                refresh_mart(con, m, "_agencies", "_reports", cut)
            marts = {
                m.name: sorted(con.execute(f"SELECT * FROM {m.name}").fetchall(), key=repr) for m in discover_marts()
            }
            results.append((rows, marts))
        finally:
            con.close()
    assert results[0][0]
    assert results[0][0] == results[1][0]
    assert results[0][1] == results[1][1]
