"""The raw folder: where reports arrive, which files count, and a cheap fingerprint of it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from pipelines.tables.parse_store import hash_files, store_beside

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_RAW_DIR = PROJECT_DIR / "data" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "data" / "warehouse" / "xxgk.duckdb"
_IGNORED = {".gitkeep", ".DS_Store", "README.md"}


def discover_raw_files(raw_dir: Path) -> list[Path]:
    """Report files under raw_dir (recursively), in a stable order."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw report folder not found: {raw_dir}")
    return sorted(
        p for p in raw_dir.rglob("*") if p.is_file() and p.name not in _IGNORED and not p.name.startswith(".")
    )


def scan_raw_folder(raw_dir: Path, warehouse: Path) -> pl.DataFrame:
    """The raw folder's files with their content hashes (source_file, path, size, mtime_ns,
    source_sha256); only files whose size or mtime changed are read again."""
    store = store_beside(warehouse)
    return hash_files(discover_raw_files(raw_dir), Path(raw_dir), store.root / "filestat.parquet")


def raw_signature(raw_dir: Path) -> str:
    """A cheap fingerprint of the raw folder (names, sizes, mtimes): it changes when a file is
    added, removed or rewritten. The sensor compares it with its cursor."""
    digest = hashlib.sha256()
    for path in discover_raw_files(raw_dir):
        st = path.stat()
        digest.update(f"{path.relative_to(raw_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()
