"""Checks that need an agency's other years: C6 (carried over = last year's carried forward) and
year-over-year outliers (warnings, not rule failures)."""

from __future__ import annotations

import polars as pl

# Figures whose history is watched for jumps: (row_key, column_key).
WATCHED = (
    ("new_requests", "total"),
    ("granted", "total"),
    ("total_handled", "total"),
    ("administrative_licensing", "decisions"),
    ("administrative_penalty", "decisions"),
)
# A figure is an outlier when it is at least JUMP times the agency's median of other years (and
# at least MIN_GAP more), or at most 1/JUMP of it (from a median of at least MIN_GAP).
JUMP = 10.0
MIN_GAP = 50.0

_FINDING_COLUMNS = ["source_sha256", "rule", "scope", "cells", "expected", "printed", "severity", "message"]


def carry_over(facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """C6 findings, and per report how many C6 comparisons could be made."""
    base = facts.filter(pl.col("agency").is_not_null() & pl.col("year").is_not_null() & pl.col("value").is_not_null())
    current = base.filter(pl.col("row_key") == "carried_over").select(
        "agency", "year", "column_key", "source_sha256", pl.col("value").alias("printed")
    )
    previous = base.filter(pl.col("row_key") == "carried_forward").select(
        "agency", (pl.col("year") + 1).alias("year"), "column_key",
        pl.col("source_file").alias("previous_file"), pl.col("value").alias("expected"),
    )
    joined = current.join(previous, on=["agency", "year", "column_key"], how="inner")
    checked = joined.group_by("source_sha256").agg(pl.len().alias("C6"))
    failed = joined.filter((pl.col("printed") - pl.col("expected")).abs() > 1e-6).select(
        "source_sha256",
        pl.lit("C6").alias("rule"),
        pl.format("column {} against year {}", "column_key", pl.col("year") - 1).alias("scope"),
        pl.format("carried_over.{}", "column_key").alias("cells"),
        "expected",
        "printed",
        pl.lit("error").alias("severity"),
        pl.format(
            "C6: carried over {} is {}, but {} ({}) carried forward {}",
            "column_key", "printed", pl.col("year") - 1, "previous_file", "expected",
        ).alias("message"),
    )
    return failed.select(_FINDING_COLUMNS), checked


def outliers(facts: pl.DataFrame) -> pl.DataFrame:
    """Warnings for watched figures far outside the agency's other years."""
    watched = pl.DataFrame({"row_key": [r for r, _ in WATCHED], "column_key": [c for _, c in WATCHED]})
    base = facts.join(watched, on=["row_key", "column_key"]).filter(
        pl.col("agency").is_not_null() & pl.col("year").is_not_null() & pl.col("value").is_not_null()
    ).select("agency", "year", "row_key", "column_key", "value", "source_sha256")
    pairs = base.join(base, on=["agency", "row_key", "column_key"], suffix="_other").filter(pl.col("year") != pl.col("year_other"))
    history = pairs.group_by("source_sha256", "row_key", "column_key", "value").agg(
        pl.col("value_other").median().alias("median"), pl.col("year_other").sort().alias("years")
    )
    jumps = history.filter(
        ((pl.col("value") >= JUMP * pl.max_horizontal(pl.col("median"), pl.lit(1.0))) & (pl.col("value") - pl.col("median") >= MIN_GAP))
        | ((pl.col("median") >= MIN_GAP) & (pl.col("value") <= pl.col("median") / JUMP))
    )
    return jumps.select(
        "source_sha256",
        pl.lit("YOY").alias("rule"),
        pl.format("{}.{} against other years", "row_key", "column_key").alias("scope"),
        pl.format("{}.{}", "row_key", "column_key").alias("cells"),
        pl.col("median").alias("expected"),
        pl.col("value").alias("printed"),
        pl.lit("warning").alias("severity"),
        pl.format(
            "{}.{} is {}, the agency's median of other years ({}) is {}",
            "row_key", "column_key", "value", pl.col("years").cast(pl.List(pl.String)).list.join(", "), "median",
        ).alias("message"),
    ).select(_FINDING_COLUMNS)
