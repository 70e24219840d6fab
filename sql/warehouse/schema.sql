-- The warehouse's tables as DuckDB creates them. Each table is declared in models/schemas.py (its
-- pandera model: columns, types, nullability, checks and the descriptions the export's data
-- dictionary shows); this file repeats names, order, types and NOT NULL because DuckDB needs SQL,
-- and tests/test_schema_ddl.py fails when the two differ. Describe columns in the model, not here.
-- Type mapping: VARCHAR = pl.String, TINYINT = pl.Int8, INTEGER = pl.Int32, DOUBLE = pl.Float64,
-- BOOLEAN = pl.Boolean.

CREATE TABLE catalog_rows (
    template     VARCHAR NOT NULL,
    section      TINYINT NOT NULL,
    table_key    VARCHAR NOT NULL,
    row_key      VARCHAR NOT NULL,
    row_label    VARCHAR NOT NULL,
    group_label  VARCHAR,
    row_order    INTEGER NOT NULL,
    PRIMARY KEY (template, table_key, row_key)
);

CREATE TABLE catalog_columns (
    template     VARCHAR NOT NULL,
    section      TINYINT NOT NULL,
    table_key    VARCHAR NOT NULL,
    column_key   VARCHAR NOT NULL,
    column_label VARCHAR NOT NULL,
    column_order INTEGER NOT NULL,
    PRIMARY KEY (template, table_key, column_key)
);

CREATE TABLE reports (
    source_sha256     VARCHAR PRIMARY KEY,
    source_file       VARCHAR NOT NULL,
    agency            VARCHAR,
    year              INTEGER,
    template          VARCHAR NOT NULL,
    template_evidence VARCHAR NOT NULL,
    layout            VARCHAR NOT NULL,
    reading           VARCHAR NOT NULL,
    cells_expected    INTEGER NOT NULL,
    cells_found       INTEGER NOT NULL,
    problems          VARCHAR,
    given_agency      VARCHAR,
    given_year        INTEGER,
    source_url        VARCHAR,
    fetched_at        VARCHAR,
    announced_by      VARCHAR,
    withdrawn_seen_at VARCHAR,
    counted           BOOLEAN NOT NULL
);

-- The facts are Parquet files beside the warehouse (sql/warehouse/facts.sql, facts_view.sql);
-- this lists the files the warehouse's view `facts` reads.
CREATE TABLE facts_files (
    year          INTEGER,
    bucket        INTEGER NOT NULL,
    file          VARCHAR PRIMARY KEY,
    rows          BIGINT NOT NULL
);

CREATE TABLE repairs (
    source_sha256 VARCHAR NOT NULL REFERENCES reports (source_sha256),
    label         VARCHAR NOT NULL,
    printed       VARCHAR NOT NULL,
    moves         VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL
);

CREATE TABLE findings (
    source_sha256 VARCHAR NOT NULL REFERENCES reports (source_sha256),
    rule          VARCHAR NOT NULL,
    scope         VARCHAR NOT NULL,
    cells         VARCHAR NOT NULL,
    expected      DOUBLE,
    printed       DOUBLE,
    severity      VARCHAR NOT NULL,
    message       VARCHAR NOT NULL
);

CREATE TABLE rejected (
    source_file   VARCHAR NOT NULL,
    source_sha256 VARCHAR,
    reason        VARCHAR NOT NULL
);

CREATE TABLE rejected_rows (
    table_name    VARCHAR NOT NULL,
    source_sha256 VARCHAR,
    "row"         VARCHAR NOT NULL,
    failed_checks VARCHAR NOT NULL
);

CREATE TABLE narrative_figures (
    source_sha256 VARCHAR NOT NULL REFERENCES reports (source_sha256),
    topic         VARCHAR NOT NULL,
    section       TINYINT,
    table_key     VARCHAR,
    row_key       VARCHAR,
    column_key    VARCHAR,
    stated_value  DOUBLE NOT NULL,
    table_value   DOUBLE,
    clause        VARCHAR NOT NULL
);

CREATE TABLE quality (
    source_sha256  VARCHAR PRIMARY KEY REFERENCES reports (source_sha256),
    source_file    VARCHAR NOT NULL,
    agency         VARCHAR,
    year           INTEGER,
    reading        VARCHAR NOT NULL,
    cells_expected INTEGER NOT NULL,
    cells_found    INTEGER NOT NULL,
    cells_missing  INTEGER NOT NULL,
    cells_unreadable INTEGER NOT NULL,
    rule_checks    INTEGER NOT NULL,
    rule_failures  INTEGER NOT NULL,
    failed_rules   VARCHAR,
    warnings       INTEGER NOT NULL,
    repairs        INTEGER NOT NULL,
    problems       INTEGER NOT NULL
);

CREATE TABLE dim_agency (
    agency            VARCHAR PRIMARY KEY,
    parent_agency     VARCHAR,
    province          VARCHAR,
    prefecture        VARCHAR,
    county            VARCHAR,
    division_code     VARCHAR,
    division_level    VARCHAR,
    resolved_by       VARCHAR NOT NULL
);

CREATE TABLE removed (
    source_file   VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    detected_at   VARCHAR NOT NULL
);

CREATE TABLE fetch_log (
    run_started_at VARCHAR NOT NULL,
    fetched_at     VARCHAR NOT NULL,
    agency         VARCHAR,
    kind           VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    final_url      VARCHAR,
    referrer       VARCHAR,
    status         INTEGER,
    etag           VARCHAR,
    last_modified  VARCHAR,
    content_sha256 VARCHAR,
    outcome        VARCHAR NOT NULL,
    reason         VARCHAR,
    file           VARCHAR,
    attempts       INTEGER NOT NULL
);
