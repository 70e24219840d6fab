"""Warehouse: the tidy tables in DuckDB, and everything that reads them back.

load: a staging file written, checkpointed and renamed into place; marts: sql/marts/ in
dependency order; export: Parquet and the data dictionary; query: read-only analyst queries
checked with sqlglot and run under limits; limits: what one query may take (no imports, for
`--help`); tabular: rows as a box table, CSV or JSON; quality: `xxgk check`'s summaries;
sqlfiles: reading sql/.
May import: models, pipelines.tables and everything before it.
"""
