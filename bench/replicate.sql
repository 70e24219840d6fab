-- One copy of every report under new agencies (·N) and years (+N % 4): the benchmark's large
-- warehouse. $1 is the copy number, $2 the number of reports to take for it from `originals`
-- (the reports before any copy). The facts are copied in the temporary table all_facts, then
-- written as the warehouse's Parquet files (pipelines.warehouse.facts_store.write_all).
CREATE TEMP TABLE pick AS
SELECT source_sha256, substr(source_sha256, 1, 56) || printf('%08x', $1::INTEGER) AS new_sha
FROM originals ORDER BY source_sha256 LIMIT $2;
INSERT INTO reports BY NAME
SELECT r.* REPLACE (p.new_sha AS source_sha256, r.agency || '·' || ($1 // 4) AS agency, r.year + ($1 % 4) AS year)
FROM reports AS r JOIN pick AS p USING (source_sha256);
INSERT INTO all_facts BY NAME
SELECT f.* REPLACE (p.new_sha AS source_sha256, f.agency || '·' || ($1 // 4) AS agency, f.year + ($1 % 4) AS year)
FROM all_facts AS f JOIN pick AS p USING (source_sha256);
INSERT INTO quality BY NAME
SELECT q.* REPLACE (p.new_sha AS source_sha256, q.agency || '·' || ($1 // 4) AS agency, q.year + ($1 % 4) AS year)
FROM quality AS q JOIN pick AS p USING (source_sha256);
INSERT INTO repairs BY NAME
SELECT x.* REPLACE (p.new_sha AS source_sha256) FROM repairs AS x JOIN pick AS p USING (source_sha256);
INSERT INTO narrative_figures BY NAME
SELECT x.* REPLACE (p.new_sha AS source_sha256) FROM narrative_figures AS x JOIN pick AS p USING (source_sha256);
INSERT INTO findings BY NAME
SELECT x.* REPLACE (p.new_sha AS source_sha256) FROM findings AS x JOIN pick AS p USING (source_sha256);
INSERT INTO dim_agency BY NAME
SELECT * REPLACE (agency || '·' || ($1 // 4) AS agency) FROM dim_agency
WHERE $1 % 4 = 0 AND agency || '·' || ($1 // 4) NOT IN (SELECT agency FROM dim_agency);
DROP TABLE pick;
