-- Per rule: the first $sample findings, by report.
SELECT
    f.rule,
    r.source_file,
    f.scope,
    f.expected,
    f.printed,
    f.message
FROM findings AS f
LEFT JOIN reports AS r ON r.source_sha256 = f.source_sha256
QUALIFY row_number() OVER (PARTITION BY f.rule ORDER BY r.source_file, f.scope, f.message) <= $sample
ORDER BY f.rule, r.source_file, f.scope, f.message
