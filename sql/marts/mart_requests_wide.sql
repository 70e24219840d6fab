-- Section 3 of every report as a wide table: one row per report and template row, one column per
-- applicant type, with the row's Chinese label. Agency and year: the collector's (manifest.csv)
-- where given, the text's otherwise, as in mart_agency_year.
SELECT
    f.source_sha256,
    COALESCE(p.given_agency, f.agency) AS agency,
    COALESCE(p.given_year, f.year) AS year,
    f.template,
    f.row_key,
    r.row_label,
    r.group_label,
    r.row_order,
    MAX(f.value) FILTER (WHERE f.column_key = 'natural_person') AS natural_person,
    MAX(f.value) FILTER (WHERE f.column_key = 'commercial_enterprise') AS commercial_enterprise,
    MAX(f.value) FILTER (WHERE f.column_key = 'research_institution') AS research_institution,
    MAX(f.value) FILTER (WHERE f.column_key = 'social_welfare_org') AS social_welfare_org,
    MAX(f.value) FILTER (WHERE f.column_key = 'legal_service_org') AS legal_service_org,
    MAX(f.value) FILTER (WHERE f.column_key = 'other_org') AS other_org,
    MAX(f.value) FILTER (WHERE f.column_key = 'total') AS total
FROM facts AS f
JOIN catalog_rows AS r
    -- A 2021 report may print （六）其他处理 as one row: the 2019 key other_handling (shared/spec).
    ON r.table_key = f.table_key AND r.row_key = f.row_key
    AND (r.template IN ('*', f.template) OR r.row_key = 'other_handling')
JOIN reports AS p ON p.source_sha256 = f.source_sha256
WHERE f.section = 3
GROUP BY f.source_sha256, COALESCE(p.given_agency, f.agency), COALESCE(p.given_year, f.year), f.template, f.row_key, r.row_label, r.group_label, r.row_order
