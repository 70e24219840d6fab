"""pandera models (on polars) of every warehouse table: the one declaration of each table.

A model says, once, for every column of its table: its name and position, its polars dtype, whether
it may be NULL, the checks its values pass and what it means (`description`, written for the
analyst reading the export's data dictionary). The frame builders take their polars dtypes from
here (`polars_schema`), the export takes its descriptions from here, and the DuckDB DDL in
sql/warehouse/schema.sql, which DuckDB needs as SQL, is held to the models by
tests/test_schema_ddl.py.

Validation is lazy (every failure collected, none raised) and runs on a LazyFrame at the
SCHEMA_AND_DATA depth: on a LazyFrame pandera checks only the schema unless told to check the
data too. Rows that fail are split off and reported with the failed checks; they never load
silently and never stop the other rows.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import polars as pl

from models.absent import absent
from models.catalog import SECTIONS, cells_for
from models.vocab import FetchKind, FetchOutcome, FindingRule, Reading, Severity, Template, ValueStatus, values

# pandera as where pandas is not installed (models.absent): its polars API is all these models use,
# and pandas (0.13 CPU s, with pandera's pandas engine 0.04) is then never loaded by the build's
# process (the parse server loads it, with OR-Tools' solver, on nights with a file to parse).
with absent("pandas"):
    import pandera.polars as pa
    from pandera.backends import register_checks
    from pandera.config import ValidationDepth, config_context
    from pandera.errors import SchemaError, SchemaErrors

    # pandera looks for pandas again at the first validation (for pandas-like frames) and keeps
    # what it found: asked now, it finds none, as where pandas is not installed.
    register_checks._load_get_backend_types_from_mro()

_SHA256 = r"^[0-9a-f]{64}$"
# Every (template, table_key, row_key, column_key) the catalog knows.
# A 2021 report may print （六）其他处理 as one row: the 2019 key other_handling (shared/spec).
_CATALOG_KEYS = pl.DataFrame(
    [
        {"template": t, "table_key": c.table_key, "row_key": c.row_key, "column_key": c.column_key}
        for t in values(Template)
        for c in cells_for(t)
    ]
    + [
        {"template": "2021", "table_key": c.table_key, "row_key": c.row_key, "column_key": c.column_key}
        for c in cells_for("2019")
        if c.row_key == "other_handling"
    ]
)

# Descriptions shared by several tables, so the same column means the same thing everywhere.
_D_SHA = "SHA-256 of the raw file's bytes (64 hex digits): the report's id; joins to reports.source_sha256."
_D_FILE = "The raw file's name (path relative to the raw folder) at the latest build."
_D_AGENCY = (
    "Publishing agency's full name as printed in the report, not normalised (dim_agency places it in "
    "province / prefecture / county); NULL when no name was found."
)
_D_YEAR = "Statistics year the report covers (年度), not its publication date; NULL when not found."
_D_TEMPLATE = (
    "Template version the report follows: '2019' or '2021'. The versions differ in rows and columns, "
    "so compare cells across versions by key only where catalog_rows lists the key for both."
)
_D_SECTION = "Part of the report: 2 主动公开 (proactive disclosure), 3 依申请公开 (requests), 4 行政复议/诉讼 (reviews, lawsuits)."
_D_TABLE_KEY = "Stable English key of the template table (e.g. requests); labels in catalog_rows / catalog_columns."
_D_ROW_KEY = (
    "Stable English key of the template row (e.g. new_requests, granted); Chinese label in catalog_rows.row_label."
)
_D_COLUMN_KEY = "Stable English key of the template column (e.g. natural_person, total); Chinese label in catalog_columns.column_label."
_D_READING = (
    "How far to trust the report's figures: as_printed (each where printed) | repaired (figures moved to where the "
    "template's arithmetic C1–C4 puts them; see repairs) | ambiguous (more than one placement fits the rules; the one "
    "chosen prefers natural persons, problems names the alternative) | unresolved (none fits: figures as printed, "
    "failures in findings) | no_figures (the tables are printed without one figure, e.g. as images: every cell "
    "missing) | unreadable_cells (read as printed or repaired, but some cells print no figure the template "
    "allows: those are value_status unreadable, NULL, and U1 findings)."
)
_D_CELLS_EXPECTED = "Cells the report's template version has (its rows in facts), e.g. 200."
_D_CELLS_FOUND = "Cells read from the file (value_status other than missing); at most cells_expected."


class CatalogRowModel(pa.DataFrameModel):
    """The template catalog: every row of both template versions, with its official Chinese label
    (models/catalog/rows.csv, the project's copy of shared/spec)."""

    template: str = pa.Field(
        isin=[*values(Template), "*"], description="'2019', '2021', or '*' for a row both versions have."
    )
    section: pl.Int8 = pa.Field(isin=list(SECTIONS), description=_D_SECTION)
    table_key: str = pa.Field(description=_D_TABLE_KEY)
    row_key: str = pa.Field(description="Stable English key of the row, as facts.row_key.")
    row_label: str = pa.Field(description="The row's official Chinese label, as the template prints it.")
    group_label: str = pa.Field(
        nullable=True,
        description="The heading the row sits under (e.g. 三、本年度办理结果/（六）其他处理); NULL when none.",
    )
    row_order: pl.Int32 = pa.Field(ge=1, description="Printed position of the row within its section (1 = first).")

    class Config:
        strict = True
        coerce = True


class CatalogColumnModel(pa.DataFrameModel):
    """The template catalog: every column of every template table, with its official Chinese label
    (models/catalog/columns.csv)."""

    template: str = pa.Field(
        isin=[*values(Template), "*"], description="'2019', '2021', or '*' for a column both versions have."
    )
    section: pl.Int8 = pa.Field(isin=list(SECTIONS), description=_D_SECTION)
    table_key: str = pa.Field(description=_D_TABLE_KEY)
    column_key: str = pa.Field(description="Stable English key of the column, as facts.column_key.")
    column_label: str = pa.Field(
        description="The column's official Chinese label, with the unit where the template prints one."
    )
    column_order: pl.Int32 = pa.Field(ge=1, description="Printed position of the column within its table (1 = first).")

    class Config:
        strict = True
        coerce = True


class ReportModel(pa.DataFrameModel):
    """One row per report loaded: who published it, for which year, on which template, and how
    well it could be read."""

    source_sha256: str = pa.Field(str_matches=_SHA256, unique=True, description=_D_SHA)
    source_file: str = pa.Field(description=_D_FILE)
    agency: str = pa.Field(nullable=True, description=_D_AGENCY)
    year: pl.Int32 = pa.Field(nullable=True, ge=1990, le=2100, description=_D_YEAR)
    template: str = pa.Field(isin=values(Template), description=_D_TEMPLATE)
    template_evidence: str = pa.Field(
        description="The printed labels that decided the template (e.g. 'labels: 本年制发件数、…')."
    )
    layout: str = pa.Field(
        description="How the file laid out its tables (docx, html, text/tabs, text/pipes, text/cell-per-line, …): "
        "group by it to see which layouts read badly."
    )
    reading: str = pa.Field(isin=values(Reading), description=_D_READING)
    cells_expected: pl.Int32 = pa.Field(ge=0, description=_D_CELLS_EXPECTED)
    cells_found: pl.Int32 = pa.Field(ge=0, description=_D_CELLS_FOUND)
    problems: str = pa.Field(
        nullable=True, description="What is missing or doubtful in the reading, '; '-separated; NULL when nothing."
    )
    given_agency: str = pa.Field(
        nullable=True,
        description="The agency the collector gave for the file in the raw folder's manifest.csv; NULL when none. "
        "The marts use it before `agency` (what the text reads); a disagreement is a finding of rule M1.",
    )
    given_year: pl.Int32 = pa.Field(
        nullable=True,
        ge=1990,
        le=2100,
        description="The statistics year the collector gave in manifest.csv; NULL when none. The marts use it "
        "before `year`; a disagreement is a finding of rule M1.",
    )
    source_url: str = pa.Field(
        nullable=True, description="Where the collector found the file (manifest.csv's url); NULL when not given."
    )
    fetched_at: str = pa.Field(
        nullable=True,
        description="When the collector downloaded the file's content (UTC, ISO 8601 text; manifest.csv's "
        "fetched_at); NULL for a file put in the raw folder by hand. The fetch log has every request since.",
    )
    announced_by: str = pa.Field(
        nullable=True,
        str_matches=_SHA256,
        description="For an attachment (附件: a PDF or DOCX linked from a report page): the source_sha256 of the "
        "page that announced it (manifest.csv's page); NULL otherwise. Where both carry the tables the marts use "
        "the attachment, and a disagreement is a finding of rule A1.",
    )
    withdrawn_seen_at: str = pa.Field(
        nullable=True,
        description="When the collector first found the report gone from the site (its URL answered 404/410; UTC, "
        "ISO 8601 text); NULL while it is published. A withdrawn report keeps its data.",
    )
    counted: bool = pa.Field(
        description="Whether the marts (mart_agency_year, mart_agency_year_change) count this report for its "
        "agency-year (the collector's agency and year where given, else the text's): exactly one report per "
        "agency-year is counted. The one named in report_choice.csv beside the raw folder; else an attachment "
        "over the page that announced it; else the report with most cells read; else the lowest source_sha256. "
        "False for a report without agency or year. The duplicate_reports view lists agency-years with several; "
        "a report that prints other figures than the counted one is a finding of rule D1.",
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="more cells found than the template has")
    def found_within_expected(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("cells_found") <= pl.col("cells_expected")).alias("ok"))


