"""Checks that need an agency's other years: C6 (carried over = last year's carried forward) and
year-over-year outliers (warnings, not rule failures)."""

from __future__ import annotations

import polars as pl

from models.schemas import FindingModel, polars_schema
from models.vocab import FindingRule, Severity

# Figures whose history is watched for jumps: (row_key, column_key).
WATCHED = (
    ("new_requests", "total"),
    ("granted", "total"),
    ("total_handled", "total"),
    ("administrative_licensing", "decisions"),
    ("administrative_penalty", "decisions"),
)


def read_across_years() -> pl.Expr:
    """The facts the checks across years read (a full build keeps only these of the facts it
    streams): every column of the carried-over and carried-forward rows (C6), the WATCHED cells."""
    c6 = pl.col("row_key").is_in(["carried_over", "carried_forward"])
    return pl.any_horizontal(c6, *((pl.col("row_key") == r) & (pl.col("column_key") == c) for r, c in WATCHED))


# A figure is an outlier when it is at least JUMP times the agency's median of other years (and
# at least MIN_GAP more), or at most 1/JUMP of it (from a median of at least MIN_GAP).
JUMP = 10.0
MIN_GAP = 50.0

_FINDING_COLUMNS = list(polars_schema(FindingModel))


def carry_over(facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """C6 findings, and per report how many C6 comparisons could be made. `facts` carry agency and
    year as counted and `counted` (derive.with_agency_year); every report of a year is compared
    with the counted report of the year before."""
    base = facts.filter(
        pl.col("row_key").is_in(["carried_over", "carried_forward"])
        & pl.col("agency").is_not_null()
        & pl.col("year").is_not_null()
        & pl.col("value").is_not_null()
    )
    current = base.filter(pl.col("row_key") == "carried_over").select(
        "agency", "year", "column_key", "source_sha256", pl.col("value").alias("printed")
    )
    # Last year's figures are those of its counted report (reports.counted: one per agency-year,
    # chosen as the marts choose it), so an agency-year with several reports is still compared.
    previous = base.filter((pl.col("row_key") == "carried_forward") & pl.col("counted")).select(
        "agency",
        (pl.col("year") + 1).alias("year"),
        "column_key",
        pl.col("source_file").alias("previous_file"),
        pl.col("value").alias("expected"),
    )
    joined = current.join(previous, on=["agency", "year", "column_key"], how="inner")
    checked = joined.group_by("source_sha256").agg(pl.len().alias(FindingRule.C6))  # a column per rule: C6
    failed = joined.filter((pl.col("printed") - pl.col("expected")).abs() > 1e-6).select(
        "source_sha256",
        pl.lit(FindingRule.C6.value).alias("rule"),
        pl.format("column {} against year {}", "column_key", pl.col("year") - 1).alias("scope"),
        pl.format("carried_over.{}", "column_key").alias("cells"),
        "expected",
        "printed",
        pl.lit(Severity.ERROR.value).alias("severity"),
        pl.format(
            "C6: carried over {} is {}, but {} ({}) carried forward {}",
            "column_key",
            "printed",
            pl.col("year") - 1,
            "previous_file",
            "expected",
        ).alias("message"),
    )
    return failed.select(_FINDING_COLUMNS), checked


def outliers(facts: pl.DataFrame) -> pl.DataFrame:
    """Warnings for watched figures far outside the agency's history. With three or more years the
    yardstick is the median of all of them (robust to the outlier itself); with two, the later
    year is compared with the earlier one."""
    watched = pl.DataFrame({"row_key": [r for r, _ in WATCHED], "column_key": [c for _, c in WATCHED]})
    base = (
        facts.join(watched, on=["row_key", "column_key"])
        .filter(pl.col("agency").is_not_null() & pl.col("year").is_not_null() & pl.col("value").is_not_null())
        .select("agency", "year", "row_key", "column_key", "value", "source_sha256", "counted")
    )
    series = ["agency", "row_key", "column_key"]
    # The history is the counted reports' (one figure per year): a second report of a year, a
    # page beside its attachment, must not weigh twice. Every report is scored against it.
    history = (
        base.filter(pl.col("counted"))
        .group_by(series)
        .agg(
            pl.len().alias("n_years"),
            pl.col("value").median().alias("median_all"),
            pl.col("value").sort_by("year").first().alias("first_value"),
            pl.col("year").min().alias("first_year"),
            pl.col("year").sort().cast(pl.String).str.join(", ").alias("years"),
        )
        .filter(pl.col("n_years") >= 2)
    )
    with_history = base.join(history, on=series)
    yardstick = (
        pl.when(pl.col("n_years") >= 3)
        .then(pl.col("median_all"))
        .when(pl.col("year") != pl.col("first_year"))
        .then(pl.col("first_value"))
        .otherwise(None)
    )
    scored = with_history.with_columns(yardstick.alias("yardstick")).filter(pl.col("yardstick").is_not_null())
    jumps = scored.filter(
        (
            (pl.col("value") >= JUMP * pl.max_horizontal(pl.col("yardstick"), pl.lit(1.0)))
            & (pl.col("value") - pl.col("yardstick") >= MIN_GAP)
        )
        | ((pl.col("yardstick") >= MIN_GAP) & (pl.col("value") <= pl.col("yardstick") / JUMP))
    )
    return jumps.select(
        "source_sha256",
        pl.lit(FindingRule.YOY.value).alias("rule"),
        pl.format("{}.{} against the agency's years", "row_key", "column_key").alias("scope"),
        pl.format("{}.{}", "row_key", "column_key").alias("cells"),
        pl.col("yardstick").alias("expected"),
        pl.col("value").alias("printed"),
        pl.lit(Severity.WARNING.value).alias("severity"),
        pl.format(
            "{}.{} is {} in {}; the agency's usual figure (years {}) is {}",
            "row_key",
            "column_key",
            "value",
            "year",
            "years",
            "yardstick",
        ).alias("message"),
    ).select(_FINDING_COLUMNS)
