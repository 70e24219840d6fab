"""pandera models (on polars) of every table the pipeline loads.

Validation is lazy (every failure collected, none raised) and runs on a LazyFrame at the
SCHEMA_AND_DATA depth: on a LazyFrame pandera checks only the schema unless told to check the
data too. Rows that fail are split off and reported with the failed checks; they never load
silently and never stop the other rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandera.polars as pa
import polars as pl
from pandera.config import ValidationDepth, config_context
from pandera.errors import SchemaError, SchemaErrors

from models.catalog import cells_for

VALUE_STATUSES = ("number", "blank", "other", "missing")
READINGS = ("as_printed", "repaired", "ambiguous", "unresolved", "no_figures")
TEMPLATES = ("2019", "2021")
SEVERITIES = ("error", "warning")
FINDING_RULES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "YOY")
_SHA256 = r"^[0-9a-f]{64}$"
# Every (template, table_key, row_key, column_key) the catalog knows.
# A 2021 report may print （六）其他处理 as one row: the 2019 key other_handling (shared/spec).
_CATALOG_KEYS = pl.DataFrame(
    [
        {"template": t, "table_key": c.table_key, "row_key": c.row_key, "column_key": c.column_key}
        for t in TEMPLATES
        for c in cells_for(t)
    ]
    + [
        {"template": "2021", "table_key": c.table_key, "row_key": c.row_key, "column_key": c.column_key}
        for c in cells_for("2019")
        if c.row_key == "other_handling"
    ]
)


class FactModel(pa.DataFrameModel):
    """One row per template cell of one report: the tidy grain of shared/spec."""

    source_sha256: str = pa.Field(str_matches=_SHA256)
    source_file: str = pa.Field(str_length={"min_value": 1})
    agency: str = pa.Field(nullable=True)
    year: pl.Int32 = pa.Field(nullable=True, ge=1990, le=2100)
    template: str = pa.Field(isin=list(TEMPLATES))
    section: pl.Int8 = pa.Field(isin=[2, 3, 4])
    table_key: str
    row_key: str
    column_key: str
    value: pl.Float64 = pa.Field(nullable=True)
    raw_text: str = pa.Field(nullable=True)
    value_status: str = pa.Field(isin=list(VALUE_STATUSES))

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

    @pa.dataframe_check(error="value is null exactly when the cell is missing")
    def value_null_iff_missing(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("value").is_null() == (pl.col("value_status") == "missing")).alias("ok"))


class ReportModel(pa.DataFrameModel):
    source_sha256: str = pa.Field(str_matches=_SHA256, unique=True)
    source_file: str
    agency: str = pa.Field(nullable=True)
    year: pl.Int32 = pa.Field(nullable=True, ge=1990, le=2100)
    template: str = pa.Field(isin=list(TEMPLATES))
    template_evidence: str
    layout: str
    reading: str = pa.Field(isin=list(READINGS))
    cells_expected: pl.Int32 = pa.Field(ge=0)
    cells_found: pl.Int32 = pa.Field(ge=0)
    problems: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="more cells found than the template has")
    def found_within_expected(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("cells_found") <= pl.col("cells_expected")).alias("ok"))


class RepairModel(pa.DataFrameModel):
    source_sha256: str = pa.Field(str_matches=_SHA256)
    label: str
    printed: str = pa.Field(str_startswith="[")
    moves: str = pa.Field(str_startswith="[")
    reason: str = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class FindingModel(pa.DataFrameModel):
    source_sha256: str = pa.Field(str_matches=_SHA256)
    rule: str = pa.Field(isin=list(FINDING_RULES))
    scope: str
    cells: str
    expected: pl.Float64 = pa.Field(nullable=True)
    printed: pl.Float64 = pa.Field(nullable=True)
    severity: str = pa.Field(isin=list(SEVERITIES))
    message: str = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class RejectedModel(pa.DataFrameModel):
    source_file: str = pa.Field(str_length={"min_value": 1})
    source_sha256: str = pa.Field(nullable=True, str_matches=_SHA256)
    reason: str = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="the reason names the file")
    def reason_names_file(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("reason").str.contains(pl.col("source_file"), literal=True).alias("ok"))


class RemovedModel(pa.DataFrameModel):
    source_file: str = pa.Field(str_length={"min_value": 1})
    source_sha256: str = pa.Field(str_matches=_SHA256)
    reason: str = pa.Field(str_length={"min_value": 1})
    detected_at: str

    class Config:
        strict = True
        coerce = True


class NarrativeFigureModel(pa.DataFrameModel):
    source_sha256: str = pa.Field(str_matches=_SHA256)
    topic: str
    section: pl.Int8 = pa.Field(nullable=True, isin=[3, 4])
    table_key: str = pa.Field(nullable=True)
    row_key: str = pa.Field(nullable=True)
    column_key: str = pa.Field(nullable=True)
    stated_value: pl.Float64 = pa.Field(ge=0)
    table_value: pl.Float64 = pa.Field(nullable=True)
    clause: str

    class Config:
        strict = True
        coerce = True


class QualityModel(pa.DataFrameModel):
    source_sha256: str = pa.Field(str_matches=_SHA256, unique=True)
    source_file: str
    agency: str = pa.Field(nullable=True)
    year: pl.Int32 = pa.Field(nullable=True)
    reading: str = pa.Field(isin=list(READINGS))
    cells_expected: pl.Int32 = pa.Field(ge=0)
    cells_found: pl.Int32 = pa.Field(ge=0)
    cells_missing: pl.Int32 = pa.Field(ge=0)
    rule_checks: pl.Int32 = pa.Field(ge=0)
    rule_failures: pl.Int32 = pa.Field(ge=0)
    failed_rules: str = pa.Field(nullable=True)
    warnings: pl.Int32 = pa.Field(ge=0)
    repairs: pl.Int32 = pa.Field(ge=0)
    problems: pl.Int32 = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="cells found + missing = expected")
    def cells_add_up(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("cells_found") + pl.col("cells_missing") == pl.col("cells_expected")).alias("ok")
        )


# The model of each warehouse table produced by the pipeline.
MODELS: dict[str, type[pa.DataFrameModel]] = {
    "reports": ReportModel,
    "facts": FactModel,
    "repairs": RepairModel,
    "findings": FindingModel,
    "rejected": RejectedModel,
    "removed": RemovedModel,
    "narrative_figures": NarrativeFigureModel,
    "quality": QualityModel,
}


@dataclass
class Validated:
    valid: pl.DataFrame
    invalid: pl.DataFrame  # the failing rows, with a "failed_checks" column
    failure_cases: pl.DataFrame


def _validate_lazy(model: type[pa.DataFrameModel], frame: pl.DataFrame) -> pl.DataFrame:
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        return model.validate(frame.lazy(), lazy=True).collect()


def validate(model: type[pa.DataFrameModel], frame: pl.DataFrame) -> Validated:
    """Validate every row; split the frame into the rows that pass and those that fail."""
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
