-- Per rule: its findings and the reports they are about (the published checks' metadata).
SELECT
    f.rule,
    count(*) AS findings,
    count(DISTINCT r.source_file) AS reports
FROM findings AS f
LEFT JOIN reports AS r ON r.source_sha256 = f.source_sha256
GROUP BY f.rule