class FactModel(pa.DataFrameModel):
    """The tidy fact table: one row per template cell of one report, i.e. per (source_sha256,
    table_key, row_key, column_key). Sum `value` over reports for one (row_key, column_key)."""

    # Column order is the warehouse's (who and when first, the report's id last), as analysts see it.
    agency: str = pa.Field(nullable=True, description=_D_AGENCY)
    year: pl.Int32 = pa.Field(nullable=True, ge=1990, le=2100, description=_D_YEAR)
    template: str = pa.Field(isin=values(Template), description=_D_TEMPLATE)
    section: pl.Int8 = pa.Field(isin=list(SECTIONS), description=_D_SECTION)
    table_key: str = pa.Field(description=_D_TABLE_KEY)
    row_key: str = pa.Field(description=_D_ROW_KEY)
    column_key: str = pa.Field(description=_D_COLUMN_KEY)
    value: pl.Float64 = pa.Field(
        nullable=True,
        description="The figure: a count (件, 条, 项 …) in almost every cell; amount_10k_yuan is money in 万元 "
        "(10,000 yuan) and procurement_amount (采购总金额) money as the report prints it. blank and other cells "
        "are 0 by the template's convention; NULL when the cell is missing or unreadable (never 0).",
    )
    raw_text: str = pa.Field(
        nullable=True,
        description="The cell's text as printed ('' when blank, NULL when missing; what it prints when unreadable): "
        "check value against it.",
    )
    value_status: str = pa.Field(
        isin=values(ValueStatus),
        description="number (a figure) | blank (empty: value 0) | other (—, /, 无 and the like: value 0) | "
        "missing (not found in the file: value NULL) | unreadable (printed, but no figure the template allows: "
        "1e9, NaN, (5), 一百二十三, 12.5 as a count, a count past 999,999,999; value NULL, raw_text keeps it, a U1 "
        "finding names it). Exclude missing and unreadable before comparing or averaging.",
    )
    ocr_confidence: pl.Float64 = pa.Field(
        nullable=True,
        ge=0.0,
        le=1.0,
        description="Set only for a cell read from an image by OCR (a scanned page, a table published as a "
        "picture): the recogniser's probability for its least sure character, 0–1 (1 for a cell with no ink). "
        "NULL for a cell read from text. Where the template's arithmetic chose another reading of an OCR figure, "
        "repairs says so; an OCR figure no rule can check and below 0.9 is named in reports.problems.",
    )
    source_file: str = pa.Field(str_length={"min_value": 1}, description=_D_FILE)
    source_sha256: str = pa.Field(str_matches=_SHA256, description=_D_SHA)

    class Config:
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["source_sha256", "table_key", "row_key", "column_key"]

    @pa.dataframe_check(error="cell key is not in the template catalog")
    def cell_in_catalog(cls, data: pa.PolarsData) -> pl.LazyFrame:
        known = _CATALOG_KEYS.lazy().with_columns(pl.lit(True).alias("_known"))
        joined = data.lazyframe.join(
            known, on=["template", "table_key", "row_key", "column_key"], how="left", maintain_order="left"
        )
        return joined.select(pl.col("_known").fill_null(False).alias("ok"))

    @pa.dataframe_check(error="value is null exactly when the cell is missing or unreadable")
    def value_null_iff_missing(cls, data: pa.PolarsData) -> pl.LazyFrame:
        unknown = pl.col("value_status").is_in([ValueStatus.MISSING, ValueStatus.UNREADABLE])
        return data.lazyframe.select((pl.col("value").is_null() == unknown).alias("ok"))


