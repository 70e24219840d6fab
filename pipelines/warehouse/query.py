"""Read-only SQL for analysts (`xxgk query`): a gate, limits, and a connection that cannot reach out.

A statement runs only if it passes three locks, each of which would stop most misuse alone:

1. the gate (`check_query`): sqlglot parses the text; one statement, of an allowed kind (a query:
   SELECT, WITH, set operations, VALUES, FROM-first, PIVOT; DESCRIBE, SHOW, SUMMARIZE, EXPLAIN),
   and every node of it is walked: no DML or DDL anywhere, no function that reads files, the
   environment or secrets or runs SQL text of its own, table functions only from an allow-list,
   table names only plain names (`FROM 'x.csv'` is DuckDB reading a file);
2. DuckDB's own parser (`extract_statements`) must also see exactly one SELECT or EXPLAIN, and
   what runs is that parsed statement;
3. the connection: read-only, external access off (no files, no network, no extensions; only
   the facts' own Parquet files, by their exact paths, for the view `facts`), no
   spilling to disk, a memory limit and a thread count, and the configuration locked so the query
   cannot change any of it.

Limits: a time limit (a timer thread calls `interrupt()`: DuckDB has no statement timeout) and a
memory limit, which is DuckDB's `memory_limit` and, on Linux, also a cap on how far the process's
data segment may grow while the query runs (RLIMIT_DATA), because not every allocation passes
DuckDB's buffer manager: `repeat('x', 1e9)` builds a 1 GB string outside it.

Imports only DuckDB and sqlglot, so that `xxgk query` starts fast; pyarrow only for `--out`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError

from pipelines.warehouse.connection import file_identity
from pipelines.warehouse.limits import Limits


class RefusedQuery(ValueError):
    """A statement that `xxgk query` will not run; the message says why (one line)."""


class QueryFailed(RuntimeError):
    """A query that was allowed but did not finish: a DuckDB error or a limit; one-line message."""


# --- the gate ---------------------------------------------------------------------------------

# Statement kinds that only read: sqlglot node types allowed at the top.
_ALLOWED_KINDS: tuple[type[exp.Expr], ...] = (exp.Query, exp.Values, exp.Describe, exp.Summarize, exp.Pivot)
_SHOW_KINDS = {"TABLES", "ALL TABLES"}
# What sqlglot leaves as a raw Command, allowed when its text matches exactly: SHOW of the
# catalog or of one table (DuckDB's DESCRIBE), and bare DESCRIBE/SHOW (every table).
_SHOW_TEXT = re.compile(r"(?:TABLES|ALL\s+TABLES|DATABASES|SCHEMAS|[^\W\d]\w*)", re.IGNORECASE)
_BARE_LISTING = re.compile(r"\s*(?:DESCRIBE|SHOW)\s*;?\s*", re.IGNORECASE)
_EXPLAIN_TEXT = re.compile(r"\s*(?:ANALYZE\s+)?(?P<query>.+?)\s*;?\s*", re.IGNORECASE | re.DOTALL)

# Nodes that write, change the session or leave the warehouse, wherever they appear.
_FORBIDDEN_NODES: tuple[type[exp.Expr], ...] = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Copy,
    exp.Attach,
    exp.Detach,
    exp.Use,
    exp.Install,
    exp.Set,
    exp.Pragma,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Into,
    exp.Command,
)
# Functions refused anywhere: they read files or the environment, reach secrets, or run SQL text
# that this gate never sees (query, query_table). Matched on the name as DuckDB knows it.
_FORBIDDEN_FUNCTION = re.compile(
    r"READ_\w+|\w+_SCAN|GLOB|SNIFF_CSV|PARQUET_\w+|ICEBERG_\w+|DELTA_\w+|SQLITE_\w+|POSTGRES_\w+|MYSQL_\w+"
    r"|ST_READ\w*|ST_DRIVERS|GETENV|QUERY|QUERY_TABLE|DUCKDB_SECRETS|WHICH_SECRET|LOAD_EXTENSION"
    r"|HTTP_\w+|CHECKPOINT|FORCE_CHECKPOINT|SET_VARIABLE|FROM_CSV\w*|FROM_JSON\w*",
    re.IGNORECASE,
)
# Table functions (in FROM) that may run: numbers and the catalog of this warehouse.
_TABLE_FUNCTIONS = frozenset(
    {
        "RANGE",
        "GENERATE_SERIES",
        "UNNEST",
        "REPEAT",
        "DUCKDB_TABLES",
        "DUCKDB_VIEWS",
        "DUCKDB_COLUMNS",
        "DUCKDB_SCHEMAS",
        "DUCKDB_DATABASES",
        "DUCKDB_CONSTRAINTS",
        "DUCKDB_INDEXES",
        "DUCKDB_TYPES",
        "DUCKDB_FUNCTIONS",
        "DUCKDB_KEYWORDS",
        "DUCKDB_SETTINGS",
        "PRAGMA_TABLE_INFO",
        "PRAGMA_SHOW",
        "PRAGMA_STORAGE_INFO",
        "PRAGMA_DATABASE_SIZE",
        "PRAGMA_VERSION",
    }
)
# A table name is a plain name; anything else ('x.csv', '/etc/passwd', 'https://…') is a file.
_PLAIN_NAME = re.compile(r"[^\W\d]\w*")


def _function_name(func: exp.Func) -> str:
    """The name the user wrote, as DuckDB knows it (sqlglot maps some to its own classes)."""
    if isinstance(func, exp.Anonymous):
        return str(func.name).upper()
    if isinstance(func, exp.GenerateSeries):
        return "RANGE" if func.args.get("is_end_exclusive") else "GENERATE_SERIES"
    return func.sql_name().upper()


def _parse(sql: str) -> list[exp.Expr]:
    sqlglot_log = logging.getLogger("sqlglot")
    level = sqlglot_log.level
    sqlglot_log.setLevel(logging.ERROR)  # its "falling back to a Command" warnings are ours to judge
    try:
        return [e for e in sqlglot.parse(sql, read="duckdb") if e is not None]
    except TokenError as exc:
        raise RefusedQuery(f"not valid SQL: an unterminated string, quoted name or comment? ({exc})") from exc
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else None
        where = f" (line {first['line']}, column {first['col']})" if first else ""
        what = first["description"] if first else str(exc).splitlines()[0]
        raise RefusedQuery(f"not valid SQL: {what}{where}") from exc
    except SqlglotError as exc:
        raise RefusedQuery(f"not valid SQL: {str(exc).splitlines()[0]}") from exc
    except RecursionError as exc:
        raise RefusedQuery("not valid SQL: nested too deeply to check") from exc
    finally:
        sqlglot_log.setLevel(level)


def _check_command(stmt: exp.Command) -> exp.Expr:
    name = str(stmt.this).upper()
    rest = stmt.expression.name if isinstance(stmt.expression, exp.Literal) else str(stmt.expression or "")
    if name == "SHOW" and _SHOW_TEXT.fullmatch(rest.strip().rstrip(";").strip()):
        return stmt
    if name == "EXPLAIN" and (m := _EXPLAIN_TEXT.fullmatch(rest)):
        check_query(m["query"])
        return stmt
    raise RefusedQuery(f"only queries may run; this is a {name} statement")


def _check_nodes(stmt: exp.Expr) -> None:
    for node in stmt.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            kind = str(node.this).upper() if isinstance(node, exp.Command) else node.key.upper()
            raise RefusedQuery(f"only queries may run; found {kind} inside the query")
        if isinstance(node, exp.Func):
            name = _function_name(node)
            if _FORBIDDEN_FUNCTION.fullmatch(name):
                raise RefusedQuery(f"{name.lower()}() is not allowed: queries read only the warehouse")
        if isinstance(node, exp.Table):
            source = node.this
            if isinstance(source, exp.Func):
                name = _function_name(source)
                if name not in _TABLE_FUNCTIONS:
                    raise RefusedQuery(
                        f"table function {name.lower()}() is not allowed: queries read only the warehouse"
                    )
            else:
                for part in (node.name, node.text("db"), node.text("catalog")):
                    if part and not _PLAIN_NAME.fullmatch(part):
                        raise RefusedQuery(f"'{part}' is not a table name: queries read only the warehouse, not files")


def check_query(sql: str) -> exp.Expr:
    """Return the parsed statement if it is one statement that only reads, else raise RefusedQuery."""
    if _BARE_LISTING.fullmatch(sql):  # DuckDB lists every table; sqlglot cannot parse it alone
        return exp.Command(this="DESCRIBE")
    parsed = _parse(sql)
    if not parsed:
        raise RefusedQuery("no SQL statement given")
    if len(parsed) > 1:
        raise RefusedQuery(f"one statement at a time: {len(parsed)} statements given")
    stmt = parsed[0]
    if isinstance(stmt, exp.Command):
        return _check_command(stmt)
    if isinstance(stmt, exp.Show):
        if str(stmt.this).upper() not in _SHOW_KINDS:
            raise RefusedQuery(f"SHOW {stmt.this} is not allowed; SHOW TABLES and DESCRIBE are")
        return stmt
    if not isinstance(stmt, _ALLOWED_KINDS):
        raise RefusedQuery(f"only queries may run; this is a {stmt.key.upper()} statement")
    if isinstance(stmt, exp.Describe | exp.Summarize) and not isinstance(stmt.this, exp.Table | exp.Query):
        raise RefusedQuery(f"{stmt.this.sql('duckdb')} is not a table name: queries read only the warehouse, not files")
    _check_nodes(stmt)
    return stmt


# --- limits and the connection ------------------------------------------------------------------


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `xxgk build` first")
    con = open_whole(warehouse)
    _shut_out(con, warehouse)
    return con


# A publish (os.replace of the staging file) takes a moment: a reader that met one opens again.
OPEN_ATTEMPTS = 20


def open_whole(
    warehouse: Path, config: dict[str, str | bool | int | float | list[str]] | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse file as it was throughout the connecting.

    DuckDB opens the file three times as it connects (its magic bytes, its headers, then the
    blocks it reads from): a build publishing between two of them hands it the headers of one
    warehouse and the blocks of the next ("Could not read enough bytes from file", or a catalog
    read from the wrong blocks). Publishing replaces the file with a new one, never writes it, so
    the file at the path being the same before and after the connection was made
    (connection.file_identity) means every open found that one; otherwise the connection is made
    again."""
    for _ in range(OPEN_ATTEMPTS):
        before = file_identity(warehouse)
        try:
            con = duckdb.connect(str(warehouse), read_only=True, config=config or {})
        except duckdb.IOException:
            if file_identity(warehouse) == before:
                raise  # the file did not change: the error is the file's own
            continue
        if file_identity(warehouse) == before:
            return con
        con.close()
    raise duckdb.IOException(
        f"{warehouse}: replaced by a build {OPEN_ATTEMPTS} times while this connection was being made; try again"
    )


