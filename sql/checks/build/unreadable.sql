-- The reports with unreadable cells, the first $limit by name (NULL: all), with how many in all.
SELECT source_file, cells_unreadable, reading, count(*) OVER () AS total
FROM quality
WHERE cells_unreadable > 0
ORDER BY source_file
LIMIT $limit
