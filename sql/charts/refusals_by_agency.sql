-- Per agency, all years: refusals by the template's reason, and 不掌握相关政府信息, from each
-- agency-year's counted report; reports whose reading is unresolved, no_figures or
-- unreadable_cells are left out.
SELECT
    m.agency,
    CAST(sum(m.refused_state_secret) AS BIGINT) AS refused_state_secret,
    CAST(sum(m.refused_prohibited_by_law) AS BIGINT) AS refused_prohibited_by_law,
    CAST(sum(m.refused_security_stability) AS BIGINT) AS refused_security_stability,
    CAST(sum(m.refused_third_party_rights) AS BIGINT) AS refused_third_party_rights,
    CAST(sum(m.refused_internal_affairs) AS BIGINT) AS refused_internal_affairs,
    CAST(sum(m.refused_process_information) AS BIGINT) AS refused_process_information,
    CAST(sum(m.refused_enforcement_case_file) AS BIGINT) AS refused_enforcement_case_file,
    CAST(sum(m.refused_administrative_query) AS BIGINT) AS refused_administrative_query,
    CAST(sum(m.not_held) AS BIGINT) AS not_held
FROM mart_agency_year AS m
JOIN reports AS r ON r.source_sha256 = m.source_sha256
WHERE r.reading NOT IN ('unresolved', 'no_figures', 'unreadable_cells')
GROUP BY m.agency
