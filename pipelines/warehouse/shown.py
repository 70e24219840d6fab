"""What a build shows of the warehouse it made (its checks' metadata, `xxgk build`'s summary),
read back from the warehouse file when shown.

The build's steps hand each other a small handle (the file's path and its counts), never the
findings or quality rows: Dagster pickles what a step returns, and at 100,000 reports those were
~128 MiB a run (378,751 findings). Each query here reads a count and the first few rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from models.vocab import FindingRule
from pipelines.warehouse import connection
from pipelines.warehouse.sqlfiles import sql_file

_SQL = "checks/build/{}.sql"


@dataclass(frozen=True)
class Listed:
    """The first lines of a list (all of them when not cut) and how many it has in all."""

    lines: list[str]
    total: int

    @classmethod
    def of(cls, lines: Iterable[str], limit: int) -> Listed:
        """The first `limit` of `lines` (0: all)."""
        every = list(lines)
        return cls(every if limit == 0 else every[:limit], len(every))


@dataclass(frozen=True)
class RuleFindings:
    """A rule's findings as its check shows them."""

    findings: int
    reports: int
    first_reports: list[str | None]  # the first reports by name
    sample: pl.DataFrame  # source_file, scope, expected, printed, message: the first few


@dataclass(frozen=True)
class BuildShown:
    """What `xxgk build` prints about the warehouse it built."""

    re_read: pl.DataFrame  # source_file, repairs, reading: the first `limit`
    re_read_total: int
    readings: dict[str, int]  # reports per reading
    unreadable: pl.DataFrame  # source_file, cells_unreadable, reading: the first `limit`
    unreadable_total: int
    yoy: int
    disagreeing: Listed  # D1 findings' messages
    rejected: Listed  # reasons
    removed: Listed  # reasons


def _limit(limit: int) -> int | None:
    return None if limit == 0 else limit  # LIMIT NULL: every row


def _listed(frame: pl.DataFrame, column: str) -> Listed:
    total = int(frame.get_column("total")[0]) if frame.height else 0
    return Listed(frame.get_column(column).to_list(), total)


@dataclass(frozen=True)
class ChecksShown:
    """What the published warehouse's checks show of its rejections and findings."""

    rejected: Listed  # reasons, the first few by file name
    by_rule: dict[str, RuleFindings]  # per rule with findings


def checks_shown(
    path: Path, *, rejected: bool, findings: bool, reasons: int = 100, reports: int = 50, sample: int = 10
) -> ChecksShown:
    """From the warehouse at `path`, through one connection (none when there is neither and no
    summary is wanted): why files were rejected, the first `reasons` by file name (when
    `rejected`), and per rule with findings how many, about how many reports, the first `reports`
    of those by name and the first `sample` findings (when `findings`). Where `xxgk build` wants
    its summary of this file (summary_wanted), it is read through the same connection."""
    key = _key(path)
    wanted = _WANTED.get(key)
    if not (rejected or findings or wanted is not None):
        return ChecksShown(Listed([], 0), {})
    con = connection.connect(Path(path), read_only=True)
    try:
        listed = _rejected(con, reasons) if rejected else Listed([], 0)
        by_rule = _findings_by_rule(con, reports, sample) if findings else {}
        if wanted is not None:
            counts = {rule: found.findings for rule, found in by_rule.items()} if findings else None
            _READ[key] = (wanted, connection.file_identity(path), _build_shown(con, wanted, counts))
        return ChecksShown(listed, by_rule)
    finally:
        con.close()


def _findings_by_rule(con: duckdb.DuckDBPyConnection, reports: int, sample: int) -> dict[str, RuleFindings]:
    counts = con.sql(sql_file(_SQL.format("findings_by_rule"))).pl()
    names = con.sql(sql_file(_SQL.format("findings_reports")), params={"reports": reports}).pl()
    rows = con.sql(sql_file(_SQL.format("findings_sample")), params={"sample": sample}).pl()
    return {
        rule: RuleFindings(
            findings=int(n),
            reports=int(k),
            first_reports=names.filter(pl.col("rule") == rule).get_column("source_file").to_list(),
            sample=rows.filter(pl.col("rule") == rule).drop("rule"),
        )
        for rule, n, k in counts.iter_rows()
    }


def _rejected(con: duckdb.DuckDBPyConnection, limit: int) -> Listed:
    """Why files were rejected: the first `limit` by file name (0: all), and how many."""
    return _listed(con.sql(sql_file(_SQL.format("rejected")), params={"limit": _limit(limit)}).pl(), "reason")


# What `xxgk build` prints of the warehouse it built, read by the run's checks through their own
# connection (one opening of the file, and its pages read once, not twice): the command says which
# file and list limit before the run (summary_wanted), checks_shown reads it, build_shown takes it.
_WANTED: dict[str, int] = {}  # the file (resolved) → the list limit
_READ: dict[str, tuple[int, tuple[int, int, int, int], BuildShown]] = {}  # → (limit, the file's identity, read)


def _key(path: Path) -> str:
    return str(Path(path).resolve())


@contextmanager
def summary_wanted(path: Path, limit: int) -> Iterator[None]:
    """Within the body, the published checks of the warehouse at `path` (checks_shown) also read
    what build_shown(path, limit) returns; it is kept until the body ends."""
    key = _key(path)
    _WANTED[key] = limit
    try:
        yield
    finally:
        _WANTED.pop(key, None)
        _READ.pop(key, None)


def build_shown(path: Path, limit: int) -> BuildShown:
    """What `xxgk build` prints of the warehouse at `path`, each list cut to its first `limit`
    rows (0: all): as the run's checks read it (summary_wanted) if that was this very file, else
    read now."""
    read = _READ.get(_key(path))
    if read is not None and read[0] == limit and read[1] == connection.file_identity(path):
        return read[2]
    con = connection.connect(Path(path), read_only=True)
    try:
        return _build_shown(con, limit)
    finally:
        con.close()


def _build_shown(con: duckdb.DuckDBPyConnection, limit: int, per_rule: dict[str, int] | None = None) -> BuildShown:
    """build_shown through `con`; `per_rule`: the findings per rule, when just counted."""

    def query(name: str, **params: object) -> pl.DataFrame:
        return con.sql(sql_file(_SQL.format(name)), params=params or None).pl()

    re_read = query("re_read", limit=_limit(limit))
    unreadable = query("unreadable", limit=_limit(limit))
    readings = query("readings")
    if per_rule is None:
        per_rule = {str(rule): int(n) for rule, n, _ in query("findings_by_rule").iter_rows()}
    return BuildShown(
        re_read=re_read.drop("total"),
        re_read_total=int(re_read.get_column("total")[0]) if re_read.height else 0,
        readings={str(r): int(n) for r, n in readings.iter_rows()},
        unreadable=unreadable.drop("total"),
        unreadable_total=int(unreadable.get_column("total")[0]) if unreadable.height else 0,
        yoy=per_rule.get(FindingRule.YOY.value, 0),
        disagreeing=_listed(query("rule_messages", rule=FindingRule.D1.value, limit=_limit(limit)), "message"),
        rejected=_rejected(con, limit),
        removed=_listed(query("removed", limit=_limit(limit)), "reason"),
    )
