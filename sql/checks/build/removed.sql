-- The files removed since an earlier build, the first $limit as logged (NULL: all), with how many in all.
SELECT reason, count(*) OVER () AS total
FROM removed
ORDER BY detected_at, source_file
LIMIT $limit
