-- A warehouse file's summary (load.summarize, the build's LoadSummary): its rows per table, in one
-- query. The facts are counted from the list of their files (facts_files.rows, written with each
-- file): counting the view reads every Parquet file's footer (0.02 CPU s at 10,000 reports).
SELECT
    (SELECT count(*) FROM reports) AS reports,
    (SELECT COALESCE(sum(rows), 0) FROM facts_files) AS facts,
    (SELECT count(*) FROM rejected) AS rejected,
    (SELECT count(*) FROM rejected_rows) AS rejected_rows,
    (SELECT count(*) FROM repairs) AS repairs,
    (SELECT count(*) FROM findings) AS findings,
    (SELECT count(*) FROM findings WHERE severity = 'error') AS rule_failures,
    (SELECT count(*) FROM removed) AS removed
