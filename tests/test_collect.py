"""Collecting reports from where they are published (issue 16), against a small site served on
127.0.0.1 by the test (tests/collect_site.py): listing pages with pagination, report pages,
PDF/DOCX attachments, a redirect, 304s, a 500 then success, robots.txt forbidding a path, a GBK
page, a login page, a 404 and a page in the wrong encoding. The truth of every report is the
generator's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from models.vocab import FetchKind, FetchOutcome
from pipelines.collect.fetcher import USER_AGENT, Fetcher, Politeness, Validators
from pipelines.collect.run import CollectResult, collect
from pipelines.collect.sources import SourcesError, read_sources
from pipelines.ingest.raw_folder import fetch_log_path, read_given
from pipelines.ingest.stage import build_warehouse
from tests.collect_site import AGENCY, OTHER, Site, build_site, serve

# Tests do not wait: no delay between requests, no wait before a retry.
FAST = Politeness(delay_s=0, retry_wait_s=0, timeout_s=10)
LISTING = "/xxgk/ndbg/index.html"
PAGE_2023, PDF_2023 = "/xxgk/ndbg/2023.html", "/files/P020240301.pdf"
PAGE_2019, DOCX_2019 = "/xxgk/ndbg/2019.html", "/download.jsp?id=2019"
OTHER_PAGE, OTHER_DOCX = "/jtj/2023.html", "/jtj/2023.docx"
SAVED_PATHS = (PAGE_2023, PDF_2023, "/old/2022.html", "/xxgk/ndbg/2020.html", PAGE_2019, DOCX_2019)
BROKEN = {
    "/login?next=2018": "login page",
    "/xxgk/ndbg/2017.html": "HTTP 404",
    "/xxgk/ndbg/2016.html": "wrong encoding",
}


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site()


@dataclass
class Web:
    site: Site
    base: str

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def web(site: Site) -> Iterator[Web]:
    fresh = site.fresh()
    with serve(fresh) as base:
        yield Web(fresh, base)


def _sources(tmp_path: Path, web: Web) -> Path:
    path = tmp_path / "sources.csv"
    path.write_text(
        f"agency,url,kind\n{AGENCY},{web.url(LISTING)},listing\n{OTHER},{web.url(OTHER_PAGE)},\n", encoding="utf-8"
    )
    return path


def _collect(tmp_path: Path, web: Web, **politeness: float) -> CollectResult:
    return collect(_sources(tmp_path, web), tmp_path / "raw", replace(FAST, **politeness))


def _rows(result: CollectResult, web: Web) -> dict[str, dict[str, object]]:
    """The run's fetch-log rows by URL path."""
    return {str(r["url"]).removeprefix(web.base): r for r in result.log.iter_rows(named=True)}


def _manifest(tmp_path: Path) -> dict[str, dict[str, str]]:
    text = (tmp_path / "raw" / "manifest.csv").read_text(encoding="utf-8")
    return {r["url"]: r for r in csv.DictReader(io.StringIO(text))}


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# -- the sources list ---------------------------------------------------------------------------


def test_sources_list_bad_rows_reported_by_row_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "sources.csv"
    path.write_text(
        "agency,url,year,kind,link_pattern,max_pages\n"
        "甲局,https://a.gov.cn/ndbg/,,listing,年报,5\n"  # row 2: good
        "乙局,ftp://b.gov.cn/x,,,,\n"  # row 3: not http(s)
        "丙局,https://c.gov.cn/2023.html,23,report,,\n"  # row 4: bad year
        "丁局,https://d.gov.cn/,,feed,,\n"  # row 5: unknown kind
        "戊局,https://e.gov.cn/,,,(,\n"  # row 6: bad pattern
        "甲局,https://a.gov.cn/ndbg/,,,,\n"  # row 7: listed again
        "己局,https://f.gov.cn/2023.html,2023,report,,\n",  # row 8: good
        encoding="gb18030",
    )
    sources = read_sources(path)
    assert [(s.agency, s.kind, s.year, s.max_pages) for s in sources.sources] == [
        ("甲局", "listing", None, 5),
        ("己局", "report", 2023, 20),
    ]
    assert [p.split(":")[0] for p in sources.problems] == [f"sources.csv row {n}" for n in (3, 4, 5, 6, 7)]
    assert "ftp://b.gov.cn/x" in sources.problems[0]
    assert "listed again" in sources.problems[4]