class RepairModel(pa.DataFrameModel):
    """Printed rows whose figures were read away from their printed positions (reports whose
    reading is repaired or ambiguous), with the moves and why."""

    source_sha256: str = pa.Field(str_matches=_SHA256, description=_D_SHA)
    label: str = pa.Field(description="The row label as printed in the file.")
    printed: str = pa.Field(
        str_startswith="[", description="JSON list of the cells printed after the label, in order ('' = blank)."
    )
    moves: str = pa.Field(
        str_startswith="[",
        description="JSON list of {figure, from, to}: each figure moved from the cell it was printed in to the cell "
        "it now fills in facts (row_key.column_key).",
    )
    reason: str = pa.Field(
        str_length={"min_value": 1},
        description="Why the printed positions were not kept and how the placement was chosen.",
    )

    class Config:
        strict = True
        coerce = True


class FindingModel(pa.DataFrameModel):
    """Consistency-rule failures and year-over-year outliers: findings to show, never reasons to
    drop a report or change its figures. One row per failed rule instance."""

    source_sha256: str = pa.Field(str_matches=_SHA256, description=_D_SHA)
    rule: str = pa.Field(
        isin=values(FindingRule),
        description="C1 … C7 (the consistency rules; their text is in the dictionary's rules), YOY "
        "(a figure far outside the agency's other years), M1 (the collector's manifest.csv and the report's "
        "text disagree on agency or year), A1 (a report page and its attachment print different figures; "
        "the finding is on the page, expected is the attachment's figure), D1 (another report of the same "
        "agency-year prints different figures; the finding is on the report the marts do not count) or U1 (a cell "
        "prints no figure the template allows: the message names the file, section, row, column and the printed "
        "text).",
    )
    scope: str = pa.Field(
        description="Where the rule was applied (a row, a column, a cell, or a column against a year)."
    )
    cells: str = pa.Field(description="The cells involved, row_key.column_key joined by '+'.")
    expected: pl.Float64 = pa.Field(
        nullable=True,
        description="What the rule makes the figure (C7: the narrative's figure; YOY: the agency's usual figure; "
        "M1 on the year: the year manifest.csv gives; A1: the attachment's figure; D1: the counted report's "
        "figure, where one cell differs); NULL when the rule has no single expected figure (C5, M1 on the "
        "agency, D1 over several cells).",
    )
    printed: pl.Float64 = pa.Field(
        nullable=True, description="The figure the report's tables print (M1 on the year: the year the text reads)."
    )
    severity: str = pa.Field(
        isin=values(Severity),
        description="error (a consistency rule C1–C7 fails) or warning (YOY, M1, A1, D1, U1: worth a look, not a "
        "broken rule).",
    )
    message: str = pa.Field(str_length={"min_value": 1}, description="The finding in one sentence, with the figures.")

    class Config:
        strict = True
        coerce = True


