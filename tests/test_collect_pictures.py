"""Report pages whose tables are pictures (issue 15), collected (issue 16): the pictures of the
article are saved beside the page, in its hidden `.pictures/` folder, with the page's `src`s
pointed at them, so the build reads them by OCR as it reads any page with its pictures; the
site's chrome is never fetched, one bad picture never costs the page, and an unchanged page costs
no picture request. The site is tests/collect_site.py's build_picture_site, served on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from models.vocab import FetchKind, FetchOutcome
from pipelines.collect.fetcher import Politeness
from pipelines.collect.pages import content_pictures, localise
from pipelines.collect.run import CollectResult, collect
from pipelines.collect.sources import Source, Sources
from pipelines.ingest.fingerprint import current_inputs
from pipelines.ingest.raw_survey import PICTURE_FOLDER_RULE, survey_raw_folder
from pipelines.ingest.stage import build_warehouse
from tests.collect_site import (
    CHROME_PICTURES,
    PICTURE_AGENCY,
    PICTURE_PAGE,
    SPINNER,
    Resource,
    Site,
    build_picture_site,
    serve,
)

FAST = Politeness(delay_s=0, retry_wait_s=0, timeout_s=10)


@pytest.fixture(scope="module")
def site() -> Site:
    return build_picture_site()


@pytest.fixture
def web(site: Site) -> Iterator[tuple[Site, str]]:
    fresh = site.fresh()
    with serve(fresh) as base:
        yield fresh, base


def _tables(site: Site) -> list[str]:
    return sorted(p for p in site.resources if p.startswith("/uploads/"))


def _collect(raw: Path, base: str) -> CollectResult:
    sources = Sources((Source(PICTURE_AGENCY, base + PICTURE_PAGE, 1, year=2023, kind="report"),))
    return collect(sources, raw, FAST)


def _page_file(raw: Path) -> Path:
    return next(p for p in raw.rglob("*.html"))


def _srcs(page: Path) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', page.read_text(encoding="utf-8"))


def _addresses(page: Path) -> list[str]:
    """Where the page's pictures point: src, or the attribute a lazy-loading tag keeps it in."""
    tags = re.findall(r'<img src="[^"]+" data-(?:src|original)="([^"]+)"|<img src="([^"]+)"', page.read_text("utf-8"))
    return [lazy or src for lazy, src in tags]


def _picture_rows(result: CollectResult) -> dict[str, dict[str, object]]:
    rows = result.log.filter(result.log["kind"] == FetchKind.PICTURE.value)
    return {str(r["url"]): r for r in rows.iter_rows(named=True)}


def test_article_pictures_saved_beside_the_page_and_its_srcs_pointed_at_them(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    site, base = web
    result = _collect(tmp_path / "raw", base)
    page = _page_file(tmp_path / "raw")
    rows = _picture_rows(result)
    assert sorted(rows) == [base + p for p in _tables(site)]
    assert {r["outcome"] for r in rows.values()} == {FetchOutcome.SAVED.value}
    for path in _tables(site):
        file = tmp_path / "raw" / str(rows[base + path]["file"])
        assert file.parent == page.parent / ".pictures"
        assert file.read_bytes() == site.resources[path].body
    local = [s for s in _srcs(page) if s.startswith(".pictures/")]
    assert sorted(local) == sorted(str(Path(str(r["file"])).relative_to(page.parent.name)) for r in rows.values())


def test_site_chrome_pictures_never_fetched(tmp_path: Path, web: tuple[Site, str]) -> None:
    site, base = web
    _collect(tmp_path / "raw", base)
    assert [p for p in CHROME_PICTURES if site.hits(p)] == []


def test_lazy_loaded_pictures_fetched_from_their_data_attribute_and_their_placeholder_never(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    site, base = web
    _collect(tmp_path / "raw", base)
    page = _page_file(tmp_path / "raw").read_text(encoding="utf-8")
    lazy = re.findall(r'<img src="([^"]+)" data-(?:src|original)="([^"]+)"', page)
    assert len(lazy) == 2
    assert [src.startswith(".pictures/") for src, _ in lazy] == [True, True]
    assert [site.hits(path) for _, path in lazy] == [1, 1]
    assert site.hits(SPINNER) == 0
    # Their srcs stay as published: the reader says they are on the site, not read.
    assert set(CHROME_PICTURES) <= set(_srcs(_page_file(tmp_path / "raw")))


def test_the_build_lists_a_pages_pictures_folder_as_the_collectors_not_as_reports(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    _, base = web
    _collect(tmp_path / "raw", base)
    survey = survey_raw_folder(tmp_path / "raw")
    folder = f"{_page_file(tmp_path / 'raw').parent.name}/.pictures/"
    assert (folder, PICTURE_FOLDER_RULE) in survey.ignored
    assert [f.name for f in survey.entries if ".pictures" in f.name] == []


def test_a_broken_picture_is_logged_and_the_page_and_the_other_pictures_kept(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    site, base = web
    tables = _tables(site)
    broken, html = tables[:2]
    site.resources[broken] = Resource(status=500)
    site.resources[html] = Resource("<html><body>出错了</body></html>".encode(), "text/html; charset=utf-8")
    result = _collect(tmp_path / "raw", base)
    rows = _picture_rows(result)
    reasons = {p: rows[base + p]["reason"] for p in (broken, html)}
    assert reasons == {
        broken: "HTTP 500 Internal Server Error after 3 tries",
        html: "not a picture the reader opens (PNG, JPEG, GIF, BMP, TIFF, WebP): text/html",
    }
    assert {rows[base + p]["outcome"] for p in reasons} == {FetchOutcome.FAILED.value}
    assert [p for p in tables if rows[base + p]["outcome"] == FetchOutcome.SAVED.value] == tables[2:]
    assert result.count(FetchOutcome.SAVED, FetchKind.REPORT) == 1
    page = _page_file(tmp_path / "raw")
    assert {broken, html} <= set(_addresses(page))  # kept as published, for a later night
    assert len([s for s in _srcs(page) if s.startswith(".pictures/")]) == len(tables) - 2


def test_second_collect_of_an_unchanged_page_fetches_no_picture(tmp_path: Path, web: tuple[Site, str]) -> None:
    site, base = web
    _collect(tmp_path / "raw", base)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "raw").rglob("*") if p.is_file()}
    inputs = current_inputs(tmp_path / "raw").files
    asked = len(site.requests)
    second = _collect(tmp_path / "raw", base)
    assert [p for p, _ in site.requests[asked:]] == ["/robots.txt", PICTURE_PAGE]  # each a 304
    assert second.saved == []
    assert _picture_rows(second) == {}
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "raw").rglob("*") if p.is_file()}
    assert after == before
    assert current_inputs(tmp_path / "raw").files == inputs


