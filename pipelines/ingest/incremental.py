"""An incremental build: the published warehouse copied to the staging file, and only the rows of
what changed since it was published deleted and inserted again.

What changed is told by the raw folder's scan against the one the last publish remembered: a
file added, removed, renamed or rewritten changes the content hashes it names. What else a change
reaches is whole agencies (C6, the year-over-year outliers and the marts look across an agency's
years; agency as the marts count it: the collector's where given, the text's otherwise) and a page
with the attachment it announced (A1, mart_agency_year's choice between them). Those reports are
read again from the parse store, derived and validated as in a full build, and replace their
rows; the marts are refreshed for those agencies only.

An incremental build is taken only when the published file is the one the last build wrote and
manifest.csv, the fetch log and the code are as they were then (any of these changing reaches
every report: a full build). `tests/test_incremental_equal.py` checks that it ends with the same
rows, table by table, as a full build.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.ingest.fingerprint import BuildState, saved_state
from pipelines.ingest.raw_folder import GivenManifest
from pipelines.tables.parse_store import store_beside

log = logging.getLogger(__name__)
_KEYS = ("source_file", "source_sha256")


@dataclass(frozen=True)
class Changes:
    """What differs from the last published build."""

    files: frozenset[str]  # names added, removed or rewritten (either content)
    contents: frozenset[str]  # content hashes whose rows change: of those files, and attachments of changed pages
    previous: pl.DataFrame  # the raw folder as the last publish saw it

    def __bool__(self) -> bool:
        return bool(self.contents)


def incremental_possible(warehouse: Path, inputs: BuildState) -> bool:
    """Whether the published file is the last build's and only report files changed since."""
    saved = saved_state(warehouse)
    try:
        stat = Path(warehouse).stat()
    except FileNotFoundError:
        return False
    return (
        saved is not None
        and (saved.given, saved.code) == (inputs.given, inputs.code)
        and saved.warehouse == (stat.st_size, stat.st_mtime_ns)
        and (store_beside(warehouse).bookkeeping(warehouse) / "manifest.parquet").is_file()
    )


def changes_since_publish(manifest: pl.DataFrame, warehouse: Path, given: GivenManifest) -> Changes:
    """The files and contents that changed since the last publish of `warehouse`."""
    previous = pl.read_parquet(store_beside(warehouse).bookkeeping(warehouse) / "manifest.parquet")
    now, before = manifest.select(_KEYS), previous.select(_KEYS)
    added = now.join(before, on=list(_KEYS), how="anti")
    gone = before.join(now, on=list(_KEYS), how="anti")
    files = set(added.get_column("source_file")) | set(gone.get_column("source_file"))
    contents = set(added.get_column("source_sha256")) | set(gone.get_column("source_sha256"))
    # An attachment's announced_by is its page's content hash: a rewritten page changes its row.
    attachments = given.rows.filter(pl.col("page").is_in(sorted(files))).get_column("source_file")
    contents |= set(manifest.filter(pl.col("source_file").is_in(attachments)).get_column("source_sha256"))
    return Changes(frozenset(files), frozenset(c for c in contents if c is not None), previous)


def _in(column: str, values: set[str | None]) -> pl.Expr:
    """`column` among `values`, NULL matching a None among them."""
    present = pl.col(column).is_in(sorted(v for v in values if v is not None))
    return present | pl.col(column).is_null() if None in values else present


def reach(reports: pl.DataFrame, contents: set[str], agencies: set[str | None]) -> tuple[set[str], set[str | None]]:
    """The reports (content hashes) whose derived rows a change of `contents` may change, and their
    agencies: every report of an agency touched, and a page with its attachments, until closed.
    `reports`: source_sha256, agency (as the marts count it), announced_by, of the reports now."""
    reached: set[str] = set(contents)
    while True:
        group = reports.filter(
            _in("agency", {a for a in agencies if a is not None})
            | pl.col("source_sha256").is_in(sorted(reached))
            | pl.col("announced_by").is_in(sorted(reached))
        )
        shas = set(group.get_column("source_sha256")) | set(group.get_column("announced_by").drop_nulls())
        more = set(group.get_column("agency"))
        if shas <= reached and more <= agencies:
            return reached, agencies
        reached |= shas
        agencies |= more


def copy_published(warehouse: Path, staging: Path) -> None:
    """The published file, copied to the staging path (readers keep the published one)."""
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    shutil.copyfile(warehouse, staging)
