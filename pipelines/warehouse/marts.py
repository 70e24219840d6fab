"""The marts in sql/marts/: one SELECT per file, the file name is the table it builds.

Each file is parsed with sqlglot; the tables it reads are taken from the SQL itself (CTE names
excluded), so which mart depends on which is derived, never kept by hand. A mart is built as
`CREATE TABLE <name> AS <its SELECT>`, the statement assembled by sqlglot from the parsed query.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import polars as pl
import sqlglot
from sqlglot import exp

from pipelines.warehouse.sqlfiles import SQL_DIR

MARTS_DIR = SQL_DIR / "marts"


class MartError(ValueError):
    """A mart file that is not one SELECT, or marts that depend on each other in a cycle."""


@dataclass(frozen=True)
class Mart:
    name: str
    path: Path
    query: exp.Query
    reads: frozenset[str]  # every table the query reads
    deps: frozenset[str]  # the marts among them

    @property
    def description(self) -> str:
        """The comment above the mart's SELECT (sqlglot hangs it on the WITH clause where there is one)."""
        with_ = self.query.args.get("with_") or self.query.args.get("with")
        comments = self.query.comments or (with_.comments if with_ is not None else None) or []
        return " ".join(" ".join(c.split()) for c in comments if c.strip())

    def create_statement(self, dialect: str = "duckdb") -> str:
        create = exp.Create(this=exp.to_table(self.name), kind="TABLE", expression=self.query.copy())
        return create.sql(dialect=dialect)


def tables_read(query: exp.Expr) -> set[str]:
    """Names of the tables a query reads, without its own CTEs."""
    ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    return {t.name for t in query.find_all(exp.Table) if t.name and t.name not in ctes}


@cache
def discover_marts(directory: Path = MARTS_DIR) -> tuple[Mart, ...]:
    """Every mart, in an order where each comes after the marts it reads."""
    parsed: dict[str, tuple[Path, exp.Query]] = {}
    for path in sorted(directory.glob("*.sql")):
        statements = [s for s in sqlglot.parse(path.read_text(encoding="utf-8"), read="duckdb") if s is not None]
        if len(statements) != 1 or not isinstance(statements[0], exp.Query):
            raise MartError(f"{path.name}: a mart file holds exactly one SELECT")
        parsed[path.stem] = (path, statements[0])
    marts = {}
    for name, (path, query) in parsed.items():
        reads = frozenset(tables_read(query))
        marts[name] = Mart(name, path, query, reads, frozenset(reads & parsed.keys()))
    try:
        order = list(TopologicalSorter({m.name: m.deps for m in marts.values()}).static_order())
    except Exception as exc:  # graphlib.CycleError
        raise MartError(f"marts depend on each other in a cycle: {exc}") from exc
    return tuple(marts[name] for name in order)


def build_mart(con: duckdb.DuckDBPyConnection, mart: Mart) -> int:
    """(Re)build one mart in an open warehouse; returns its row count."""
    con.execute(f"DROP TABLE IF EXISTS {exp.to_identifier(mart.name).sql(dialect='duckdb')}")
    con.execute(mart.create_statement())
    # fetchall: a result left unfinished (fetchone) blocks the connection's next statement.
    return int(
        con.execute(f"SELECT count(*) FROM {exp.to_identifier(mart.name).sql(dialect='duckdb')}").fetchall()[0][0]
    )


def refresh_mart(
    con: duckdb.DuckDBPyConnection,
    mart: Mart,
    agencies: str,
    reports: str | None = None,
    cut: Mapping[str, str] | None = None,
) -> int:
    """Compute one mart's rows again for the agencies in the registered table `agencies` (its
    column `agency`; NULL there stands for the rows without one), leaving the others; returns
    the mart's row count. Every mart has an `agency` column: marts are per agency (and year).
    `reports` (a table of source_sha256: those agencies' reports, see touched_reports) cuts what
    the query reads to them, so the refresh costs what changed, not the whole warehouse; `cut`
    names tables already cut to those reports (cut_once)."""
    name = exp.to_identifier(mart.name).sql(dialect="duckdb")
    touched = exp.to_identifier(agencies).sql(dialect="duckdb")
    among = f"EXISTS (SELECT 1 FROM {touched} AS t WHERE t.agency IS NOT DISTINCT FROM m.agency)"
    con.execute(f"DELETE FROM {name} AS m WHERE {among}")
    query = mart.query if reports is None else cut_to_agencies(con, mart.query, agencies, reports, cut)
    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM ({query.sql(dialect='duckdb')}) AS m WHERE {among}")
    return int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])


