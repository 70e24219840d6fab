"""The parse split into shards by the first hex digit of each file's sha256, so that several
processes, or machines, parse one build's new files at once into the same parse store.

A content always lands in the same shard (its hash decides), so a file under two names is judged
in one shard, and each shard is a plain `parse_new` over its part of the raw folder, adding its
own segment to the store (whose lock lets shards add side by side, and merges segments only when
no one is reading or adding). The step after them, `parse_new` over the whole folder, then finds
nothing left to parse.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.ingest.parse_pool import IngestStats, parse_new

# Sixteen shards: a few times more than the workers one expects, so a slow shard (a run of PDFs
# needing OCR) does not keep the others waiting; sha256 spreads files evenly over them.
SHARD_PREFIXES: tuple[str, ...] = tuple("0123456789abcdef")


def shard_files(manifest: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """The raw folder's files whose content hash starts with `prefix`."""
    if prefix not in SHARD_PREFIXES:
        raise ValueError(f"not a parse shard: {prefix!r} (one of {''.join(SHARD_PREFIXES)})")
    return manifest.filter(pl.col("source_sha256").str.starts_with(prefix))


def parse_shard(manifest: pl.DataFrame, warehouse: Path, prefix: str, workers: int = 1) -> IngestStats:
    """Parse the new contents of one shard into the parse store beside `warehouse`. One process
    by default: on a cluster the shards themselves are the parallelism (one per worker slot)."""
    return parse_new(shard_files(manifest, prefix), warehouse, workers=workers)