class RejectedModel(pa.DataFrameModel):
    """Files in the raw folder that could not be read as a report, with the reason. Their figures
    are nowhere in the warehouse."""

    source_file: str = pa.Field(
        str_length={"min_value": 1}, description="The raw file's name (path relative to the raw folder)."
    )
    source_sha256: str = pa.Field(
        nullable=True, str_matches=_SHA256, description="SHA-256 of its bytes; NULL when it could not be hashed."
    )
    reason: str = pa.Field(
        str_length={"min_value": 1}, description="Why, starting with the file name (e.g. '…: same content as …')."
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="the reason names the file")
    def reason_names_file(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("reason").str.contains(pl.col("source_file"), literal=True).alias("ok"))


class RejectedRowModel(pa.DataFrameModel):
    """Rows of any table that failed its pandera model, kept whole (JSON) with the checks they
    failed: never loaded into their table, never dropped silently. Not exported."""

    table_name: str = pa.Field(description="The table whose model the row failed (facts, reports, …).")
    source_sha256: str = pa.Field(
        nullable=True, description="The report the row belongs to; NULL for a table without one."
    )
    row: str = pa.Field(description="The whole row as JSON, as it would have been loaded.")
    failed_checks: str = pa.Field(description="The checks it failed, 'column: check' joined by '; '.")

    class Config:
        strict = True
        coerce = True


