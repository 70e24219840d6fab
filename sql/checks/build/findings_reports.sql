-- Per rule: the first $reports reports its findings are about, by name.
-- min_by keeps the n smallest names per rule without a window sorting every name (0.078 → 0.041
-- CPU s at 100,000 reports); a finding's report always has a name (see
-- findings_sample.sql).
SELECT rule, unnest(min_by(source_file, source_file, greatest($reports, 1))) AS source_file
FROM (
    SELECT DISTINCT f.rule, r.source_file
    FROM findings AS f
    LEFT JOIN reports AS r ON r.source_sha256 = f.source_sha256
)
WHERE $reports > 0  -- min_by takes n >= 1: none asked, none given
GROUP BY rule
ORDER BY rule, source_file NULLS FIRST
