"""Warehouse: the tidy tables in DuckDB, and everything that reads them back.

load: a staging file written, checkpointed and renamed into place; marts: sql/marts/ in
dependency order; export: Parquet and the data dictionary; query: read-only analyst queries
checked with sqlglot; quality: `xxgk check`'s summaries; sqlfiles: reading sql/.
May import: models, pipelines.tables and everything before it.
"""
