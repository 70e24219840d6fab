"""Agency dimension: each agency's place in the administrative hierarchy, and its parent bureau."""

from __future__ import annotations

import polars as pl

AGENCY_SCHEMA = {
    "agency": pl.String,
    "parent_agency": pl.String,
    "province": pl.String,
    "prefecture": pl.String,
    "county": pl.String,
    "division_code": pl.String,
    "division_level": pl.String,
    "resolved_by": pl.String,
}


def resolve_agencies(names: list[str]) -> pl.DataFrame:
    return pl.DataFrame([{"agency": n, "resolved_by": "not resolved"} for n in names], schema=AGENCY_SCHEMA)
