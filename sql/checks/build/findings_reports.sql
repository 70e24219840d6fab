-- Per rule: the first $reports reports its findings are about, by name.
SELECT rule, source_file
FROM (
    SELECT DISTINCT f.rule, r.source_file
    FROM findings AS f
    LEFT JOIN reports AS r ON r.source_sha256 = f.source_sha256
)
QUALIFY row_number() OVER (PARTITION BY rule ORDER BY source_file NULLS FIRST) <= $reports
ORDER BY rule, source_file NULLS FIRST
