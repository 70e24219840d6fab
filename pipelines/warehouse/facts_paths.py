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


def pinned_dir(root: Path) -> Path:
    """Where the view `facts` reads the files of the facts folder `root` from: a hidden folder
    beside it (xxgk.facts → .xxgk.facts/), with the same year=…/bucket=… paths, holding each
    published file under a second name (a hard link) and a superseded one for a while longer, so
    that a query still reading an older warehouse finds every file that warehouse names."""
    return root.with_name(f".{root.name}")


def allowed_paths(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """The files a reader of this warehouse may open: its published facts files, exactly, where
    its view reads them."""
    pins = pinned_dir(facts_dir(warehouse))
    return [str(pins / file) for _, _, file, _ in listed_files(con)]