class NarrativeFigureModel(pa.DataFrameModel):
    """Figures the report's narrative states (收到申请 N 件, 主动公开信息 N 条 …), beside the table
    cell they are compared with (rule C7)."""

    source_sha256: str = pa.Field(str_matches=_SHA256, description=_D_SHA)
    topic: str = pa.Field(
        description="What the figure counts: the row_key of the cell it is compared with, or proactive_published "
        "(information published proactively, which has no table cell)."
    )
    section: pl.Int8 = pa.Field(
        nullable=True, isin=[3, 4], description="Section of the compared cell; NULL when there is none."
    )
    table_key: str = pa.Field(nullable=True, description="Table of the compared cell; NULL when there is none.")
    row_key: str = pa.Field(nullable=True, description="Row of the compared cell; NULL when there is none.")
    column_key: str = pa.Field(nullable=True, description="Column of the compared cell; NULL when there is none.")
    stated_value: pl.Float64 = pa.Field(ge=0, description="The figure the sentence states (a count).")
    table_value: pl.Float64 = pa.Field(
        nullable=True,
        description="The compared cell's figure in facts; NULL when there is none. A difference is a C7 finding.",
    )
    clause: str = pa.Field(description="The part of the sentence that states the figure, as printed.")

    class Config:
        strict = True
        coerce = True


