-- The template catalog: every row of both templates, with its official Chinese label.
CREATE TABLE catalog_rows (
    template     VARCHAR NOT NULL,  -- '2019', '2021' or '*' (both)
    section      TINYINT NOT NULL,  -- 2 主动公开, 3 依申请公开, 4 行政复议/诉讼
    table_key    VARCHAR NOT NULL,
    row_key      VARCHAR NOT NULL,  -- stable English key
    row_label    VARCHAR NOT NULL,  -- the official Chinese label
    group_label  VARCHAR,
    row_order    INTEGER NOT NULL,
    PRIMARY KEY (template, table_key, row_key)
);

-- The template catalog: every column of both templates, with its official Chinese label.
CREATE TABLE catalog_columns (
    template     VARCHAR NOT NULL,
    section      TINYINT NOT NULL,
    table_key    VARCHAR NOT NULL,
    column_key   VARCHAR NOT NULL,
    column_label VARCHAR NOT NULL,  -- the official Chinese label
    column_order INTEGER NOT NULL,
    PRIMARY KEY (template, table_key, column_key)
);

-- One row per report loaded.
CREATE TABLE reports (
    source_sha256     VARCHAR PRIMARY KEY,  -- sha256 of the raw file: the report's id
    source_file       VARCHAR NOT NULL,     -- the raw file's name
    agency            VARCHAR,           -- full name as printed
    year              INTEGER,           -- statistics year, not the publication date
    template          VARCHAR NOT NULL,  -- '2019' or '2021'
    template_evidence VARCHAR NOT NULL,  -- the labels that decided the template
    layout            VARCHAR NOT NULL,  -- how the file was laid out (text/tabs, text/pipes, …)
    reading           VARCHAR NOT NULL,  -- as_printed | repaired | ambiguous | unresolved
    cells_expected    INTEGER NOT NULL,
    cells_found       INTEGER NOT NULL,
    problems          VARCHAR            -- what is missing or doubtful, '; '-separated
);

-- The tidy fact table: one row per template cell of one report.
CREATE TABLE facts (
    agency        VARCHAR,
    year          INTEGER,
    template      VARCHAR NOT NULL,
    section       TINYINT NOT NULL,
    table_key     VARCHAR NOT NULL,
    row_key       VARCHAR NOT NULL,
    column_key    VARCHAR NOT NULL,
    value         DOUBLE,            -- blank cells are 0 by the template's convention; NULL = missing
    raw_text      VARCHAR,           -- the cell as printed
    value_status  VARCHAR NOT NULL,  -- number | blank | other (—, /, 无) | missing
    source_file   VARCHAR NOT NULL,
    -- One row per (source_sha256, table_key, row_key, column_key), of a report in `reports`: held
    -- by the pandera model before loading, not by an index (which would slow loading tenfold).
    source_sha256 VARCHAR NOT NULL
);

-- Readings that differ from the printed positions, and why.
CREATE TABLE repairs (
    source_sha256 VARCHAR NOT NULL REFERENCES reports (source_sha256),
    label         VARCHAR NOT NULL,  -- the printed row label
    printed       VARCHAR NOT NULL,  -- JSON list of the printed cells after the label
    moves         VARCHAR NOT NULL,  -- JSON list of {figure, from, to}
    reason        VARCHAR NOT NULL
);

-- Consistency-rule failures: findings to show, never reasons to drop a report.
CREATE TABLE findings (
    source_sha256 VARCHAR NOT NULL REFERENCES reports (source_sha256),
    rule          VARCHAR NOT NULL,  -- C1 … C7, YOY (year-over-year outlier)
    scope         VARCHAR NOT NULL,
    cells         VARCHAR NOT NULL,
    expected      DOUBLE,
    printed       DOUBLE,
    severity      VARCHAR NOT NULL,  -- error (a rule fails) | warning (an outlier)
    message       VARCHAR NOT NULL
);

-- Files that could not be read as a report, with the reason.
CREATE TABLE rejected (
    source_file   VARCHAR NOT NULL,
    source_sha256 VARCHAR,
    reason        VARCHAR NOT NULL
);

-- Rows of any table that failed its pandera model, kept whole (JSON) with the checks they failed.
CREATE TABLE rejected_rows (
    table_name    VARCHAR NOT NULL,
    source_sha256 VARCHAR,
    "row"         VARCHAR NOT NULL,
    failed_checks VARCHAR NOT NULL
);

-- Figures the narrative states, beside the table cell they can be compared with (C7).
CREATE TABLE narrative_figures (
    source_sha256 VARCHAR NOT NULL REFERENCES reports (source_sha256),
    topic         VARCHAR NOT NULL,   -- row key, or proactive_published (no table cell)
    section       TINYINT,
    table_key     VARCHAR,
    row_key       VARCHAR,
    column_key    VARCHAR,
    stated_value  DOUBLE NOT NULL,
    table_value   DOUBLE,
    clause        VARCHAR NOT NULL    -- the sentence part that states it
);

-- Per report: how complete and how consistent it is.
CREATE TABLE quality (
    source_sha256  VARCHAR PRIMARY KEY REFERENCES reports (source_sha256),
    source_file    VARCHAR NOT NULL,
    agency         VARCHAR,
    year           INTEGER,
    reading        VARCHAR NOT NULL,
    cells_expected INTEGER NOT NULL,
    cells_found    INTEGER NOT NULL,
    cells_missing  INTEGER NOT NULL,
    rule_checks    INTEGER NOT NULL,  -- rule instances evaluated (C1–C7)
    rule_failures  INTEGER NOT NULL,
    failed_rules   VARCHAR,           -- e.g. 'C1,C3'
    warnings       INTEGER NOT NULL,  -- year-over-year outliers
    repairs        INTEGER NOT NULL,
    problems       INTEGER NOT NULL
);

-- Agencies with their place in the administrative hierarchy (resolved from the name).
CREATE TABLE dim_agency (
    agency            VARCHAR PRIMARY KEY,  -- full name as printed
    parent_agency     VARCHAR,              -- the bureau a 分局 belongs to
    province          VARCHAR,
    prefecture        VARCHAR,
    county            VARCHAR,
    division_code     VARCHAR,              -- 6-digit code of the most specific division found
    division_level    VARCHAR,              -- province | prefecture | county
    resolved_by       VARCHAR NOT NULL      -- how the division was found, or why not
);

-- Files that were in the raw folder at an earlier build and are gone (or changed) now; their
-- reports are no longer in the other tables.
CREATE TABLE removed (
    source_file   VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    detected_at   VARCHAR NOT NULL   -- when a build first missed it (UTC, ISO 8601)
);