def _shut_out(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """External access off but for the facts files this warehouse names (its view `facts` reads
    them), by exact path; then the configuration locked. DuckDB 2.0 takes `allowed_paths` only
    once the database is open, and only while external access is still on."""
    from pipelines.warehouse.facts_paths import allowed_paths

    con.execute("SET allowed_paths = $1", [allowed_paths(con, warehouse)])
    con.execute("SET enable_external_access = false")


def connect_for_query(warehouse: Path, limits: Limits) -> duckdb.DuckDBPyConnection:
    """The analyst's connection: read-only, no files or network, limited, its configuration locked."""
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `xxgk build` first")
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "temp_directory": "",  # no spilling: a query that does not fit in memory stops
        "memory_limit": f"{limits.memory_bytes}B",
        "threads": limits.threads,
    }
    con = open_whole(warehouse, config)
    try:
        _shut_out(con, warehouse)
        con.execute("SET lock_configuration = true")  # last: nothing in the query can SET any of the above
    except BaseException:
        con.close()
        raise
    return con


def _vm_data() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


@contextlib.contextmanager
def _memory_cap(extra: int) -> Iterator[None]:
    """Linux: the data segment may grow by at most `extra` bytes inside the block (RLIMIT_DATA)."""
    used = _vm_data() if sys.platform == "linux" else None
    if used is None:
        yield
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = used + extra
    for bound in (soft, hard):
        if bound != resource.RLIM_INFINITY:
            cap = min(cap, bound)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _one_line(exc: BaseException) -> str:
    """DuckDB's message up to its first blank line (the LINE 1: … caret and hints), on one line."""
    text = str(exc).strip().split("\n\n", 1)[0]
    return " ".join(part.strip() for part in text.splitlines() if part.strip()) or type(exc).__name__