class QualityModel(pa.DataFrameModel):
    """Per report: how complete and how consistent it is. Start here to decide which reports to
    trust."""

    source_sha256: str = pa.Field(str_matches=_SHA256, unique=True, description=_D_SHA)
    source_file: str = pa.Field(description=_D_FILE)
    agency: str = pa.Field(nullable=True, description=_D_AGENCY)
    year: pl.Int32 = pa.Field(nullable=True, description=_D_YEAR)
    reading: str = pa.Field(isin=values(Reading), description=_D_READING)
    cells_expected: pl.Int32 = pa.Field(ge=0, description=_D_CELLS_EXPECTED)
    cells_found: pl.Int32 = pa.Field(ge=0, description=_D_CELLS_FOUND)
    cells_missing: pl.Int32 = pa.Field(
        ge=0, description="cells_expected − cells_found: cells not found in the file (value NULL in facts)."
    )
    cells_unreadable: pl.Int32 = pa.Field(
        ge=0,
        description="Of cells_found, those printed with no figure the template allows (facts.value_status "
        "unreadable, value NULL; a U1 finding each). Not 0: the report's reading is unreadable_cells (or worse).",
    )
    rule_checks: pl.Int32 = pa.Field(
        ge=0,
        description="Rule instances evaluated (C1–C7, one per row, column or cell a rule covers; C6 only where the "
        "agency's previous year is loaded).",
    )
    rule_failures: pl.Int32 = pa.Field(ge=0, description="Of those, how many failed (findings of severity error).")
    failed_rules: str = pa.Field(
        nullable=True, description="The rules that failed, sorted and comma-separated (e.g. 'C1,C3'); NULL when none."
    )
    warnings: pl.Int32 = pa.Field(
        ge=0,
        description="Findings of severity warning on the report: year-over-year outliers (YOY), manifest "
        "disagreements (M1), a page against its attachment (A1), another report of its agency-year (D1), "
        "unreadable cells (U1).",
    )
    repairs: pl.Int32 = pa.Field(ge=0, description="Printed rows whose figures were moved (its rows in repairs).")
    problems: pl.Int32 = pa.Field(ge=0, description="Entries in reports.problems (things missing or doubtful).")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="cells found + missing = expected")
    def cells_add_up(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("cells_found") + pl.col("cells_missing") == pl.col("cells_expected")).alias("ok")
        )


class AgencyModel(pa.DataFrameModel):
    """Agencies with their place in the administrative hierarchy, resolved from the name against
    the Ministry of Civil Affairs' division list: one row per distinct agency name."""

    agency: str = pa.Field(unique=True, description="Full name as printed (reports.agency, facts.agency).")
    parent_agency: str = pa.Field(
        nullable=True, description="The bureau a 分局 belongs to; NULL for an agency that is not a 分局."
    )
    province: str = pa.Field(
        nullable=True, description="Official name of the province-level division; NULL when not found."
    )
    prefecture: str = pa.Field(
        nullable=True, description="Official name of the prefecture-level division; NULL when none or not found."
    )
    county: str = pa.Field(
        nullable=True, description="Official name of the county-level division; NULL when none or not found."
    )
    division_code: str = pa.Field(
        nullable=True, description="6-digit code of the most specific division found; NULL when none."
    )
    division_level: str = pa.Field(
        nullable=True, description="province | prefecture | county: the level of division_code."
    )
    resolved_by: str = pa.Field(
        description="How the division was found (e.g. matched '乌苏市' in a chain of 2) or why not: read it before "
        "trusting province, prefecture and county."
    )

    class Config:
        strict = True
        coerce = True


class FetchLogModel(pa.DataFrameModel):
    """Every request the collector made (`xxgk collect`, the nightly collect job), one row per URL
    per run, oldest first: where each report came from and why a URL failed. Kept beside the raw
    folder (fetch_log.parquet) and loaded whole."""

    run_started_at: str = pa.Field(description="When the collect run began (UTC, ISO 8601): one run, one value.")
    fetched_at: str = pa.Field(description="When the request was answered or given up (UTC, ISO 8601 text).")
    agency: str = pa.Field(nullable=True, description="The agency of the sources.csv row that led here.")
    kind: str = pa.Field(isin=values(FetchKind), description="robots | listing | report | attachment | picture.")
    url: str = pa.Field(str_length={"min_value": 1}, description="The URL requested.")
    final_url: str = pa.Field(nullable=True, description="Where redirects ended; NULL without a response.")
    referrer: str = pa.Field(
        nullable=True, description="The page whose link led here (a listing, or the report page of an attachment)."
    )
    status: pl.Int32 = pa.Field(
        nullable=True,
        ge=100,
        le=599,
        description="HTTP status of the last attempt; NULL when no response came (timeout, TLS, refused).",
    )
    etag: str = pa.Field(nullable=True, description="The ETag the server sent (sent back as If-None-Match).")
    last_modified: str = pa.Field(
        nullable=True, description="The Last-Modified the server sent (sent back as If-Modified-Since)."
    )
    content_sha256: str = pa.Field(
        nullable=True, str_matches=_SHA256, description="SHA-256 of the content (the file's, after a 304)."
    )
    outcome: str = pa.Field(
        isin=values(FetchOutcome),
        description="saved | unchanged | not_modified | disallowed (robots.txt) | over_budget | withdrawn "
        "(404/410 for a report fetched before) | failed (retried on a later night).",
    )
    reason: str = pa.Field(
        nullable=True, description="Why it failed, was skipped or withdrawn, in words; NULL when it was fetched."
    )
    file: str = pa.Field(nullable=True, description="The raw-folder file of the content (reports and attachments).")
    attempts: pl.Int32 = pa.Field(ge=0, description="Requests made for it in this run (retries of timeouts and 5xx).")

    class Config:
        strict = True
        coerce = True


