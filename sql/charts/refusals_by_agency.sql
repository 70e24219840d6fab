-- Per agency, all years: refusals by the template's reason, and 不掌握相关政府信息.
SELECT
    agency,
    sum(refused_state_secret) AS refused_state_secret,
    sum(refused_prohibited_by_law) AS refused_prohibited_by_law,
    sum(refused_security_stability) AS refused_security_stability,
    sum(refused_third_party_rights) AS refused_third_party_rights,
    sum(refused_internal_affairs) AS refused_internal_affairs,
    sum(refused_process_information) AS refused_process_information,
    sum(refused_enforcement_case_file) AS refused_enforcement_case_file,
    sum(refused_administrative_query) AS refused_administrative_query,
    sum(not_held) AS not_held
FROM mart_agency_year
GROUP BY agency
