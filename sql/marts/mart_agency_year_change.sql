-- Year-over-year change per agency: each year beside the agency's previous reported year.
SELECT
    a.agency,
    a.year,
    LAG(a.year) OVER w AS previous_year,
    a.received,
    a.received - LAG(a.received) OVER w AS received_change,
    a.granted,
    a.granted - LAG(a.granted) OVER w AS granted_change,
    a.refused,
    a.refused - LAG(a.refused) OVER w AS refused_change,
    a.not_held,
    a.not_held - LAG(a.not_held) OVER w AS not_held_change,
    a.not_held_share,
    a.not_held_share - LAG(a.not_held_share) OVER w AS not_held_share_change,
    a.reviews + a.lawsuits AS disputes,
    (a.reviews + a.lawsuits) - LAG(a.reviews + a.lawsuits) OVER w AS disputes_change
FROM mart_agency_year AS a
WINDOW w AS (PARTITION BY a.agency ORDER BY a.year)