class RemovedModel(pa.DataFrameModel):
    """Files that were in the raw folder at an earlier build and are gone (or changed) now; their
    reports are no longer in the other tables."""

    source_file: str = pa.Field(str_length={"min_value": 1}, description="The file's name when it was last seen.")
    source_sha256: str = pa.Field(str_matches=_SHA256, description="SHA-256 of the content that is gone.")
    reason: str = pa.Field(
        str_length={"min_value": 1},
        description="'…: file removed from the raw folder' or '…: file changed, its new content is …'.",
    )
    detected_at: str = pa.Field(description="When a build first missed it (UTC, ISO 8601 text).")

    class Config:
        strict = True
        coerce = True


class FactsFileModel(pa.DataFrameModel):
    """The Parquet files the view `facts` reads (the facts folder beside the warehouse file, per
    partition a base and at most one delta, Hive-style: year=2023/bucket=7/facts-<build>.parquet and
    facts-<build>-delta.parquet, the reports added since the base): which files this warehouse
    published. Read the folder whole (Spark, pyarrow, polars, DuckDB) when no build is publishing,
    or exactly these files."""

    year: pl.Int32 = pa.Field(
        nullable=True,
        description="The partition's statistics year (the facts' year; NULL: the folder year=__HIVE_DEFAULT_PARTITION__).",
    )
    bucket: pl.Int32 = pa.Field(
        ge=0,
        description="The partition's bucket: the first 4 bytes of the SHA-256 of the agency's name (UTF-8; '' when "
        "NULL) as an unsigned big-endian integer, modulo the number of buckets (32).",
    )
    file: str = pa.Field(
        str_length={"min_value": 1},
        description="The file's path under the facts folder (xxgk.facts/ beside xxgk.duckdb).",
    )
    rows: pl.Int64 = pa.Field(ge=1, description="Rows (facts) in the file.")

    class Config:
        strict = True
        coerce = True


# Every table of the warehouse (sql/warehouse/schema.sql, then facts.sql), in the DDL's order.
WAREHOUSE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "catalog_rows": CatalogRowModel,
    "catalog_columns": CatalogColumnModel,
    "reports": ReportModel,
    "facts_files": FactsFileModel,
    "repairs": RepairModel,
    "findings": FindingModel,
    "rejected": RejectedModel,
    "rejected_rows": RejectedRowModel,
    "narrative_figures": NarrativeFigureModel,
    "quality": QualityModel,
    "dim_agency": AgencyModel,
    "removed": RemovedModel,
    "fetch_log": FetchLogModel,
    "facts": FactModel,  # Parquet files beside the DuckDB file (sql/warehouse/facts.sql), read through a view
}
# The tables whose rows every build validates (each is also a Dagster asset check). The catalog is
# a committed file (tests/test_catalog.py), rejected_rows holds what failed, and dim_agency is
# resolved from a fixed dataset: those are declared above but not validated row by row.
MODELS: dict[str, type[pa.DataFrameModel]] = {
    "reports": ReportModel,
    "facts": FactModel,
    "repairs": RepairModel,
    "findings": FindingModel,
    "rejected": RejectedModel,
    "removed": RemovedModel,
    "narrative_figures": NarrativeFigureModel,
    "quality": QualityModel,
    "fetch_log": FetchLogModel,
}