@contextlib.contextmanager
def _guarded(limits: Limits, *connections: duckdb.DuckDBPyConnection) -> Iterator[list[duckdb.DuckDBPyConnection]]:
    """Run the block under the time and memory limits; any failure leaves as one QueryFailed.

    Yields the list of connections the time limit interrupts (a cursor opened inside joins it).
    """
    watched = list(connections)
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        for con in watched:
            con.interrupt()

    timer = threading.Timer(limits.seconds, stop)
    timer.daemon = True
    timer.start()
    over_time = f"stopped: the query ran longer than the time limit of {limits.seconds:g} s (--timeout)"
    over_memory = f"stopped: the query needs more than the memory limit of {limits.memory} (--memory-limit)"
    try:
        with _memory_cap(limits.memory_bytes):
            yield watched
    except (duckdb.OutOfMemoryException, MemoryError) as exc:
        raise QueryFailed(over_memory) from exc
    except duckdb.InterruptException as exc:
        raise QueryFailed(over_time if timed_out.is_set() else "interrupted") from exc
    except (duckdb.Error, OSError) as exc:  # OSError: DuckDB's error through pyarrow's reader (--out)
        if timed_out.is_set():
            raise QueryFailed(over_time) from exc
        if "out of memory" in str(exc).lower() or "std::bad_alloc" in str(exc):
            raise QueryFailed(over_memory) from exc
        raise QueryFailed(f"{_one_line(exc)}") from exc
    finally:
        timer.cancel()


