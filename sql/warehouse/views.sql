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

-- Agency-years with more than one report, one row per report: which one the marts count
-- (reports.counted) and, for each other one that prints different figures, the D1 finding that
-- names the cells. A report page and the attachment it announced are one publication (A1 compares
-- them). Choose another report for an agency-year in report_choice.csv beside the raw folder.
CREATE VIEW duplicate_reports AS
SELECT
    -- The agency the reports count under: reports.given_agency (manifest.csv) where given, else the agency the text names.
    k.agency,
    -- The statistics year the reports count under: reports.given_year where given, else the year the text reads.
    k.year,
    -- How many reports this agency-year has (2 or more).
    k.reports_in_year,
    r.counted,
    r.source_file,
    r.source_sha256,
    r.reading,
    r.cells_found,
    r.announced_by,
    -- The D1 finding on this report (the cells where it differs from the counted report, with both figures); NULL for the counted report and for one that agrees with it.
    d.message AS disagreement
FROM (
    SELECT
        source_sha256,
        COALESCE(given_agency, agency) AS agency,
        COALESCE(given_year, year) AS year,
        COUNT(*) OVER (PARTITION BY COALESCE(given_agency, agency), COALESCE(given_year, year)) AS reports_in_year
    FROM reports
    WHERE COALESCE(given_agency, agency) IS NOT NULL AND COALESCE(given_year, year) IS NOT NULL
) AS k
JOIN reports AS r ON r.source_sha256 = k.source_sha256
LEFT JOIN findings AS d ON d.source_sha256 = r.source_sha256 AND d.rule = 'D1'
WHERE k.reports_in_year > 1;