def polars_schema(model: type[pa.DataFrameModel]) -> pl.Schema:
    """The polars dtypes of a model's columns, in its order: the schema every frame of that table
    is built with, so a column is typed in one place."""
    return pl.Schema({name: column.dtype.type for name, column in model.to_schema().columns.items()})


def table_description(model: type[pa.DataFrameModel]) -> str:
    """The table's description: its model's docstring, on one line."""
    return " ".join((model.to_schema().description or "").split())


def column_descriptions(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Each column's description, in the model's order."""
    return {name: column.description or "" for name, column in model.to_schema().columns.items()}


@dataclass
class Validated:
    valid: pl.DataFrame
    invalid: pl.DataFrame  # the failing rows, with a "failed_checks" column
    failure_cases: pl.DataFrame


def _validate_lazy(model: type[pa.DataFrameModel], frame: pl.DataFrame) -> pl.DataFrame:
    # A frame already of the model's types is checked without coercion: pandera's would cast each
    # column to the type it has (a quarter of a call's cost, 4 of 12 ms for 100 reports' rows);
    # every check, the types' included, runs all the same. Any other frame is coerced, as ever.
    schema = _uncoerced(model) if frame.schema == _model_schema(model) else model.to_schema()
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        return schema.validate(frame.lazy(), lazy=True).collect()


@cache
def _model_schema(model: type[pa.DataFrameModel]) -> pl.Schema:
    return polars_schema(model)


@cache
def _uncoerced(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The model's schema with every check, without coercion (for frames already of its types):
    a shallow copy, its columns shared (they do not coerce on their own: Config sets the schema's)."""
    schema = copy.copy(model.to_schema())
    schema.coerce = False
    return schema


def validate(model: type[pa.DataFrameModel], frame: pl.DataFrame) -> Validated:
    """Validate every row; split the frame into the rows that pass and those that fail."""
    # No rows, and the model's columns with its types: nothing a check can fail on (every check of
    # the models is per row or per column), while pandera costs 7-25 ms a call whatever the rows,
    # and a night validates about eight empty derived tables.
    if frame.height == 0 and frame.schema == _model_schema(model):
        return Validated(frame, frame.with_columns(pl.lit("").alias("failed_checks")), pl.DataFrame())
    try:
        valid = _validate_lazy(model, frame)
        return Validated(valid, frame.clear().with_columns(pl.lit("").alias("failed_checks")), pl.DataFrame())
    except SchemaErrors as exc:
        cases = exc.failure_cases
    except SchemaError as exc:  # pragma: no cover - lazy=True collects into SchemaErrors
        cases = pl.DataFrame({"column": [None], "check": [str(exc)], "index": [None]})
    indexed = cases.filter(pl.col("index").is_not_null()) if "index" in cases.columns else cases.clear()
    if indexed.height == 0:
        # A failure of the whole frame (a missing or mistyped column): no row can be trusted.
        reasons = "; ".join(f"{r.get('column')}: {r.get('check')}" for r in cases.iter_rows(named=True))
        return Validated(frame.clear(), frame.with_columns(pl.lit(reasons).alias("failed_checks")), cases)
    reasons = indexed.group_by("index").agg(
        pl.concat_str([pl.col("column").fill_null("row"), pl.col("check")], separator=": ")
        .unique()
        .sort()
        .str.join("; ")
        .alias("failed_checks")
    )
    numbered = frame.with_row_index("index").with_columns(pl.col("index").cast(pl.Int64))
    reasons = reasons.with_columns(pl.col("index").cast(pl.Int64))
    marked = numbered.join(reasons, on="index", how="left")
    invalid = marked.filter(pl.col("failed_checks").is_not_null()).drop("index")
    passing = marked.filter(pl.col("failed_checks").is_null()).drop("index", "failed_checks")
    return Validated(_validate_lazy(model, passing), invalid, cases)