def _duckdb_statement(con: duckdb.DuckDBPyConnection, sql: str, checked: exp.Expr) -> Any:
    """DuckDB's own reading of the text: exactly one statement that only reads."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise RefusedQuery(f"not valid SQL: {_one_line(exc)}") from exc
    if len(statements) != 1:
        raise RefusedQuery(f"one statement at a time: DuckDB reads {len(statements)} statements")
    stmt = statements[0]
    kind = stmt.type
    # A PIVOT without an IN list is DuckDB's MULTI (it first reads the distinct values).
    if kind in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN) or (
        kind == duckdb.StatementType.MULTI and isinstance(checked, exp.Pivot)
    ):
        return stmt
    raise RefusedQuery(f"only queries may run; DuckDB reads this as a {kind.name} statement")


# --- running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """The first rows of a result (all of them unless a row cap was given) and how many there were."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    total_rows: int

    @property
    def hidden_rows(self) -> int:
        return self.total_rows - len(self.rows)


def run_query(sql: str, warehouse: Path, limits: Limits | None = None, max_rows: int | None = None) -> QueryResult:
    """Check and run one query; keep the first `max_rows` rows (all if None) and count the rest.

    Raises RefusedQuery (the gate), FileNotFoundError (no warehouse) or QueryFailed (DuckDB's
    error, or a limit), each with a one-line message.
    """
    limits = limits or Limits()
    checked = check_query(sql)
    con = connect_for_query(warehouse, limits)
    try:
        stmt = _duckdb_statement(con, sql, checked)
        with _guarded(limits, con) as watched:
            con.execute(stmt)
            description = con.description or []
            if max_rows is None:
                rows = con.fetchall()
                return _result(description, rows, len(rows))
            if stmt.type != duckdb.StatementType.SELECT:  # EXPLAIN, PIVOT: a few rows
                rows = con.fetchall()
                return _result(description, rows[:max_rows], len(rows))
            rows = con.fetchmany(max_rows + 1)
            if len(rows) <= max_rows:
                return _result(description, rows, len(rows))
            # More than the cap: DuckDB counts them (a second run, but without fetching a row
            # into Python; a random() or SAMPLE query may count a little differently). On a
            # cursor: after abort() an endless recursive CTE's count ignored interrupt().
            counter = con.cursor()
            watched.append(counter)
            counted = counter.sql(stmt.query).aggregate("count(*)").fetchall()
            total = int(counted[0][0]) if counted else len(rows)
            return _result(description, rows[:max_rows], total)
    finally:
        con.close()


