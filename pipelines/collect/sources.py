"""The sources list: where each agency publishes its reports (sources.csv)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.ingest.paths import PROJECT_DIR

DEFAULT_SOURCES = PROJECT_DIR / "data" / "sources.csv"
SOURCE_COLUMNS = ("agency", "url", "region_code", "year", "kind", "link_pattern", "max_pages")
KINDS = ("auto", "listing", "report")
DEFAULT_MAX_PAGES = 20


class SourcesError(ValueError):
    """A sources list that cannot be used at all (missing, undecodable, no url column)."""


@dataclass(frozen=True)
class Source:
    """One row of sources.csv. `kind`: listing (a 年报 column with links to reports, paginated),
    report (one report page), auto (a listing if it links to reports, else a report page)."""

    agency: str | None
    url: str
    row: int
    region_code: str | None = None
    year: int | None = None
    kind: str = "auto"
    link_pattern: re.Pattern[str] | None = None
    max_pages: int = DEFAULT_MAX_PAGES


@dataclass(frozen=True)
class Sources:
    sources: tuple[Source, ...]
    problems: tuple[str, ...] = ()  # rows skipped, each naming the file and the row


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # a spreadsheet in China often saves GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourcesError(f"{path}: not UTF-8 or GB18030 text")


def read_sources(path: Path) -> Sources:
    """The sources list: columns agency and url, optionally region_code, year (the year a report
    page covers), kind (auto | listing | report), link_pattern (a regular expression a report
    link's text or URL matches on a listing; default 年度报告|年报) and max_pages (listing pages
    followed, default 20). A bad row is reported by file and row and skipped; a file that cannot
    be used at all raises SourcesError."""
    path = Path(path)
    if not path.is_file():
        raise SourcesError(f"sources list not found: {path}")
    reader = csv.reader(io.StringIO(_decode(path.read_bytes(), path)))
    header = [h.strip().lower() for h in next(reader, [])]
    if "url" not in header:
        raise SourcesError(f"{path}: row 1 is not a header naming a `url` column ({','.join(SOURCE_COLUMNS)})")
    at = {name: header.index(name) for name in SOURCE_COLUMNS if name in header}
    sources: list[Source] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values) or values[0].lstrip().startswith("#"):
            continue

        def field(name: str, values: list[str] = values) -> str | None:
            i = at.get(name)
            value = values[i].strip() if i is not None and i < len(values) else ""
            return value or None

        where = f"{path.name} row {line}"
        url = field("url")
        if url is None or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            problems.append(f"{where}: url {url!r} is not an http(s) URL; row skipped")
            continue
        if url in seen:
            problems.append(f"{where}: {url} is listed again (first at row {seen[url]}); row skipped")
            continue
        year_text, kind = field("year"), (field("kind") or "auto").lower()
        year = int(year_text) if year_text and year_text.isdigit() else None
        if year_text is not None and (year is None or not 1990 <= year <= 2100):
            problems.append(f"{where}: year {year_text!r} is not a year between 1990 and 2100; row skipped")
            continue
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}; row skipped")
            continue
        pattern_text = field("link_pattern")
        try:
            pattern = re.compile(pattern_text) if pattern_text else None
        except re.error as exc:
            problems.append(f"{where}: link_pattern {pattern_text!r} is not a regular expression ({exc}); row skipped")
            continue
        pages_text = field("max_pages")
        if pages_text is not None and not (pages_text.isdigit() and int(pages_text) >= 1):
            problems.append(f"{where}: max_pages {pages_text!r} is not a whole number ≥ 1; row skipped")
            continue
        seen[url] = line
        sources.append(
            Source(
                agency=field("agency"),
                url=url,
                row=line,
                region_code=field("region_code"),
                year=year,
                kind=kind,
                link_pattern=pattern,
                max_pages=int(pages_text) if pages_text else DEFAULT_MAX_PAGES,
            )
        )
    return Sources(tuple(sources), tuple(problems))
