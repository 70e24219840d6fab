-- The reports whose shifted figures the rules re-placed, the first $limit by name (NULL: all), with how many in all.
SELECT source_file, repairs, reading, count(*) OVER () AS total
FROM quality
WHERE repairs > 0
ORDER BY source_file
LIMIT $limit