def test_a_picture_that_failed_is_fetched_on_a_later_night_and_its_page_changes(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    site, base = web
    table = _tables(site)[0]
    body = site.resources[table].body
    site.resources[table] = Resource(status=404)
    _collect(tmp_path / "raw", base)
    inputs = current_inputs(tmp_path / "raw").files
    site.resources[table] = Resource(body, "image/png")
    asked = len(site.requests)
    second = _collect(tmp_path / "raw", base)
    # Only robots.txt and the page (304s) and the picture that failed are asked for.
    assert [p for p, _ in site.requests[asked:]] == ["/robots.txt", PICTURE_PAGE, table]
    assert _picture_rows(second)[base + table]["outcome"] == FetchOutcome.SAVED.value
    page = _page_file(tmp_path / "raw")
    assert table not in _srcs(page)
    assert str(page.relative_to(tmp_path / "raw")) in second.saved
    # The page's bytes changed: the build's fingerprint sees it, and its content hash is new.
    assert current_inputs(tmp_path / "raw").files != inputs


def test_a_changed_page_asks_for_its_pictures_conditionally_and_points_at_the_same_files(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    site, base = web
    _collect(tmp_path / "raw", base)
    page = _page_file(tmp_path / "raw")
    pictures = sorted((page.parent / ".pictures").iterdir())
    site.resources[PICTURE_PAGE].body = site.resources[PICTURE_PAGE].body.replace(
        b"</body>", b"<p>\xe6\x9b\xb4\xe6\x96\xb0</p></body>"
    )
    second = _collect(tmp_path / "raw", base)
    rows = _picture_rows(second)
    assert sorted(rows) == [base + p for p in _tables(site)]
    assert {r["outcome"] for r in rows.values()} == {FetchOutcome.NOT_MODIFIED.value}
    assert sorted((page.parent / ".pictures").iterdir()) == pictures
    assert [s for s in _srcs(page) if s.startswith("/uploads/") or s.startswith("../")] == []
    assert second.saved == [str(page.relative_to(tmp_path / "raw"))]


def test_only_the_article_pictures_of_a_page_are_candidates() -> None:
    page = (
        '<html><body><div id="top-logo"><img src="/a.png"></div><nav><img src="/b.png"></nav>'
        '<div class="content"><p><img src="t1.png" width="800"></p><img src="data:image/png;base64,AAAA">'
        '<img src="/x/qrcode.png"><img src="t1.png"><img src="t2.jpg?v=1" style="width: 640px">'
        '<img src=".pictures/0123.png"><img src="/t3.svg"><img src="/spacer.gif" height="1">'
        '<a href="big.png"><img src="/getimg.jsp?id=9"></a></div>'
        '<footer><img src="/c.png"></footer></body></html>'
    )
    found = content_pictures(page, "http://h.example/xxgk/2023.html")
    assert [(p.url, p.src) for p in found] == [
        ("http://h.example/xxgk/t1.png", "t1.png"),
        ("http://h.example/xxgk/t2.jpg?v=1", "t2.jpg?v=1"),
        ("http://h.example/getimg.jsp?id=9", "/getimg.jsp?id=9"),
    ]


def test_a_lazy_loading_picture_is_found_by_its_data_attribute_not_its_placeholder() -> None:
    page = (
        '<html><body><div class="content"><img src="/img/loading.gif" data-original="/up/t1.png">'
        '<img data-src="/up/t2.png"><img src="data:image/gif;base64,R0lGOD" data-lazy-src="t3.png">'
        '<img src="/up/t4.png" data-src="/up/t4.png"><img src="/up/t5.png" data-src="data:image/png;base64,AA">'
        '<img src=".pictures/0123.png" data-src="/up/t6.png"></div></body></html>'
    )
    found = content_pictures(page, "http://h.example/xxgk/2023.html")
    assert [(p.url, p.src) for p in found] == [
        ("http://h.example/up/t1.png", "/up/t1.png"),
        ("http://h.example/up/t2.png", "/up/t2.png"),
        ("http://h.example/xxgk/t3.png", "t3.png"),
        ("http://h.example/up/t4.png", "/up/t4.png"),
        ("http://h.example/up/t5.png", "/up/t5.png"),
    ]


def test_pointing_a_lazy_loading_picture_at_its_file_sets_its_src_and_keeps_the_rest() -> None:
    page = (
        b'<p><img src="/img/loading.gif" data-original="/up/t1.png" alt="x"></p>'
        b'<p><IMG DATA-SRC=\'/up/t2.png\' width=800></p><img src="/img/loading.gif" data-src="/up/t9.png">'
    )
    saved = {"/up/t1.png": ".pictures/aa.png", "/up/t2.png": ".pictures/bb.png"}
    assert localise(page, "utf-8", saved) == (
        b'<p><img src=".pictures/aa.png" data-original="/up/t1.png" alt="x"></p>'
        b"<p><IMG src=\".pictures/bb.png\" DATA-SRC='/up/t2.png' width=800></p>"
        b'<img src="/img/loading.gif" data-src="/up/t9.png">'
    )


def test_pointing_a_gbk_page_at_its_pictures_changes_only_their_srcs() -> None:
    page = (
        '<html><head><meta charset="gbk"></head><body><p>表三：收到和处理政府信息公开申请情况</p>'
        '<IMG\n  class=x SRC=\'/up/表三.png?a=1&amp;b=2\' width=800><img data-src="/up/lazy.png" src="/up/t4.png">'
        '<img src="/up/other.png"></body></html>'
    ).encode("gbk")
    saved = {"/up/表三.png?a=1&b=2": ".pictures/aa.png", "/up/t4.png": ".pictures/bb.png"}
    expected = page.replace("SRC='/up/表三.png?a=1&amp;b=2'".encode("gbk"), b'SRC=".pictures/aa.png"').replace(
        b'src="/up/t4.png"', b'src=".pictures/bb.png"'
    )
    assert localise(page, "gb18030", saved) == expected


def _facts(warehouse: Path) -> dict[tuple[str, str], float | None]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("SELECT row_key, column_key, value FROM facts").fetchall()
    finally:
        con.close()
    return {(r, c): v for r, c, v in rows}


@pytest.mark.slow
def test_collected_picture_report_is_built_with_its_figures_and_a_late_picture_reparses_it(
    tmp_path: Path, web: tuple[Site, str]
) -> None:
    site, base = web
    truth = site.truth[PICTURE_PAGE]
    table = _tables(site)[-1]
    body = site.resources[table].body
    site.resources[table] = Resource(status=404)
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "xxgk.duckdb"
    _collect(raw, base)
    build_warehouse(raw, warehouse, workers=1)
    first = _facts(warehouse)
    wrong = [k for k, v in truth.values.items() if first.get((k.row_key, k.column_key)) != v]
    assert wrong, "the table whose picture is missing has no figures"
    site.resources[table] = Resource(body, "image/png")
    _collect(raw, base)
    build_warehouse(raw, warehouse, workers=1)
    second = _facts(warehouse)
    assert {k: second.get((k.row_key, k.column_key)) for k in truth.values} == dict(truth.values)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT agency, year, layout FROM reports").fetchall() == [
            (PICTURE_AGENCY, 2023, "html/images")
        ]
        assert con.execute("SELECT count(*) FROM rejected").fetchall() == [(0,)]
    finally:
        con.close()
