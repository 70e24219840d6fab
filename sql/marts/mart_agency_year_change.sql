-- Year-over-year change per agency: each agency-year of mart_agency_year beside the agency's
-- previous reported year (not necessarily the calendar year before), with the changes. Counts
-- are applications (件); a change is this year's figure minus the previous one, NULL where
-- either is NULL or there is no previous year.
SELECT
    -- The agency, as in mart_agency_year (the collector's name where given, else the report's); one row per agency and year it reported.
    a.agency,
    -- The statistics year (年度) of this row's figures, as in mart_agency_year.
    a.year,
    -- The agency's previous year in the warehouse; NULL for its first year. A gap (2021 after 2019) means a year without a report.
    LAG(a.year) OVER w AS previous_year,
    -- Applications received this year (件; mart_agency_year.received).
    a.received,
    -- received minus the previous reported year's received (件; negative: fewer applications).
    a.received - LAG(a.received) OVER w AS received_change,
    -- Applications granted in full this year (件; 予以公开).
    a.granted,
    -- granted minus the previous reported year's granted (件).
    a.granted - LAG(a.granted) OVER w AS granted_change,
    -- Applications refused this year (件; all 不予公开 reasons).
    a.refused,
    -- refused minus the previous reported year's refused (件).
    a.refused - LAG(a.refused) OVER w AS refused_change,
    -- Applications answered 本机关不掌握相关政府信息 this year (件).
    a.not_held,
    -- not_held minus the previous reported year's not_held (件).
    a.not_held - LAG(a.not_held) OVER w AS not_held_change,
    -- not_held / handled this year (a share, 0–1; NULL when nothing was handled).
    a.not_held_share,
    -- not_held_share minus the previous year's (in share points, e.g. 0.05 = five percentage points).
    a.not_held_share - LAG(a.not_held_share) OVER w AS not_held_share_change,
    -- Administrative reviews plus lawsuits this year (件; section 4 totals).
    a.reviews + a.lawsuits AS disputes,
    -- disputes minus the previous reported year's disputes (件).
    (a.reviews + a.lawsuits) - LAG(a.reviews + a.lawsuits) OVER w AS disputes_change
FROM mart_agency_year AS a
WINDOW w AS (PARTITION BY a.agency ORDER BY a.year)
