-- How many reports were read with each reading (ambiguous, unresolved, …).
SELECT reading, count(*) AS reports
FROM quality
GROUP BY reading
