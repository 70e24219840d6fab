-- One line per report for the report page.
SELECT
    q.agency,
    q.year,
    q.reading,
    q.cells_found,
    q.cells_expected,
    q.rule_failures,
    q.warnings,
    m.received,
    m.granted,
    m.not_held
FROM quality AS q
LEFT JOIN mart_agency_year AS m ON m.source_sha256 = q.source_sha256
ORDER BY q.agency, q.year