def test_sources_list_without_url_column_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.csv"
    path.write_text("agency,link\n甲局,https://a.gov.cn/\n", encoding="utf-8")
    with pytest.raises(SourcesError, match=r"sources\.csv.*url"):
        read_sources(path)


# -- one night ----------------------------------------------------------------------------------


def test_collect_fills_the_raw_folder_and_manifest(tmp_path: Path, web: Web) -> None:
    result = _collect(tmp_path, web)
    manifest = _manifest(tmp_path)
    for path in (*SAVED_PATHS, OTHER_PAGE, OTHER_DOCX):
        row = manifest[web.url(path)]
        served = web.site.resources[path if path != "/old/2022.html" else "/xxgk/ndbg/2022.html"].body
        assert (tmp_path / "raw" / row["file"]).read_bytes() == served, path
        assert row["fetched_at"].endswith("Z")
        assert row["agency"] == (OTHER if path.startswith("/jtj") else AGENCY)
    # The year comes from the listing's link text; a report page given directly leaves it to the text.
    assert manifest[web.url(PAGE_2023)]["year"] == "2023"
    assert manifest[web.url("/xxgk/ndbg/2020.html")]["year"] == "2020"
    assert manifest[web.url(OTHER_PAGE)]["year"] == ""
    # An attachment names the page that announced it; a page names none.
    assert manifest[web.url(PDF_2023)]["page"] == manifest[web.url(PAGE_2023)]["file"]
    assert manifest[web.url(DOCX_2019)]["page"] == manifest[web.url(PAGE_2019)]["file"]
    assert manifest[web.url(DOCX_2019)]["file"].endswith(".docx")  # from the content type, not download.jsp
    assert manifest[web.url(PAGE_2023)]["page"] == ""
    assert len(result.saved) == 8
    assert len(manifest) == 8


def test_listing_pages_followed_each_once(tmp_path: Path, web: Web) -> None:
    result = _collect(tmp_path, web)
    # index.html links to index_1.html twice (下一页 and 2); index_1.html links back (上一页 and 1).
    assert web.site.hits(LISTING) == 1
    assert web.site.hits("/xxgk/ndbg/index_1.html") == 1
    listings = result.log.filter(pl.col("kind") == FetchKind.LISTING.value)
    assert listings.get_column("referrer").to_list() == [None, web.url(LISTING)]


def test_robots_forbidden_path_never_requested(tmp_path: Path, web: Web) -> None:
    rows = _rows(_collect(tmp_path, web), web)
    assert web.site.hits("/private/2021.html") == 0
    assert rows["/private/2021.html"]["outcome"] == FetchOutcome.DISALLOWED
    assert rows["/private/2021.html"]["reason"] == "robots.txt forbids this path"
    assert web.site.hits("/robots.txt") == 1


def test_redirect_followed_and_the_linked_url_kept(tmp_path: Path, web: Web) -> None:
    rows = _rows(_collect(tmp_path, web), web)
    assert rows["/old/2022.html"]["status"] == 200
    assert rows["/old/2022.html"]["final_url"] == web.url("/xxgk/ndbg/2022.html")
    assert _manifest(tmp_path)[web.url("/old/2022.html")]["file"]


def test_server_error_then_success_is_retried(tmp_path: Path, web: Web) -> None:
    rows = _rows(_collect(tmp_path, web), web)
    assert web.site.hits(PAGE_2019) == 2
    assert (rows[PAGE_2019]["outcome"], rows[PAGE_2019]["status"], rows[PAGE_2019]["attempts"]) == ("saved", 200, 2)


def test_gbk_page_saved_as_published(tmp_path: Path, web: Web) -> None:
    _collect(tmp_path, web)
    row = _manifest(tmp_path)[web.url("/xxgk/ndbg/2020.html")]
    data = (tmp_path / "raw" / row["file"]).read_bytes()
    assert data == web.site.resources["/xxgk/ndbg/2020.html"].body
    assert "政府信息公开" in data.decode("gb18030")


def test_failures_logged_with_reason_and_the_rest_collected(tmp_path: Path, web: Web) -> None:
    result = _collect(tmp_path, web)
    failures = {
        str(url).removeprefix(web.base): reason for url, reason in result.failures().select("url", "reason").iter_rows()
    }
    assert failures.keys() == BROKEN.keys()
    for path, words in BROKEN.items():
        assert words in str(failures[path]), failures[path]
    # The log beside the raw folder has them too; nothing of theirs is in the raw folder.
    log = pl.read_parquet(fetch_log_path(tmp_path / "raw"))
    assert log.filter(pl.col("outcome") == "failed").height == 3
    assert not {web.url(p) for p in BROKEN} & _manifest(tmp_path).keys()