def touched_reports(con: duckdb.DuckDBPyConnection, agencies: str, into: str) -> None:
    """A temporary table `into` of the source_sha256 of every report counted under one of the
    agencies in `agencies` (as the marts count it: the collector's name where given)."""
    touched = exp.to_identifier(agencies).sql(dialect="duckdb")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {exp.to_identifier(into).sql(dialect='duckdb')} AS"
        f" SELECT r.source_sha256 FROM reports AS r WHERE EXISTS (SELECT 1 FROM {touched} AS t"
        " WHERE t.agency IS NOT DISTINCT FROM COALESCE(r.given_agency, r.agency))"
    )


# Tables cut to the touched reports once a night (cut_once) rather than in each mart that reads
# them: the facts are Parquet files behind a view, and finding a few reports' rows there reads
# every file's hash column (about 0.1 CPU s at 10,000 reports), which mart_requests_wide did once
# and mart_agency_year twice.
CUT_ONCE = ("facts",)


@dataclass(frozen=True)
class NightFacts:
    """The facts of the reports a night's stage read from the parse store (every report its change
    reaches: stage.stage_changes), kept beside the staging file for its marts: a Parquet file per
    batch of their rows, and one of those reports' hashes. cut_once takes the touched reports'
    facts from here rather than finding them in the facts files, which reads every file's hash
    column (0.10-0.12 CPU s at 10,000 reports, growing with the warehouse); a content's facts are
    its parse, so these are the rows the facts files hold for those reports."""

    folder: Path

    def parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet"))

    @property
    def reports(self) -> Path:
        return self.folder / "reports.parquet"

    def start(self) -> None:
        """An empty folder (a retried step's files removed)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def add(self, rows: pl.DataFrame) -> None:
        """One batch of the reached reports' facts (a Parquet file; a fast codec: read once)."""
        if rows.height:
            rows.write_parquet(self.folder / f"part-{len(self.parts()):05d}.parquet", compression="lz4")

    def finish(self, reports: list[str]) -> None:
        """The reports whose facts were added (those with none among them): written last, so a
        folder without it (a stage that failed) is never read."""
        pl.DataFrame({"source_sha256": reports}, schema={"source_sha256": pl.String}).write_parquet(self.reports)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def cut_once(con: duckdb.DuckDBPyConnection, reports: str, night: NightFacts | None = None) -> dict[str, str]:
    """Each table of CUT_ONCE cut to the reports in `reports` (a table of source_sha256), as a
    temporary table `_touched_<table>`; returns table → that temporary table, for cut_to_agencies.
    `night`: the facts of the reports the night's stage reached, read for those of `reports`
    among them (the others', if any, from the facts files)."""
    cut = {}
    for table in CUT_ONCE:
        into = f"_touched_{table}"
        if table == "facts" and night is not None and night.reports.is_file():
            _facts_of_night(con, reports, night, into)
        else:
            rows = exp.select("*").from_(exp.to_table(table, alias="_rows")).where(_of_reports(reports))
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {exp.to_identifier(into).sql(dialect='duckdb')} AS "
                f"{rows.sql(dialect='duckdb')}"
            )
        cut[table] = into
    return cut


