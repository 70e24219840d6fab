"""Ingestion: raw report files → parsed reports → validated tidy tables → DuckDB warehouse."""
