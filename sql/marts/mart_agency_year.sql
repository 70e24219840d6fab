-- One row per agency and statistics year: applications and their outcomes, review and
-- litigation, and proactive disclosure (section 2). Counts are whole numbers (件, 项), money a
-- DECIMAL in 万元, shares 0–1. A report's agency and year: the collector's (manifest.csv:
-- reports.given_agency, given_year) where given, what the text reads otherwise. Where an agency
-- has several reports for a year, exactly one is counted (reports.counted: the one named in
-- report_choice.csv, else an attachment over the page that announced it, else the one with most
-- cells read); reports_in_year says how many there were, duplicate_reports lists them and a D1
-- finding names the cells where they disagree. A cell printed with no figure the template allows
-- (value_status unreadable) or not found is NULL, and so is any figure summed over it (refused,
-- unavailable, lawsuits …): unknown, never counted as 0.
WITH identified AS (
    SELECT
        r.source_sha256,
        COALESCE(r.given_agency, r.agency) AS agency,
        COALESCE(r.given_year, r.year) AS year,
        r.counted
    FROM reports AS r
),
grouped AS (
    SELECT
        i.source_sha256,
        i.agency,
        i.year,
        i.counted,
        COUNT(*) OVER (PARTITION BY i.agency, i.year) AS reports_in_year
    FROM identified AS i
    WHERE i.agency IS NOT NULL AND i.year IS NOT NULL
),
chosen AS (
    SELECT g.source_sha256, g.agency, g.year, g.reports_in_year FROM grouped AS g WHERE g.counted
),
requests AS (
    SELECT
        w.source_sha256,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'new_requests') AS BIGINT) AS received,
        CAST(SUM(w.natural_person) FILTER (WHERE w.row_key = 'new_requests') AS BIGINT) AS received_from_natural_persons,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'carried_over') AS BIGINT) AS carried_over,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'granted') AS BIGINT) AS granted,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'partially_granted') AS BIGINT) AS partially_granted,
        CAST(CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'denied_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'denied_%') END AS BIGINT) AS refused,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_state_secret') AS BIGINT) AS refused_state_secret,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_prohibited_by_law') AS BIGINT) AS refused_prohibited_by_law,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_security_stability') AS BIGINT) AS refused_security_stability,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_third_party_rights') AS BIGINT) AS refused_third_party_rights,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_internal_affairs') AS BIGINT) AS refused_internal_affairs,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_process_information') AS BIGINT) AS refused_process_information,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_enforcement_case_file') AS BIGINT) AS refused_enforcement_case_file,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'denied_administrative_query') AS BIGINT) AS refused_administrative_query,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'unavailable_not_held') AS BIGINT) AS not_held,
        CAST(CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'unavailable_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'unavailable_%') END AS BIGINT) AS unavailable,
        CAST(CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'rejected_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'rejected_%') END AS BIGINT) AS not_processed,
        CAST(CASE WHEN COUNT(*) FILTER (WHERE w.row_key LIKE 'other_%' AND w.total IS NULL) = 0
            THEN SUM(w.total) FILTER (WHERE w.row_key LIKE 'other_%') END AS BIGINT) AS other_handling,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'total_handled') AS BIGINT) AS handled,
        CAST(SUM(w.total) FILTER (WHERE w.row_key = 'carried_forward') AS BIGINT) AS carried_forward
    FROM mart_requests_wide AS w
    GROUP BY w.source_sha256
),
review AS (
    SELECT
        f.source_sha256,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'administrative_review' AND f.column_key = 'total') AS BIGINT) AS reviews,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'administrative_review' AND f.column_key = 'corrected') AS BIGINT) AS reviews_corrected,
        CAST(CASE WHEN COUNT(*) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'total' AND f.value IS NULL) = 0
            THEN SUM(f.value) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'total') END AS BIGINT) AS lawsuits,
        CAST(CASE WHEN COUNT(*) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'corrected' AND f.value IS NULL) = 0
            THEN SUM(f.value) FILTER (WHERE f.row_key <> 'administrative_review' AND f.column_key = 'corrected') END AS BIGINT) AS lawsuits_corrected
    FROM facts AS f
    WHERE f.section = 4
    GROUP BY f.source_sha256
),
disclosure AS (
    SELECT
        f.source_sha256,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'regulations' AND f.column_key IN ('issued', 'newly_made')) AS BIGINT) AS regulations_issued,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'normative_documents' AND f.column_key IN ('issued', 'newly_made')) AS BIGINT) AS normative_documents_issued,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'administrative_licensing' AND f.column_key = 'decisions') AS BIGINT) AS licensing_decisions,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'administrative_penalty' AND f.column_key = 'decisions') AS BIGINT) AS penalty_decisions,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'administrative_coercion' AND f.column_key = 'decisions') AS BIGINT) AS coercion_decisions,
        CAST(SUM(f.value) FILTER (WHERE f.row_key = 'administrative_fees' AND f.column_key = 'amount_10k_yuan') AS DECIMAL(18, 4)) AS fees_10k_yuan
    FROM facts AS f
    WHERE f.section = 2
    GROUP BY f.source_sha256
)
SELECT
    -- The agency: the collector's name for it (reports.given_agency, from manifest.csv) where given, else the name its report's text prints. Joins to dim_agency.agency.
    c.agency,
    -- The statistics year (年度) the report covers: the collector's (reports.given_year) where given, else the text's.
    c.year,
    -- The one report counted for this agency-year (reports.source_sha256, where reports.counted).
    c.source_sha256,
    -- How many reports of this agency-year the warehouse holds (1 normally; more: see duplicate_reports).
    c.reports_in_year,
    -- 一、本年新收政府信息公开申请数量, 总计: applications received this year (件). NULL when the cell was not found.
    rq.received,
    -- The same, from natural persons only (自然人, 件).
    rq.received_from_natural_persons,
    -- 二、上年结转政府信息公开申请数量: applications carried over from last year (件).
    rq.carried_over,
    -- （一）予以公开: applications granted in full (件).
    rq.granted,
    -- （二）部分公开: applications granted in part (件).
    rq.partially_granted,
    -- （三）不予公开, all eight reasons together: applications refused (件).
    rq.refused,
    -- 不予公开 1.属于国家秘密: refused as a state secret (件).
    rq.refused_state_secret,
    -- 不予公开 2.其他法律行政法规禁止公开: refused as prohibited by other laws (件).
    rq.refused_prohibited_by_law,
    -- 不予公开 3.危及“三安全一稳定”: refused as endangering security or stability (件).
    rq.refused_security_stability,
    -- 不予公开 4.保护第三方合法权益: refused to protect a third party's rights (件).
    rq.refused_third_party_rights,
    -- 不予公开 5.属于三类内部事务信息: refused as internal affairs (件).
    rq.refused_internal_affairs,
    -- 不予公开 6.属于四类过程性信息: refused as process information (件).
    rq.refused_process_information,
    -- 不予公开 7.属于行政执法案卷: refused as an enforcement case file (件).
    rq.refused_enforcement_case_file,
    -- 不予公开 8.属于行政查询事项: refused as an administrative query (件).
    rq.refused_administrative_query,
    -- （四）无法提供 1.本机关不掌握相关政府信息: the agency does not hold the information (件).
    rq.not_held,
    -- （四）无法提供, all three reasons (not held, would need creating, unclear after correction) (件).
    rq.unavailable,
    -- （五）不予处理, all five reasons (petitions, repeats, publications, excessive, confirmations) (件).
    rq.not_processed,
    -- （六）其他处理 (the 2021 template's three rows together, or the 2019 template's one row) (件).
    rq.other_handling,
    -- （七）总计: applications handled this year (件); C3: the sum of the outcome rows.
    rq.handled,
    -- 四、结转下年度继续办理: applications carried forward to next year (件).
    rq.carried_forward,
    -- granted / handled (a share, 0–1); NULL when nothing was handled.
    CASE WHEN rq.handled > 0 THEN rq.granted / rq.handled END AS granted_share,
    -- not_held / handled (a share, 0–1); NULL when nothing was handled.
    CASE WHEN rq.handled > 0 THEN rq.not_held / rq.handled END AS not_held_share,
    -- 行政复议, 总计: administrative reviews of the agency's disclosure decisions (件).
    rv.reviews,
    -- 行政复议, 结果纠正: reviews whose result corrected the agency (件).
    rv.reviews_corrected,
    -- 行政诉讼, 总计: lawsuits, with and without a review first (未经复议直接起诉 + 复议后起诉, 件).
    rv.lawsuits,
    -- 行政诉讼, 结果纠正: lawsuits whose result corrected the agency (件).
    rv.lawsuits_corrected,
    -- 规章: regulations made this year (2021: 本年制发件数; 2019: 本年新制作数量; 件).
    d.regulations_issued,
    -- 行政规范性文件: normative documents made this year (2021: 本年制发件数; 2019: 本年新制作数量; 件).
    d.normative_documents_issued,
    -- 行政许可: licensing decisions this year (处理决定数量, 件).
    d.licensing_decisions,
    -- 行政处罚: penalty decisions this year (处理决定数量, 件).
    d.penalty_decisions,
    -- 行政强制: coercion decisions this year (处理决定数量, 件).
    d.coercion_decisions,
    -- 行政事业性收费: fees collected this year, in 万元 (10,000 yuan), DECIMAL; only the 2021 template prints it (NULL for a 2019 report).
    d.fees_10k_yuan
FROM chosen AS c
LEFT JOIN requests AS rq ON rq.source_sha256 = c.source_sha256
LEFT JOIN review AS rv ON rv.source_sha256 = c.source_sha256
LEFT JOIN disclosure AS d ON d.source_sha256 = c.source_sha256
