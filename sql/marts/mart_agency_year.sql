-- One row per agency and statistics year: applications and their outcomes, review and
-- litigation, and active disclosure. Where an agency published more than one report for a year,
-- the one with the most cells read is taken (reports_in_year says how many there were).
-- A report's agency and year: the collector's (manifest.csv: reports.given_agency, given_year)
-- where given, what the text reads otherwise. A report page whose announced attachment carries
-- figures gives way to the attachment (the published table; a disagreement is an A1 finding).
-- A cell printed with no figure the template allows (value_status unreadable) or not found is NULL,
-- and so is any figure summed over it (refused, unavailable, lawsuits …): unknown, never counted as 0.
WITH with_figures AS (
    SELECT DISTINCT a.announced_by AS page_sha256
    FROM reports AS a
    WHERE a.announced_by IS NOT NULL AND a.cells_found > 0
),
identified AS (
    SELECT
        r.source_sha256,
        COALESCE(r.given_agency, r.agency) AS agency,
        COALESCE(r.given_year, r.year) AS year,
        r.cells_found,
        CASE WHEN wf.page_sha256 IS NULL THEN 0 ELSE 1 END AS superseded
    FROM reports AS r
    LEFT JOIN with_figures AS wf ON wf.page_sha256 = r.source_sha256
),
ranked AS (
    SELECT
        i.source_sha256,
        i.agency,
        i.year,
        COUNT(*) OVER (PARTITION BY i.agency, i.year) AS reports_in_year,
        ROW_NUMBER() OVER (PARTITION BY i.agency, i.year ORDER BY i.superseded, i.cells_found DESC, i.source_sha256) AS pick
    FROM identified AS i
    WHERE i.agency IS NOT NULL AND i.year IS NOT NULL
),
chosen AS (
    SELECT source_sha256, agency, year, reports_in_year FROM ranked WHERE pick = 1
),
requests AS (
    SELECT
        w.source_sha256,
        SUM(w.total) FILTER (WHERE w.row_key = 'new_requests') AS received,
        SUM(w.natural_person) FILTER (WHERE w.row_key = 'new_requests') AS received_from_natural_persons,
        SUM(w.total) FILTER (WHERE w.row_key = 'carried_over') AS carried_over,
        SUM(w.total) FILTER (WHERE w.row_key = 'granted') AS granted,
        SUM(w.total) FILTER (WHERE w.row_key = 'partially_granted') AS partially_granted,
        CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'denied_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'denied_%') END AS refused,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_state_secret') AS refused_state_secret,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_prohibited_by_law') AS refused_prohibited_by_law,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_security_stability') AS refused_security_stability,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_third_party_rights') AS refused_third_party_rights,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_internal_affairs') AS refused_internal_affairs,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_process_information') AS refused_process_information,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_enforcement_case_file') AS refused_enforcement_case_file,
        SUM(w.total) FILTER (WHERE w.row_key = 'denied_administrative_query') AS refused_administrative_query,
        SUM(w.total) FILTER (WHERE w.row_key = 'unavailable_not_held') AS not_held,
        CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'unavailable_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'unavailable_%') END AS unavailable,
        CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'rejected_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'rejected_%') END AS not_processed,
        CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'other_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'other_%') END AS other_handling,
        SUM(w.total) FILTER (WHERE w.row_key = 'total_handled') AS handled,
        SUM(w.total) FILTER (WHERE w.row_key = 'carried_forward') AS carried_forward
    FROM mart_requests_wide AS w
    GROUP BY w.source_sha256
),
review AS (
    SELECT
        f.source_sha256,
        SUM(f.value) FILTER (WHERE f.row_key = 'administrative_review' AND f.column_key = 'total') AS reviews,
        SUM(f.value) FILTER (WHERE f.row_key = 'administrative_review' AND f.column_key = 'corrected') AS reviews_corrected,
        CASE WHEN COUNT(*) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'total' AND f.value IS NULL) = 0
            THEN SUM(f.value) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'total') END AS lawsuits,
        CASE WHEN COUNT(*) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'corrected' AND f.value IS NULL) = 0
            THEN SUM(f.value) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'corrected') END AS lawsuits_corrected
    FROM facts AS f
    WHERE f.section = 4
    GROUP BY f.source_sha256
),
disclosure AS (
    SELECT
        f.source_sha256,
        SUM(f.value) FILTER (WHERE f.row_key = 'regulations' AND f.column_key IN ('issued', 'newly_made')) AS regulations_issued,
        SUM(f.value) FILTER (WHERE f.row_key = 'normative_documents' AND f.column_key IN ('issued', 'newly_made')) AS normative_documents_issued,
        SUM(f.value) FILTER (WHERE f.row_key = 'administrative_licensing' AND f.column_key = 'decisions') AS licensing_decisions,
        SUM(f.value) FILTER (WHERE f.row_key = 'administrative_penalty' AND f.column_key = 'decisions') AS penalty_decisions,
        SUM(f.value) FILTER (WHERE f.row_key = 'administrative_coercion' AND f.column_key = 'decisions') AS coercion_decisions
    FROM facts AS f
    WHERE f.section = 2
    GROUP BY f.source_sha256
)
SELECT
    c.agency,
    c.year,
    c.source_sha256,
    c.reports_in_year,
    rq.received,
    rq.received_from_natural_persons,
    rq.carried_over,
    rq.granted,
    rq.partially_granted,
    rq.refused,
    rq.refused_state_secret,
    rq.refused_prohibited_by_law,
    rq.refused_security_stability,
    rq.refused_third_party_rights,
    rq.refused_internal_affairs,
    rq.refused_process_information,
    rq.refused_enforcement_case_file,
    rq.refused_administrative_query,
    rq.not_held,
    rq.unavailable,
    rq.not_processed,
    rq.other_handling,
    rq.handled,
    rq.carried_forward,
    CASE WHEN rq.handled > 0 THEN rq.granted / rq.handled END AS granted_share,
    CASE WHEN rq.handled > 0 THEN rq.not_held / rq.handled END AS not_held_share,
    rv.reviews,
    rv.reviews_corrected,
    rv.lawsuits,
    rv.lawsuits_corrected,
    d.regulations_issued,
    d.normative_documents_issued,
    d.licensing_decisions,
    d.penalty_decisions,
    d.coercion_decisions
FROM chosen AS c
LEFT JOIN requests AS rq ON rq.source_sha256 = c.source_sha256
LEFT JOIN review AS rv ON rv.source_sha256 = c.source_sha256
LEFT JOIN disclosure AS d ON d.source_sha256 = c.source_sha256
