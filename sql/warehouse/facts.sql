-- The facts' columns, types and NOT NULL, as declared by FactModel in models/schemas.py
-- (tests/test_schema_ddl.py compares them). The facts are not a table of the DuckDB file: they are
-- Parquet files beside it (pipelines/warehouse/facts_store.py), `year` in the folder names
-- (year=2023/bucket=7/), every other column in the files, read through the view of
-- facts_view.sql. This declaration gives the view its columns when there is no file yet.
CREATE TABLE facts (
    agency        VARCHAR,
    year          INTEGER,
    template      VARCHAR NOT NULL,
    section       TINYINT NOT NULL,
    table_key     VARCHAR NOT NULL,
    row_key       VARCHAR NOT NULL,
    column_key    VARCHAR NOT NULL,
    value         DOUBLE,
    raw_text      VARCHAR,
    value_status  VARCHAR NOT NULL,
    ocr_confidence DOUBLE,
    source_file   VARCHAR NOT NULL,
    -- One row per (source_sha256, table_key, row_key, column_key), of a report in `reports`: held
    -- by the pandera model before loading, not by an index (which would slow loading tenfold).
    source_sha256 VARCHAR NOT NULL
);
