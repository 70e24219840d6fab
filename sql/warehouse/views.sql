-- Facts with the template's Chinese labels beside the keys.
CREATE VIEW facts_labeled AS
SELECT
    f.agency,
    f.year,
    f.template,
    f.section,
    f.table_key,
    f.row_key,
    r.row_label,
    r.group_label,
    f.column_key,
    c.column_label,
    f.value,
    f.raw_text,
    f.value_status,
    f.ocr_confidence,
    f.source_file,
    f.source_sha256
FROM facts AS f
JOIN catalog_rows AS r
    -- A 2021 report may print （六）其他处理 as one row: the 2019 key other_handling (shared/spec).
    ON r.table_key = f.table_key AND r.row_key = f.row_key
    AND (r.template IN ('*', f.template) OR r.row_key = 'other_handling')
JOIN catalog_columns AS c
    ON c.table_key = f.table_key AND c.column_key = f.column_key AND c.template IN ('*', f.template);
