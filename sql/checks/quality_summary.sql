-- One row per report: how complete and how consistent it is (xxgk check).
SELECT
    source_file,
    agency,
    year,
    reading,
    cells_found,
    cells_expected,
    cells_unreadable,
    rule_checks,
    rule_failures,
    failed_rules,
    warnings,
    repairs
FROM quality
ORDER BY source_file
