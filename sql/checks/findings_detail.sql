-- Every finding with the file it is about (xxgk check).
SELECT
    r.source_file,
    f.rule,
    f.severity,
    f.message
FROM findings AS f
JOIN reports AS r ON r.source_sha256 = f.source_sha256
ORDER BY r.source_file, f.rule, f.scope
