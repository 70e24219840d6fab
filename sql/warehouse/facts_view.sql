-- One row per template cell of one report (FactModel in models/schemas.py): the Parquet files of
-- the facts folder beside the warehouse, exactly those listed in facts_files. The build puts the
-- list of files in place of `?`. The partition columns are in the folder names
-- (year=2023/bucket=7/; __HIVE_DEFAULT_PARTITION__ is NULL); `bucket` is left out here.
CREATE OR REPLACE VIEW facts AS
SELECT
    agency,
    year,
    template,
    section,
    table_key,
    row_key,
    column_key,
    value,
    raw_text,
    value_status,
    ocr_confidence,
    source_file,
    source_sha256
FROM read_parquet(
    ?,
    hive_partitioning = TRUE,
    hive_types = {'year': 'INTEGER', 'bucket': 'INTEGER'},
    hive_types_autocast = FALSE
);
