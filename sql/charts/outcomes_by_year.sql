-- All agencies together, per statistics year: applications received and how they were handled.
SELECT
    year,
    sum(received) AS received,
    sum(granted) AS granted,
    sum(partially_granted) AS partially_granted,
    sum(refused) AS refused,
    sum(unavailable) AS unavailable,
    sum(not_processed) AS not_processed,
    sum(other_handling) AS other_handling
FROM mart_agency_year
GROUP BY year
ORDER BY year