def test_failures_retried_on_a_later_night(tmp_path: Path, web: Web) -> None:
    _collect(tmp_path, web)
    web.site.resources["/xxgk/ndbg/2017.html"] = web.site.resources["/xxgk/ndbg/2022.html"]  # published at last
    rows = _rows(_collect(tmp_path, web), web)
    assert rows["/xxgk/ndbg/2017.html"]["outcome"] == FetchOutcome.SAVED
    assert web.site.hits("/login?next=2018") == 2
    assert rows["/login?next=2018"]["outcome"] == FetchOutcome.FAILED


def test_second_collect_fetches_nothing_unchanged(tmp_path: Path, web: Web) -> None:
    _collect(tmp_path, web)
    raw = tmp_path / "raw"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in raw.rglob("*") if p.is_file()}
    asked = len(web.site.requests)
    second = _collect(tmp_path, web)
    outcomes = dict(second.log.group_by("outcome").len().iter_rows())
    # robots.txt, two listing pages, eight reports and attachments: 304; /private/ refused; the three broken again.
    assert outcomes == {"not_modified": 11, "disallowed": 1, "failed": 3}
    # Every URL fetched whole before was asked conditionally, and nothing was written.
    for path, headers in web.site.requests[asked:]:
        if path not in BROKEN:
            assert "If-None-Match" in headers, path
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in raw.rglob("*") if p.is_file()} == before
    assert second.saved == []


def test_changed_report_fetched_again_into_its_file(tmp_path: Path, web: Web) -> None:
    first = _collect(tmp_path, web)
    file = _manifest(tmp_path)[web.url("/old/2022.html")]["file"]
    resource = web.site.resources["/xxgk/ndbg/2022.html"]
    web.site.resources["/xxgk/ndbg/2022.html"] = replace(
        resource, body=resource.body.replace(b"</body>", "<p>更正</p></body>".encode())
    )
    second = _collect(tmp_path, web)
    assert second.saved == [file]
    assert "<p>更正</p>" in (tmp_path / "raw" / file).read_bytes().decode("utf-8")
    assert _manifest(tmp_path)[web.url("/old/2022.html")]["fetched_at"] >= str(first.run_started_at)


def test_every_request_names_the_collector(tmp_path: Path, web: Web) -> None:
    _collect(tmp_path, web)
    assert {headers.get("User-Agent") for _, headers in web.site.requests} == {USER_AGENT}


def test_budget_ends_the_run_and_the_rest_waits_for_the_next(tmp_path: Path, web: Web) -> None:
    first = _collect(tmp_path, web, budget=4)
    assert len(web.site.requests) == 4 == first.requests
    left = first.log.filter(pl.col("outcome") == FetchOutcome.OVER_BUDGET.value)
    assert left.height >= 1
    assert "budget of 4 requests" in str(left.get_column("reason")[0])
    _collect(tmp_path, web)
    assert len(_manifest(tmp_path)) == 8


def test_requests_to_one_host_wait_their_turn(web: Web) -> None:
    pauses: list[float] = []
    with Fetcher(replace(FAST, delay_s=30), sleep=pauses.append) as fetcher:
        fetcher.get(web.url(LISTING))
        fetcher.get(web.url(PAGE_2023))
    assert len(pauses) == 1
    assert 29 < pauses[0] <= 30


def test_conditional_get_answered_304(web: Web) -> None:
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(web.url(PDF_2023))
        again = fetcher.get(web.url(PDF_2023), Validators(first.etag, first.last_modified))
        by_date = fetcher.get(web.url(PDF_2023), Validators(None, first.last_modified))
    assert (first.status, again.status, by_date.status) == (200, 304, 304)
    assert again.content == b""


def test_collect_command_prints_what_it_did(tmp_path: Path, web: Web) -> None:
    from pipelines.cli import main

    sources = _sources(tmp_path, web)
    result = CliRunner().invoke(
        main, ["collect", "--sources", str(sources), "--raw", str(tmp_path / "raw"), "--delay", "0"]
    )
    assert result.exit_code == 3, result.output  # some URLs failed
    assert "saved into" in result.output
    assert "8 files (5 report pages, 3 attachments, 0 pictures)" in result.output
    assert "refused by robots.txt: 1" in result.output
    assert "failed: 3" in result.output
    assert web.url("/xxgk/ndbg/2017.html") + ": HTTP 404" in result.output


