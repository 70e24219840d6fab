-- Why each file was rejected, the first $limit by name (NULL: all), with how many in all.
SELECT reason, count(*) OVER () AS total
FROM rejected
ORDER BY source_file, reason
LIMIT $limit
