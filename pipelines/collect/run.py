"""One night's collection: every source visited, listing pages followed page by page, report
pages and their attachments saved into the raw folder with manifest.csv rows, the pictures of a
report page's article saved beside it (its `src`s pointed at them), every request in the fetch log.

A failure is a row of the fetch log with its reason (and is tried again on a later night: only
what was fetched whole is remembered), never an exception that stops the other sources. A report
fetched before whose URL now answers 404/410 keeps its file and gets withdrawn_seen_at in
manifest.csv.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import polars as pl

from models.vocab import FetchKind, FetchOutcome
from pipelines.collect.fetcher import Fetched, Fetcher, Politeness, Validators
from pipelines.collect.pages import (
    ATTACHMENT_SUFFIXES,
    PageProblem,
    access_problem,
    attachment_links,
    content_pictures,
    decode_page,
    is_attachment,
    links,
    localise,
    next_pages,
    picture_suffix,
    report_links,
    year_in,
)
from pipelines.collect.raw_store import (
    FETCH_LOG_SCHEMA,
    Known,
    Manifest,
    PageStore,
    append_log,
    file_for,
    known_urls,
    read_log,
    sha256,
    suffix_for,
    write_atomic,
)
from pipelines.collect.sources import Source, Sources, read_sources
from pipelines.ingest.raw_survey import PICTURE_FOLDER

_SAVED_KINDS = (FetchKind.REPORT, FetchKind.ATTACHMENT, FetchKind.PICTURE)
_GONE = (404, 410)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class CollectResult:
    """What one run did: its rows of the fetch log, the sources rows skipped, the files written."""

    run_started_at: str
    log: pl.DataFrame
    problems: tuple[str, ...] = ()
    saved: list[str] = field(default_factory=list)  # raw-folder files written (new or changed)
    withdrawn: list[str] = field(default_factory=list)  # files whose URL went away this run
    requests: int = 0

    def count(self, outcome: FetchOutcome, kind: FetchKind | None = None) -> int:
        rows = self.log.filter(pl.col("outcome") == outcome.value)
        return rows.height if kind is None else rows.filter(pl.col("kind") == kind.value).height

    def failures(self) -> pl.DataFrame:
        return self.log.filter(pl.col("outcome") == FetchOutcome.FAILED.value).select("url", "kind", "status", "reason")


@dataclass
class _Got:
    """A page or file in hand (fresh, or kept from before after a 304), and its log row."""

    url: str
    content: bytes
    row: dict[str, object]
    known: Known | None
    fetched: Fetched
    text: str | None = None
    encoding: str = "utf-8"  # of text


class _Run:
    def __init__(self, raw_dir: Path, fetcher: Fetcher) -> None:
        self.raw_dir = Path(raw_dir)
        self.fetcher = fetcher
        self.started = utc_now()
        self.manifest = Manifest(self.raw_dir)
        self.known = known_urls(read_log(self.raw_dir))
        self.pages = PageStore(self.raw_dir)
        self.rows: list[dict[str, object]] = []
        self.done: set[str] = set()
        self.saved: list[str] = []
        self.withdrawn: list[str] = []
        self.pictures: dict[str, str] = {}  # picture URL → its file, saved or kept this run
        self.cut = False  # the budget ran out: nothing can be concluded from what was not seen

    # -- the fetch log ------------------------------------------------------------------------
    def record(
        self,
        url: str,
        kind: FetchKind,
        agency: str | None,
        referrer: str | None,
        fetched: Fetched | None,
        outcome: FetchOutcome,
        reason: str | None = None,
    ) -> dict[str, object]:
        row: dict[str, object] = {
            "run_started_at": self.started,
            "fetched_at": utc_now(),
            "agency": agency,
            "kind": kind.value,
            "url": url,
            "final_url": fetched.final_url if fetched else None,
            "referrer": referrer,
            "status": fetched.status if fetched else None,
            "etag": fetched.etag if fetched else None,
            "last_modified": fetched.last_modified if fetched else None,
            "content_sha256": None,
            "outcome": outcome.value,
            "reason": reason,
            "file": None,
            "attempts": fetched.attempts if fetched else 0,
        }
        self.rows.append(row)
        return row

    # -- robots.txt ---------------------------------------------------------------------------
    def load_robots(self, url: str) -> tuple[int | None, bytes]:
        got = self.get(url, FetchKind.ROBOTS, None, None, check_robots=False)
        if got is not None:
            if got.row["outcome"] == FetchOutcome.SAVED.value:
                self.pages.put(url, got.content)
            return 200, got.content
        status = self.rows[-1]["status"]
        return (status if isinstance(status, int) else None), b""

    # -- one URL ------------------------------------------------------------------------------
    def _cached(self, url: str, kind: FetchKind, known: Known | None) -> bytes | None:
        # A source of kind auto is asked for as a listing and may turn out a report page: its
        # file then holds what was fetched.
        if known is not None and known.file is not None:
            path = self.raw_dir / known.file
            return path.read_bytes() if path.is_file() else None
        return None if kind in _SAVED_KINDS else self.pages.get(url)

    def get(
        self, url: str, kind: FetchKind, agency: str | None, referrer: str | None, check_robots: bool = True
    ) -> _Got | None:
        """GET one URL (conditionally where it was fetched whole before), log it, and give its
        content when there is a usable one: None after a failure, a refusal or a withdrawal."""
        self.done.add(url)
        if self.fetcher.remaining == 0:
            self.cut = True
            reason = f"the run's budget of {self.fetcher.politeness.budget} requests is spent; next night"
            self.record(url, kind, agency, referrer, None, FetchOutcome.OVER_BUDGET, reason)
            return None
        if check_robots and (refusal := self.fetcher.refusal(url, self.load_robots)):
            self.record(url, kind, agency, referrer, None, FetchOutcome.DISALLOWED, refusal)
            return None
        known = self.known.get(url)
        cached = self._cached(url, kind, known)
        validators = Validators(known.etag, known.last_modified) if known and cached is not None else None
        fetched = self.fetcher.get(url, validators)
        if fetched.error and fetched.attempts == 0:
            self.cut = True
            self.record(url, kind, agency, referrer, fetched, FetchOutcome.OVER_BUDGET, fetched.error)
            return None
        if fetched.error:
            tries = f" ({fetched.attempts} tries)" if fetched.attempts > 1 else ""
            self.record(url, kind, agency, referrer, fetched, FetchOutcome.FAILED, fetched.error + tries)
            return None
        if fetched.status == 304 and cached is not None and known is not None:
            row = self.record(url, kind, agency, referrer, fetched, FetchOutcome.NOT_MODIFIED)
            # A 304 may omit the validators: keep the ones it answered.
            row["etag"] = row["etag"] or known.etag
            row["last_modified"] = row["last_modified"] or known.last_modified
            row["content_sha256"], row["file"] = known.content_sha256, known.file
            return self._checked(_Got(url, cached, row, known, fetched), kind)
        if fetched.status == 200:
            digest = sha256(fetched.content)
            same = known is not None and known.content_sha256 == digest and cached is not None
            row = self.record(
                url, kind, agency, referrer, fetched, FetchOutcome.UNCHANGED if same else FetchOutcome.SAVED
            )
            row["content_sha256"] = digest
            return self._checked(_Got(url, fetched.content, row, known, fetched), kind)
        status = fetched.status
        if kind == FetchKind.ROBOTS and status is not None and 400 <= status < 500:
            reason = f"no robots.txt (HTTP {status}): every path allowed"
            self.record(url, kind, agency, referrer, fetched, FetchOutcome.SAVED, reason)
            return None
        if status in _GONE and kind in _SAVED_KINDS and url in self.manifest.by_url():
            self._withdraw(url, kind, agency, referrer, fetched)
            return None
        tries = f" after {fetched.attempts} tries" if fetched.attempts > 1 else ""
        reason = f"HTTP {status} {httpx.codes.get_reason_phrase(status or 0)}".rstrip() + tries
        self.record(url, kind, agency, referrer, fetched, FetchOutcome.FAILED, reason)
        return None

    def _fail(self, got: _Got, reason: str) -> None:
        got.row["outcome"], got.row["reason"] = FetchOutcome.FAILED.value, reason
        got.row["etag"] = got.row["last_modified"] = None  # not remembered: fetched whole next night

    def _checked(self, got: _Got, kind: FetchKind) -> _Got | None:
        """The content is what was asked for: a page in readable Chinese that is no login wall,
        or a file the build reads."""
        if kind == FetchKind.ROBOTS:
            return got
        if kind == FetchKind.ATTACHMENT:
            suffix = suffix_for(got.url, got.fetched.content_type, got.fetched.content_disposition, got.content)
            if suffix == ".html":
                try:
                    wall = access_problem(decode_page(got.content, got.fetched.content_type)[0])
                except PageProblem:
                    wall = None
                self._fail(got, wall or "an HTML page instead of the announced file")
                return None
            if suffix not in ATTACHMENT_SUFFIXES:
                self._fail(got, f"a {suffix} file: not a format the build reads ({', '.join(ATTACHMENT_SUFFIXES)})")
                return None
            return got
        if kind == FetchKind.PICTURE:
            if picture_suffix(got.content) is None:
                served = (got.fetched.content_type or "no content type").split(";")[0]
                self._fail(got, f"not a picture the reader opens (PNG, JPEG, GIF, BMP, TIFF, WebP): {served}")
                return None
            if len(got.content) > self.fetcher.politeness.picture_max_bytes:
                limit = self.fetcher.politeness.picture_max_bytes / 1e6
                self._fail(got, f"a picture of {len(got.content) / 1e6:.1f} MB, over the limit of {limit:g} MB")
                return None
            return got
        try:
            got.text, got.encoding = decode_page(got.content, got.fetched.content_type)
        except PageProblem as exc:
            self._fail(got, str(exc))
            return None
        if wall := access_problem(got.text):
            self._fail(got, wall)
            return None
        return got

    def _withdraw(self, url: str, kind: FetchKind, agency: str | None, referrer: str | None, fetched: Fetched) -> None:
        row = self.manifest.by_url()[url]
        reason = f"HTTP {fetched.status}: gone from the site; {row['file']} and its data are kept"
        self.record(url, kind, agency, referrer, fetched, FetchOutcome.WITHDRAWN, reason)["file"] = row["file"]
        if not row.get("withdrawn_seen_at"):
            self.manifest.put(row["file"], withdrawn_seen_at=utc_now())
            self.withdrawn.append(row["file"])

    def keep(self, got: _Got, agency: str | None, year: int | None, page: str | None) -> str:
        """Write a report page or attachment into the raw folder (unless it is there already, the
        same) and give it its manifest.csv row; returns its file."""
        known = got.known
        file = known.file if known and known.file else None
        if file is None:
            file = file_for(got.url, ".html" if got.text is not None else self._suffix(got))
        got.row["file"] = file
        path = self.raw_dir / file
        existing = self.manifest.rows.get(file, {})
        if got.row["outcome"] == FetchOutcome.SAVED.value or not path.is_file():
            write_atomic(path, got.content)
            self.saved.append(file)
            got.row["outcome"] = FetchOutcome.SAVED.value
            fetched_at = str(got.row["fetched_at"])
        else:
            fetched_at = existing.get("fetched_at") or str(got.row["fetched_at"])
        self.manifest.put(
            file,
            agency=agency or existing.get("agency"),
            year=year or existing.get("year"),
            url=got.url,
            fetched_at=fetched_at,
            page=page,
            withdrawn_seen_at=None,  # seen on the site again
        )
        return file

    def _suffix(self, got: _Got) -> str:
        return suffix_for(got.url, got.fetched.content_type, got.fetched.content_disposition, got.content)

    # -- a source -----------------------------------------------------------------------------
    def report(self, url: str, agency: str | None, year: int | None, referrer: str | None) -> None:
        if url in self.done:
            return
        got = self.get(url, FetchKind.REPORT, agency, referrer)
        if got is not None:
            self.report_page(got, agency, year)

    def report_page(self, got: _Got, agency: str | None, year: int | None) -> None:
        page = self.keep(got, agency, year, None)
        base = got.fetched.final_url or got.url
        self.page_pictures(got, page, base, agency)
        for link in attachment_links(links(got.text or "", base)):
            self.attachment(link.url, agency, year, page, got.url)

    def page_pictures(self, got: _Got, page: str, base: str, agency: str | None) -> None:
        """Fetch the pictures of a report page's article into PICTURE_FOLDER beside its file and
        point the saved page's `src`s at them. A page saved before has its fetched pictures'
        `src`s pointed already: only those that failed then (or are new) are asked for, so an
        unchanged page costs no picture request. A picture that fails is logged and keeps its
        `src`; the page is kept all the same."""
        path = self.raw_dir / page
        if not path.is_file():
            return
        # The file as saved, not as fetched: an unchanged page's fetched pictures are pointed at already.
        content = path.read_bytes()
        try:
            text, encoding = decode_page(content, got.fetched.content_type)
        except PageProblem:
            text, encoding = got.text or "", got.encoding
        folder = posixpath.dirname(page)
        saved: dict[str, str] = {}
        for picture in content_pictures(text, base, self.fetcher.politeness.pictures_per_page):
            file = self.pictures.get(picture.url)
            if file is None and picture.url not in self.done:
                file = self.picture(picture.url, folder, agency, got.url)
            if file is not None:
                saved[picture.src] = posixpath.relpath(file, folder or ".")
        local = localise(content, encoding, saved)
        if local != content:
            write_atomic(path, local)
            if page not in self.saved:
                self.saved.append(page)

    def picture(self, url: str, folder: str, agency: str | None, referrer: str) -> str | None:
        """One picture into PICTURE_FOLDER (named by its content's hash); returns its file."""
        got = self.get(url, FetchKind.PICTURE, agency, referrer)
        if got is None:
            return None
        digest = sha256(got.content)
        file = posixpath.join(folder, PICTURE_FOLDER, digest[:20] + (picture_suffix(got.content) or ".bin"))
        got.row["file"] = file
        if not (self.raw_dir / file).is_file():
            write_atomic(self.raw_dir / file, got.content)
            got.row["outcome"] = FetchOutcome.SAVED.value
            self.saved.append(file)
        self.pictures[url] = file
        return file

    def attachment(self, url: str, agency: str | None, year: int | None, page: str | None, referrer: str) -> None:
        if url in self.done:
            return
        got = self.get(url, FetchKind.ATTACHMENT, agency, referrer)
        if got is not None:
            self.keep(got, agency, year, page)

    def source(self, src: Source) -> None:
        if src.kind == "report":
            self.report(src.url, src.agency, src.year, None)
            return
        todo, pages = [src.url], 0
        while todo and pages < src.max_pages:
            url = todo.pop(0)
            if url in self.done:
                continue
            pages += 1
            got = self.get(url, FetchKind.LISTING, src.agency, None if url == src.url else src.url)
            if got is None:
                continue
            found = links(got.text or "", got.fetched.final_url or url)
            reports = report_links(found, src.link_pattern)
            if not reports and url == src.url and src.kind == "auto":
                # No links to reports: the source is a report page itself.
                got.row["kind"] = FetchKind.REPORT.value
                self.report_page(got, src.agency, src.year)
                return
            if got.row["outcome"] == FetchOutcome.SAVED.value:
                self.pages.put(url, got.content)
            for link in reports:
                year = year_in(link.text) or src.year
                if is_attachment(link):  # a file linked from the listing itself: no page announced it
                    self.attachment(link.url, src.agency, year, None, url)
                else:
                    self.report(link.url, src.agency, year, url)
            todo += [link.url for link in next_pages(found, url) if link.url not in self.done]

    def recheck_unlisted(self) -> None:
        """Reports and attachments fetched on earlier nights that no page links to now: asked
        again, so a removed one is marked withdrawn (a 404/410) and a moved one stays current."""
        if self.cut:
            return
        for url, row in sorted(self.manifest.by_url().items()):
            if url in self.done or not row.get("fetched_at") or row.get("withdrawn_seen_at"):
                continue
            # A page is saved as .html; anything else is a file (announced, or linked from a listing).
            kind = FetchKind.REPORT if row["file"].endswith(".html") else FetchKind.ATTACHMENT
            year = row.get("year")
            got = self.get(url, kind, row.get("agency") or None, None)
            if got is not None:
                self.keep(got, row.get("agency") or None, int(year) if year else None, row.get("page") or None)


def collect(
    sources: Sources | Path,
    raw_dir: Path,
    politeness: Politeness | None = None,
    transport: httpx.BaseTransport | None = None,
) -> CollectResult:
    """Visit every source once: save new or changed reports and attachments into raw_dir, keep
    manifest.csv in step, append the run's requests to the fetch log beside raw_dir."""
    listed = sources if isinstance(sources, Sources) else read_sources(sources)
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    with Fetcher(politeness or Politeness(), transport=transport) as fetcher:
        run = _Run(raw_dir, fetcher)
        for src in listed.sources:
            run.source(src)
        run.recheck_unlisted()
    run.manifest.write()
    log = append_log(raw_dir, run.rows) if run.rows else pl.DataFrame(schema=FETCH_LOG_SCHEMA)
    return CollectResult(run.started, log, listed.problems, sorted(set(run.saved)), run.withdrawn, fetcher.requests)