def test_collect_command_without_sources_list_is_a_usage_error(tmp_path: Path) -> None:
    from pipelines.cli import main

    result = CliRunner().invoke(main, ["collect", "--sources", str(tmp_path / "none.csv"), "--raw", str(tmp_path)])
    assert result.exit_code == 2
    assert "none.csv" in result.output


# -- the manifest the build reads ---------------------------------------------------------------


def test_manifest_time_that_is_not_iso_reported_by_row(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,agency,year,url,fetched_at,page,withdrawn_seen_at\na.txt,甲局,2023,https://a.gov.cn/a.html,yesterday,,\n",
        encoding="utf-8",
    )
    given = read_given(tmp_path)
    assert given.rows.height == 0
    assert given.problems == (
        "manifest.csv row 2 (a.txt): fetched_at 'yesterday' is not an ISO 8601 time; row skipped",
    )


# -- the build after it -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Web, CollectResult]]:
    """One collect and one build, shared by the build's tests below."""
    tmp_path = tmp_path_factory.mktemp("built")
    fresh = site.fresh()
    with serve(fresh) as base:
        web = Web(fresh, base)
        result = _collect(tmp_path, web)
        build_warehouse(tmp_path / "raw", tmp_path / "wh" / "xxgk.duckdb", workers=1)
        yield tmp_path, web, result


@pytest.mark.slow
def test_build_loads_collected_reports_with_provenance(built: tuple[Path, Web, CollectResult]) -> None:
    tmp_path, web, _ = built
    manifest = _manifest(tmp_path)
    rows = _query(
        tmp_path / "wh" / "xxgk.duckdb",
        "SELECT source_file, source_url, fetched_at, agency, year, announced_by IS NOT NULL FROM reports",
    )
    by_url = {r[1]: r for r in rows}
    assert by_url.keys() == manifest.keys()
    for path, truth in web.site.truth.items():
        url = web.url("/old/2022.html" if path == "/xxgk/ndbg/2022.html" else path)
        file, _, fetched_at, agency, year, attachment = by_url[url]
        assert (file, fetched_at) == (manifest[url]["file"], manifest[url]["fetched_at"])
        assert (agency, year) == (truth.agency, truth.year), path  # the GBK page too
        assert attachment == (path in (PDF_2023, DOCX_2019, OTHER_DOCX))
    assert _query(tmp_path / "wh" / "xxgk.duckdb", "SELECT count(*) FROM rejected") == [(0,)]


@pytest.mark.slow
def test_fetch_log_loaded_into_the_warehouse(built: tuple[Path, Web, CollectResult]) -> None:
    tmp_path, web, result = built
    loaded = _query(
        tmp_path / "wh" / "xxgk.duckdb",
        "SELECT url, outcome, reason FROM fetch_log WHERE outcome = 'failed' ORDER BY url",
    )
    assert [(u.removeprefix(web.base), o) for u, o, _ in loaded] == sorted((p, "failed") for p in BROKEN)
    assert _query(tmp_path / "wh" / "xxgk.duckdb", "SELECT count(*) FROM fetch_log") == [(result.log.height,)]


@pytest.mark.slow
def test_attachment_linked_to_its_page(built: tuple[Path, Web, CollectResult]) -> None:
    tmp_path, web, _ = built
    pairs = _query(
        tmp_path / "wh" / "xxgk.duckdb",
        "SELECT a.source_url, p.source_url FROM reports a JOIN reports p ON a.announced_by = p.source_sha256",
    )
    assert sorted((a.removeprefix(web.base), p.removeprefix(web.base)) for a, p in pairs) == sorted(
        [(PDF_2023, PAGE_2023), (DOCX_2019, PAGE_2019), (OTHER_DOCX, OTHER_PAGE)]
    )