def _result(description: list[Any], rows: list[tuple[Any, ...]], total: int) -> QueryResult:
    return QueryResult([d[0] for d in description], [str(d[1]) for d in description], rows, total)


# Types a file format cannot hold, written as DuckDB prints them: in a CSV every value is text
# anyway; Parquet (through Arrow) has no INTERVAL, UNION or BIT.
_AS_TEXT = {
    ".csv": frozenset({"interval", "union", "list", "array", "struct", "map", "bit", "uuid", "blob"}),
    ".parquet": frozenset({"interval", "union", "bit"}),
}


def _writable(relation: duckdb.DuckDBPyRelation, as_text: frozenset[str]) -> duckdb.DuckDBPyRelation:
    """The relation with the columns of `as_text` types cast to VARCHAR (by the expression API:
    no SQL is built from the column names); as it was when there is nothing to cast."""
    columns, types = relation.columns, [t.id for t in relation.types]
    if not as_text.intersection(types) or len(set(columns)) != len(columns):
        return relation
    varchar = duckdb.sqltype("VARCHAR")
    return relation.select(
        *(
            duckdb.ColumnExpression(name).cast(varchar).alias(name)
            if kind in as_text
            else duckdb.ColumnExpression(name)
            for name, kind in zip(columns, types, strict=True)
        )
    )


def save_query(sql: str, warehouse: Path, out: Path, limits: Limits | None = None) -> int:
    """Run one query and write every row of it to `out` (.csv or .parquet); return the row count.

    Written beside and renamed into place, so a failed or stopped query leaves no half file.
    """
    limits = limits or Limits()
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise RefusedQuery(f"--out {out}: the file must end in .csv or .parquet")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"--out {out}: no folder {out.parent}")
    checked = check_query(sql)
    con = connect_for_query(warehouse, limits)
    partial = out.with_name(f".{out.name}.partial")
    try:
        stmt = _duckdb_statement(con, sql, checked)
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        rows = 0
        with _guarded(limits, con):
            relation = _writable(con.sql(stmt.query), _AS_TEXT[suffix])
            reader = relation.to_arrow_reader(100_000)
            try:
                writer: Any = (
                    pa_csv.CSVWriter(partial, reader.schema, write_options=pa_csv.WriteOptions(quoting_style="needed"))
                    if suffix == ".csv"
                    else pq.ParquetWriter(partial, reader.schema)
                )
            except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise QueryFailed(
                    f"cannot write this result as {suffix[1:]}: {exc} (CAST the column to VARCHAR)"
                ) from exc
            with writer:
                for batch in reader:
                    try:
                        writer.write_batch(batch)
                    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                        raise QueryFailed(f"cannot write this result as {suffix[1:]}: {exc}") from exc
                    rows += batch.num_rows
        partial.replace(out)
        return rows
    finally:
        con.close()
        partial.unlink(missing_ok=True)
