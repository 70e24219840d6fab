"""An incremental build: the published warehouse copied to the staging file, and only the rows of
what changed since it was published deleted and inserted again.

What changed is told by the raw folder's scan against the one the last publish remembered: a
file added, removed, renamed or rewritten changes the content hashes it names. What else a change
reaches is whole agencies (C6, the year-over-year outliers and the marts look across an agency's
years; agency as the marts count it: the collector's where given, the text's otherwise) and a page
with the attachment it announced (A1, mart_agency_year's choice between them). Those reports are
read again from the parse store, derived and validated as in a full build, and replace their
rows; the marts are refreshed for those agencies only.

The collector's manifest.csv changes on every night it finds something, so a changed row of it
is a change of its file (the given agency, year, URL or page it announces), whose report is read
again like a rewritten file's; the fetch log, appended to every night, is replaced whole.

An incremental build is taken only when the published file is the one the last build wrote and
report_choice.csv and the code are as they were then (either changing reaches every report: a
full build). `tests/test_incremental_equal.py` checks that it ends with the same rows, table by
table, as a full build.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.ingest.fingerprint import BuildState, given_part, saved_state
from pipelines.ingest.raw_folder import GivenManifest
from pipelines.tables.parse_store import store_beside

log = logging.getLogger(__name__)
_KEYS = ("source_file", "source_sha256")
# The manifest.csv rows the last publish was built with, beside the raw folder's (bookkeeping).
GIVEN_ROWS = "given.parquet"


@dataclass(frozen=True)
class Changes:
    """What differs from the last published build."""

    files: frozenset[str]  # names added, removed or rewritten (either content)
    contents: frozenset[str]  # content hashes whose rows change: of those files, and attachments of changed pages
    previous: pl.DataFrame  # the raw folder as the last publish saw it

    def __bool__(self) -> bool:
        return bool(self.contents)


def incremental_possible(warehouse: Path, inputs: BuildState) -> bool:
    """Whether the published file is the last build's, and only report files, manifest.csv rows
    and the fetch log changed since."""
    saved = saved_state(warehouse)
    try:
        stat = Path(warehouse).stat()
    except FileNotFoundError:
        return False
    kept = store_beside(warehouse).bookkeeping(warehouse)
    return (
        saved is not None
        and saved.code == inputs.code
        and given_part(saved.given, "choice") == given_part(inputs.given, "choice")
        and saved.warehouse == (stat.st_size, stat.st_mtime_ns)
        and (kept / "manifest.parquet").is_file()
        and (kept / GIVEN_ROWS).is_file()
    )


def _row_hashes(rows: pl.DataFrame) -> pl.DataFrame:
    """source_file and a hash of its whole manifest.csv row (nulls included)."""
    return rows.select("source_file", pl.struct(pl.all()).hash().alias("row_hash"))


def changed_given_files(given: GivenManifest, warehouse: Path) -> set[str]:
    """The files whose manifest.csv row was added, removed or edited since the last publish."""
    before = pl.read_parquet(store_beside(warehouse).bookkeeping(warehouse) / GIVEN_ROWS)
    now, then = _row_hashes(given.rows), _row_hashes(before.select(given.rows.columns).cast(given.rows.schema))
    differ = pl.concat(
        [now.join(then, on=list(now.columns), how="anti"), then.join(now, on=list(now.columns), how="anti")]
    )
    return set(differ.get_column("source_file").drop_nulls())


def changes_since_publish(manifest: pl.DataFrame, warehouse: Path, given: GivenManifest) -> Changes:
    """The files and contents that changed since the last publish of `warehouse`."""
    previous = pl.read_parquet(store_beside(warehouse).bookkeeping(warehouse) / "manifest.parquet")
    now, before = manifest.select(_KEYS), previous.select(_KEYS)
    added = now.join(before, on=list(_KEYS), how="anti")
    gone = before.join(now, on=list(_KEYS), how="anti")
    files = set(added.get_column("source_file")) | set(gone.get_column("source_file"))
    contents = set(added.get_column("source_sha256")) | set(gone.get_column("source_sha256"))
    # A file whose manifest row changed (agency, year, URL, its page) is read again as it is now.
    given_files = changed_given_files(given, warehouse)
    files |= given_files
    contents |= set(manifest.filter(pl.col("source_file").is_in(sorted(given_files))).get_column("source_sha256"))
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
