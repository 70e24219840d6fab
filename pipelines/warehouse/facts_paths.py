"""Where a warehouse's facts files are, for readers: DuckDB and the standard library only, so
that `xxgk query` can allow exactly those files without importing the build's libraries
(pipelines.warehouse.facts_store writes them)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def facts_dir(warehouse: Path) -> Path:
    """The facts folder of the warehouse published at `warehouse`, beside it and named after it
    (xxgk.duckdb → xxgk.facts/); absolute, since the view `facts` names files by it."""
    warehouse = Path(warehouse).resolve()
    return warehouse.with_name(f"{warehouse.stem}.facts")


def listed_files(con: duckdb.DuckDBPyConnection) -> list[tuple[int | None, int, str, int]]:
    """(year, bucket, file, rows) of each facts file the open warehouse names (none without the
    table: a warehouse built before the facts moved to Parquet)."""
    try:
        rows = con.execute("SELECT year, bucket, file, rows FROM facts_files ORDER BY file").fetchall()
    except duckdb.CatalogException:
        return []
    return [(None if y is None else int(y), int(b), str(f), int(n)) for y, b, f, n in rows]


def allowed_paths(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """The files a reader of this warehouse may open: its published facts files, exactly."""
    root = facts_dir(warehouse)
    return [str(root / file) for _, _, file, _ in listed_files(con)]
