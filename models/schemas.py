"""pandera models (on polars) of the tables the pipeline loads.

Validation is lazy (every failure collected) and eager on the data (a polars DataFrame, so data
checks run, not only the schema). Rows that fail are split off and reported with the failed
check; they never load silently and never stop the other rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from models.catalog import cells_for

VALUE_STATUSES = ("number", "blank", "other", "missing")
TEMPLATES = ("2019", "2021")
# Every (template, table_key, row_key, column_key) the catalog knows.
_CATALOG_KEYS = pl.DataFrame(
    [
        {"template": t, "table_key": c.table_key, "row_key": c.row_key, "column_key": c.column_key}
        for t in TEMPLATES
        for c in cells_for(t)
    ]
)


class FactModel(pa.DataFrameModel):
    """One row per template cell of one report: the tidy grain of shared/spec."""

    source_sha256: str = pa.Field(str_matches=r"^[0-9a-f]{64}$")
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
        unique = ["source_sha256", "table_key", "row_key", "column_key"]

    @pa.dataframe_check(error="cell key is not in the template catalog")
    def cell_in_catalog(cls, data: pa.PolarsData) -> pl.LazyFrame:
        known = _CATALOG_KEYS.lazy().with_columns(pl.lit(True).alias("_known"))
        joined = data.lazyframe.join(
            known, on=["template", "table_key", "row_key", "column_key"], how="left", maintain_order="left"
        )
        return joined.select(pl.col("_known").fill_null(False).alias("ok"))

    @pa.dataframe_check(error="value is null exactly when the cell is missing")
    def value_null_iff_missing(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("value").is_null() == (pl.col("value_status") == "missing")).alias("ok")
        )


class ReportModel(pa.DataFrameModel):
    source_sha256: str = pa.Field(str_matches=r"^[0-9a-f]{64}$", unique=True)
    source_file: str
    agency: str = pa.Field(nullable=True)
    year: pl.Int32 = pa.Field(nullable=True, ge=1990, le=2100)
    template: str = pa.Field(isin=list(TEMPLATES))
    template_evidence: str
    layout: str
    reading: str = pa.Field(isin=["as_printed", "repaired", "ambiguous", "unresolved"])
    cells_expected: pl.Int32 = pa.Field(ge=0)
    cells_found: pl.Int32 = pa.Field(ge=0)
    problems: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True


@dataclass
class Validated:
    valid: pl.DataFrame
    invalid: pl.DataFrame  # the failing rows, with a "failed_checks" column
    failure_cases: pl.DataFrame


def validate(model: type[pa.DataFrameModel], frame: pl.DataFrame) -> Validated:
    """Validate every row; split the frame into the rows that pass and those that fail."""
    try:
        valid = model.validate(frame, lazy=True)
        return Validated(valid, frame.clear().with_columns(pl.lit("").alias("failed_checks")), pl.DataFrame())
    except SchemaErrors as exc:
        cases = exc.failure_cases
    indexed = cases.filter(pl.col("index").is_not_null())
    if indexed.height == 0:
        # A failure of the whole frame (a missing or mistyped column): no row can be trusted.
        reasons = "; ".join(f"{r['column']}: {r['check']}" for r in cases.iter_rows(named=True))
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
    return Validated(model.validate(passing, lazy=True), invalid, cases)
