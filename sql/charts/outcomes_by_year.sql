-- All agencies together, per statistics year: applications received and how they were handled,
-- from each agency-year's counted report (mart_agency_year) whose figures can be trusted. A
-- report whose reading is unresolved (no placement of its figures satisfies the template's
-- arithmetic), no_figures or unreadable_cells (some figures unknown: a sum would take them as 0)
-- is left out and counted in left_out. Each year's bar sums a different set of agencies:
-- `agencies` says how many.
WITH marked AS (
    SELECT
        m.*,
        r.reading NOT IN ('unresolved', 'no_figures', 'unreadable_cells') AS trusted
    FROM mart_agency_year AS m
    JOIN reports AS r ON r.source_sha256 = m.source_sha256
)
SELECT
    year,
    CAST(count(*) FILTER (WHERE trusted) AS BIGINT) AS agencies,
    CAST(count(*) FILTER (WHERE NOT trusted) AS BIGINT) AS left_out,
    CAST(sum(received) FILTER (WHERE trusted) AS BIGINT) AS received,
    CAST(sum(granted) FILTER (WHERE trusted) AS BIGINT) AS granted,
    CAST(sum(partially_granted) FILTER (WHERE trusted) AS BIGINT) AS partially_granted,
    CAST(sum(refused) FILTER (WHERE trusted) AS BIGINT) AS refused,
    CAST(sum(unavailable) FILTER (WHERE trusted) AS BIGINT) AS unavailable,
    CAST(sum(not_processed) FILTER (WHERE trusted) AS BIGINT) AS not_processed,
    CAST(sum(other_handling) FILTER (WHERE trusted) AS BIGINT) AS other_handling
FROM marked
GROUP BY year
ORDER BY year
