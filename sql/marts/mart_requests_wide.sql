-- Section 3 (依申请公开) of every report as a wide table: one row per report and template row,
-- one column per applicant type (counts of applications, 件), with the row's Chinese label.
-- Agency and year: the collector's (manifest.csv) where given, the text's otherwise, as in
-- mart_agency_year. Every report is here, counted or not: sum over agency-years only
-- `WHERE counted`, or two reports of one agency-year are added together.
SELECT
    -- The report the row comes from (reports.source_sha256).
    f.source_sha256,
    -- The agency the report counts under: reports.given_agency (manifest.csv) where given, else the agency its text names; NULL when neither.
    COALESCE(p.given_agency, f.agency) AS agency,
    -- The statistics year the report counts under: reports.given_year where given, else the year its text reads; NULL when neither.
    COALESCE(p.given_year, f.year) AS year,
    -- Whether the marts count this report for its agency-year (reports.counted): filter on it before summing across reports.
    p.counted,
    -- Template version of the report: '2019' or '2021' (they differ in section 3's 其他处理 rows).
    f.template,
    -- Stable English key of the template row (e.g. new_requests, granted, denied_state_secret); facts.row_key.
    f.row_key,
    -- The row's official Chinese label (catalog_rows.row_label), e.g. 一、本年新收政府信息公开申请数量.
    r.row_label,
    -- The heading the row sits under (e.g. 三、本年度办理结果/（三）不予公开); NULL for a top-level row.
    r.group_label,
    -- Printed position of the row in section 3 (1 = first): order by it to read the table as printed.
    r.row_order,
    -- Applications (件) from natural persons (自然人); NULL when the cell was not found in the file.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'natural_person') AS BIGINT) AS natural_person,
    -- Applications (件) from commercial enterprises (法人或其他组织: 商业企业); NULL when not found.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'commercial_enterprise') AS BIGINT) AS commercial_enterprise,
    -- Applications (件) from research institutions (科研机构); NULL when not found.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'research_institution') AS BIGINT) AS research_institution,
    -- Applications (件) from social welfare organisations (社会公益组织); NULL when not found.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'social_welfare_org') AS BIGINT) AS social_welfare_org,
    -- Applications (件) from legal service organisations (法律服务机构); NULL when not found.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'legal_service_org') AS BIGINT) AS legal_service_org,
    -- Applications (件) from other organisations (其他); NULL when not found.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'other_org') AS BIGINT) AS other_org,
    -- Applications (件) of all applicants (总计), as the report prints it (C2: the sum of the six columns); NULL when not found.
    CAST(MAX(f.value) FILTER (WHERE f.column_key = 'total') AS BIGINT) AS total
FROM facts AS f
JOIN catalog_rows AS r
    -- A 2021 report may print （六）其他处理 as one row: the 2019 key other_handling (shared/spec).
    ON r.table_key = f.table_key AND r.row_key = f.row_key
    AND (r.template IN ('*', f.template) OR r.row_key = 'other_handling')
JOIN reports AS p ON p.source_sha256 = f.source_sha256
WHERE f.section = 3
GROUP BY f.source_sha256, COALESCE(p.given_agency, f.agency), COALESCE(p.given_year, f.year), p.counted, f.template, f.row_key, r.row_label, r.group_label, r.row_order