@pytest.mark.slow
def test_attachment_wins_in_the_marts_and_a_difference_is_a_finding(built: tuple[Path, Web, CollectResult]) -> None:
    tmp_path, web, _ = built
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    chosen = _query(
        warehouse,
        "SELECT r.source_url FROM mart_agency_year m JOIN reports r USING (source_sha256) ORDER BY r.source_url",
    )
    # Page and attachment both carry the tables: the attachment is the agency-year's report.
    urls = [u.removeprefix(web.base) for (u,) in chosen]
    assert PDF_2023 in urls
    assert DOCX_2019 in urls
    assert OTHER_DOCX in urls
    assert not {PAGE_2023, PAGE_2019, OTHER_PAGE} & set(urls)
    findings = _query(
        warehouse,
        "SELECT r.source_url, f.cells, f.expected, f.printed, f.severity, f.message "
        "FROM findings f JOIN reports r USING (source_sha256) WHERE f.rule = 'A1'",
    )
    # Only 杭州市交通运输局's attachment prints a figure differently (the generator added 7).
    assert len(findings) == 1
    url, cells, expected, printed, severity, message = findings[0]
    assert (url.removeprefix(web.base), severity, expected - printed) == (OTHER_PAGE, "warning", 7)
    assert cells in message
    assert "the marts use the attachment" in message


@pytest.mark.slow
def test_withdrawn_report_marked_and_keeps_its_data(site: Site, tmp_path: Path) -> None:
    fresh = site.fresh()
    with serve(fresh) as base:
        web = Web(fresh, base)
        _collect(tmp_path, web)
        # The 2022 report is taken down: gone from the listing, its URL answers 404.
        del fresh.resources["/xxgk/ndbg/2022.html"]
        fresh.resources[LISTING].body = fresh.resources[LISTING].body.replace(b'href="/old/2022.html"', b'href="#"')
        second = _collect(tmp_path, web)
    file = _manifest(tmp_path)[web.url("/old/2022.html")]["file"]
    assert second.withdrawn == [file]
    seen_at = _manifest(tmp_path)[web.url("/old/2022.html")]["withdrawn_seen_at"]
    assert seen_at.endswith("Z")
    assert _rows(second, web)["/old/2022.html"]["outcome"] == FetchOutcome.WITHDRAWN
    warehouse = tmp_path / "wh" / "xxgk.duckdb"
    build_warehouse(tmp_path / "raw", warehouse, workers=1)
    assert _query(warehouse, f"SELECT withdrawn_seen_at FROM reports WHERE source_file = '{file}'") == [(seen_at,)]
    facts = _query(warehouse, f"SELECT count(*) FROM facts WHERE source_file = '{file}' AND value_status <> 'missing'")
    assert facts[0][0] > 0
    assert _query(warehouse, "SELECT count(*) FROM reports WHERE withdrawn_seen_at IS NOT NULL") == [(1,)]


@pytest.mark.slow
def test_nightly_collect_asset_fills_the_raw_folder(tmp_path: Path, web: Web) -> None:
    import dagster as dg

    from pipelines.defs.collect.assets import collected_reports
    from pipelines.defs.collect.resources import CollectSettings
    from pipelines.defs.ingest.resources import XxgkPaths

    result = dg.materialize(
        [collected_reports],
        resources={
            "paths": XxgkPaths(raw_dir=str(tmp_path / "raw"), warehouse_path=str(tmp_path / "wh.duckdb")),
            "collect_settings": CollectSettings(sources=str(_sources(tmp_path, web)), delay_s=0, retry_wait_s=0),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    metadata = result.asset_materializations_for_node("collected_reports")[0].metadata
    assert (metadata["saved"].value, metadata["failed"].value) == (8, 3)
    check = result.get_asset_check_evaluations()[0]
    assert (check.check_name, check.passed) == ("every_url_fetched", False)
    assert len(_manifest(tmp_path)) == 8


def test_unreadable_robots_txt_keeps_the_host_for_a_later_night(tmp_path: Path, web: Web) -> None:
    web.site.resources["/robots.txt"].fail_first = 3  # 500 on every try of this run
    result = _collect(tmp_path, web)
    assert web.site.hits(LISTING) == 0
    refused = result.log.filter(pl.col("outcome") == FetchOutcome.DISALLOWED.value)
    assert refused.height == 2  # the listing and the other agency's page: same host
    assert "robots.txt could not be read (HTTP 500)" in str(refused.get_column("reason")[0])


def test_missing_robots_txt_allows_everything(tmp_path: Path, web: Web) -> None:
    del web.site.resources["/robots.txt"]
    _collect(tmp_path, web)
    assert web.site.hits("/private/2021.html") == 1