def _facts_of_night(con: duckdb.DuckDBPyConnection, reports: str, night: NightFacts, into: str) -> None:
    """The facts of `reports` into the temporary table `into`, with the facts view's columns: from
    the night's files for the reports it reached, from the facts files for any other (a report
    whose agency is NULL is touched with every such report, but reached only if it changed)."""
    table = exp.to_identifier(into).sql(dialect="duckdb")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM facts LIMIT 0")
    parts = [str(p) for p in night.parts()]
    if parts:
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?) AS _rows"
            f" WHERE {_of_reports(reports).sql(dialect='duckdb')}",
            [parts],
        )
    beyond = exp.to_identifier(f"{into}_beyond").sql(dialect="duckdb")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {beyond} AS SELECT r.source_sha256"
        f" FROM {exp.to_identifier(reports).sql(dialect='duckdb')} AS r"
        " WHERE r.source_sha256 NOT IN (SELECT n.source_sha256 FROM read_parquet(?) AS n)",
        [str(night.reports)],
    )
    if con.execute(f"SELECT count(*) FROM {beyond}").fetchall()[0][0]:
        rows = exp.select("*").from_(exp.to_table("facts", alias="_rows")).where(_of_reports(f"{into}_beyond"))
        con.execute(f"INSERT INTO {table} {rows.sql(dialect='duckdb')}")


def _of_reports(reports: str) -> exp.Expr:
    """A row `_rows` is of a report in the table `reports` (its source_sha256)."""
    return exp.condition(
        f"_rows.source_sha256 IN (SELECT r.source_sha256 FROM {exp.to_identifier(reports).sql(dialect='duckdb')} AS r)",
        dialect="duckdb",
    )


def cut_to_agencies(
    con: duckdb.DuckDBPyConnection,
    query: exp.Query,
    agencies: str,
    reports: str,
    cut: Mapping[str, str] | None = None,
) -> exp.Query:
    """The query with every table it reads cut to the touched agencies: a table of report rows
    (one with source_sha256: reports, facts) to the rows of `reports`, a mart to the rows of
    `agencies`; other tables (the catalog) whole. A mart's rows for an agency come from that
    agency's reports only (every mart is per agency, its windows partitioned by agency), so they
    are the same as the whole query's. A table in `cut` (table → its rows of `reports`, made by
    cut_once) is read from there instead, whole."""
    cut = cut or {}
    marts = {m.name for m in discover_marts()}
    # The tables of report rows among those it reads (each bound alone: listing duckdb_columns()
    # costs DuckDB 10-14 ms the first time in a connection, the few tables read 0.3 ms each).
    per_report = {
        name for name in tables_read(query) - marts - cut.keys() if "source_sha256" in con.table(name).columns
    }
    touched = exp.to_identifier(agencies).sql(dialect="duckdb")
    by_agency = exp.condition(
        f"EXISTS (SELECT 1 FROM {touched} AS t WHERE t.agency IS NOT DISTINCT FROM _rows.agency)", dialect="duckdb"
    )
    of_reports = _of_reports(reports)
    result = query.copy()
    ctes = {c.alias_or_name for c in result.find_all(exp.CTE)}
    for table in list(result.find_all(exp.Table)):
        if table.name in ctes:
            continue
        if table.name in cut:
            table.replace(exp.to_table(cut[table.name], alias=table.alias_or_name))
            continue
        if table.name not in marts | per_report:
            continue
        rows = exp.select("*").from_(exp.to_table(table.name, alias="_rows"))
        table.replace(rows.where(by_agency if table.name in marts else of_reports).subquery(table.alias_or_name))
    return result


@dataclass(frozen=True)
class TablePreview:
    """What a table looks like: its columns with their DuckDB types, and its first rows."""

    columns: tuple[tuple[str, str], ...]
    head: pl.DataFrame


@dataclass(frozen=True)
class BuiltMart:
    """A mart as a build left it: its row count, and its preview when asked for (load.build_marts)."""

    rows: int
    preview: TablePreview | None


def preview(con: duckdb.DuckDBPyConnection, name: str, rows: int = 5) -> TablePreview:
    """The columns and first rows of a table of an open warehouse (named through DuckDB's
    relation API, not by assembling SQL)."""
    relation = con.table(name)
    columns = tuple((column, str(kind)) for column, kind in zip(relation.columns, relation.types, strict=True))
    return TablePreview(columns, relation.limit(rows).pl())


def markdown_table(frame: pl.DataFrame) -> str:
    """A frame as a Markdown table (for Dagster's metadata panel): every column, values whole."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(cell(c) for c in frame.columns) + " |",
        "|" + "---|" * frame.width,
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in frame.iter_rows()),
    ]
    return "\n".join(lines)
