from __future__ import annotations

import os

import dagster as dg

from pipelines.ingest.paths import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE


class XxgkPaths(dg.ConfigurableResource):
    """Where raw reports are read from and where the warehouse file is published."""

    raw_dir: str = os.environ.get("XXGK_RAW_DIR", str(DEFAULT_RAW_DIR))
    warehouse_path: str = os.environ.get("XXGK_WAREHOUSE", str(DEFAULT_WAREHOUSE))
    workers: int = int(os.environ.get("XXGK_WORKERS", "0"))  # parsing processes; 0 = one per core (at most 8)
