"""Where things live by default: the project, the raw folder, the warehouse.

Kept apart from raw_folder (which needs polars) so that the `xxgk` command can name its defaults
without importing the build's libraries.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_RAW_DIR = PROJECT_DIR / "data" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "data" / "warehouse" / "xxgk.duckdb"
