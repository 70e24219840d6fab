-- Per rule: its findings and the reports they are about (the published checks' metadata).
-- The reports counted by hash, without joining their names: a report's hash and its name go
-- one to one (reports.source_sha256 is its key, a file one content) and every finding's report is
-- there (REFERENCES reports): the same count, 0.040 → 0.021 CPU s at 100,000 reports.
SELECT
    f.rule,
    count(*) AS findings,
    count(DISTINCT f.source_sha256) AS reports
FROM findings AS f
GROUP BY f.rule
