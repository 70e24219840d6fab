"""What the collector writes: report files into the raw folder, the rows of its manifest.csv
(what the build reads of each file), the fetch log beside the folder, and the listing pages and
robots.txt kept for conditional GETs (beside the folder too: they are not reports)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import uuid
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

import polars as pl

from models.schemas import FetchLogModel, polars_schema
from models.vocab import FetchOutcome
from pipelines.ingest.raw_folder import MANIFEST_COLUMNS, MANIFEST_CSV, fetch_log_path

FETCH_LOG_SCHEMA = polars_schema(FetchLogModel)
# Outcomes after which the URL's validators, content hash and file are known.
_KNOWN = (FetchOutcome.SAVED, FetchOutcome.UNCHANGED, FetchOutcome.NOT_MODIFIED)
_CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "text/html": ".html",
}
_UNSAFE = re.compile(r"[^\w.-]+")


def write_atomic(path: Path, content: bytes) -> None:
    """Write a whole file or nothing (a rename over the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def suffix_for(url: str, content_type: str | None, disposition: str | None, content: bytes) -> str:
    """The file suffix the build's readers go by: the served file name's, the URL's, the
    content type's, or what the bytes start with."""
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        name = message.get_filename()
        if name and "." in name:
            return "." + name.rsplit(".", 1)[1].lower()
    path = unquote(urlsplit(url).path)
    last = path.rsplit("/", 1)[-1]
    if "." in last and len(last.rsplit(".", 1)[1]) <= 5:
        suffix = "." + last.rsplit(".", 1)[1].lower()
        if suffix not in (".jsp", ".php", ".asp", ".aspx", ".do", ".action", ".cgi"):
            return ".html" if suffix in (".htm", ".shtml") else suffix
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in _CONTENT_TYPES:
        return _CONTENT_TYPES[kind]
    if content.startswith(b"%PDF"):
        return ".pdf"
    if content.startswith(b"PK"):
        return ".docx"
    return ".html"


def file_for(url: str, suffix: str) -> str:
    """The raw-folder file of a URL: host/last-path-segment-hash.suffix, stable for the URL (a
    changed report overwrites its file, which the build records in `removed`)."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    stem = _UNSAFE.sub("_", last).strip("._")[:60] or "index"
    host = _UNSAFE.sub("_", parts.netloc)
    return f"{host}/{stem}-{hashlib.sha1(url.encode()).hexdigest()[:8]}{suffix}"


@dataclass(frozen=True)
class Known:
    """What an earlier run learned of a URL: its validators, content hash and file."""

    etag: str | None
    last_modified: str | None
    content_sha256: str | None
    file: str | None


def read_log(raw_dir: Path) -> pl.DataFrame:
    path = fetch_log_path(raw_dir)
    if not path.is_file():
        return pl.DataFrame(schema=FETCH_LOG_SCHEMA)
    return pl.read_parquet(path).select(list(FETCH_LOG_SCHEMA)).cast(FETCH_LOG_SCHEMA)


def append_log(raw_dir: Path, rows: list[dict[str, object]]) -> pl.DataFrame:
    """Add one run's rows to the fetch log (rewritten whole, atomically); returns the run's rows."""
    new = pl.DataFrame(rows, schema=FETCH_LOG_SCHEMA)
    path = fetch_log_path(raw_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    pl.concat([read_log(raw_dir), new]).write_parquet(tmp)
    os.replace(tmp, path)
    return new


def known_urls(log: pl.DataFrame) -> dict[str, Known]:
    """Per URL, what its latest successful fetch left (validators, content hash, file)."""
    latest = log.filter(pl.col("outcome").is_in([o.value for o in _KNOWN])).unique(
        "url", keep="last", maintain_order=True
    )
    return {
        r["url"]: Known(r["etag"], r["last_modified"], r["content_sha256"], r["file"])
        for r in latest.iter_rows(named=True)
    }


class PageStore:
    """Bodies of listing pages and robots.txt files by URL, so that a 304 still gives their links."""

    def __init__(self, raw_dir: Path) -> None:
        self.root = Path(raw_dir).resolve().parent / ".collect_pages"

    def _path(self, url: str) -> Path:
        return self.root / hashlib.sha256(url.encode()).hexdigest()[:32]

    def get(self, url: str) -> bytes | None:
        path = self._path(url)
        return path.read_bytes() if path.is_file() else None

    def put(self, url: str, content: bytes) -> None:
        write_atomic(self._path(url), content)


class Manifest:
    """The raw folder's manifest.csv as the collector keeps it: one row per file, the rows others
    wrote kept as they are (and any extra columns), written back whole and atomically."""

    def __init__(self, raw_dir: Path) -> None:
        self.path = Path(raw_dir) / MANIFEST_CSV
        self.columns: list[str] = list(MANIFEST_COLUMNS)
        self.rows: dict[str, dict[str, str]] = {}
        if self.path.is_file():
            data = self.path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030", errors="replace")
            reader = csv.DictReader(io.StringIO(text))
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "file" in fields:
                self.columns += [f for f in fields if f not in self.columns]
                for raw in reader:
                    row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
                    if row.get("file"):
                        self.rows.setdefault(row["file"], row)

    def by_url(self) -> dict[str, dict[str, str]]:
        return {row["url"]: row for row in self.rows.values() if row.get("url")}

    def put(self, file: str, **values: str | int | None) -> None:
        row = self.rows.setdefault(file, {"file": file})
        row.update({k: "" if v is None else str(v) for k, v in values.items()})

    def write(self) -> bool:
        """Write the manifest if it changed (an unchanged night leaves the raw folder as it was,
        so the build's sensor sees nothing new); returns whether it was written."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for file in sorted(self.rows):
            writer.writerow({c: self.rows[file].get(c, "") for c in self.columns})
        data = out.getvalue().encode("utf-8")
        if self.path.is_file() and self.path.read_bytes() == data:
            return False
        write_atomic(self.path, data)
        return True
