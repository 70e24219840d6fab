-- The findings of rule $rule, the first $limit by report name (NULL: all), with how many in all.
SELECT f.message, count(*) OVER () AS total
FROM findings AS f
LEFT JOIN reports AS r ON r.source_sha256 = f.source_sha256
WHERE f.rule = $rule
ORDER BY r.source_file, f.scope, f.message
LIMIT $limit
