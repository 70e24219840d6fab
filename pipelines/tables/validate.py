"""Validate: pandera on every table; failing rows are split off and kept, never loaded silently.

A report whose own row fails is rejected whole, with the reason; failing rows of the other tables
go to `rejected_rows` as JSON with the checks they failed. One step of the build's chain:
assemble → derive → **validate** → load. Per-report tables are validated once, when a report
enters the parse store (`validate_report_frames`); the build validates what derive added.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import polars as pl

from models.schemas import MODELS, RejectedRowModel, ReportModel, Validated, polars_schema, validate
from pipelines.tables.frames import QUALITY_SCHEMA, REJECTED_SCHEMA, ReportFrames, TidyTables

REJECTED_ROWS_SCHEMA = polars_schema(RejectedRowModel)
# Tables each report brings on its own: validated once, when the report enters the parse store.
PER_REPORT_TABLES = ("reports", "facts", "repairs", "narrative_figures")
# Tables the build itself derives: validated at every build.
DERIVED_TABLES = ("findings", "quality", "rejected", "removed", "fetch_log")


def as_rejected_rows(invalid: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Failing rows of any tables, one row each, kept whole as JSON."""
    parts = [
        frame.select(
            pl.lit(table).alias("table_name"),
            (pl.col("source_sha256") if "source_sha256" in frame.columns else pl.lit(None, pl.String)).alias(
                "source_sha256"
            ),
            pl.struct(pl.exclude("failed_checks")).struct.json_encode().alias("row"),
            "failed_checks",
        )
        for table, frame in invalid.items()
        if frame.height
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=REJECTED_ROWS_SCHEMA)


@dataclass
class ValidatedTables:
    tables: TidyTables
    invalid: dict[str, pl.DataFrame]  # per table, the rows that failed its model ("failed_checks")
    failure_cases: dict[str, pl.DataFrame]
    stored_invalid: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REJECTED_ROWS_SCHEMA))

    def rejected_rows(self) -> pl.DataFrame:
        """All failing rows of all tables (those found when the reports were stored too)."""
        return pl.concat([self.stored_invalid, as_rejected_rows(self.invalid)])


def _unchecked(frame: pl.DataFrame) -> Validated:
    return Validated(frame, frame.clear().with_columns(pl.lit("").alias("failed_checks")), pl.DataFrame())


def validate_tables(tables: TidyTables, only: tuple[str, ...] | None = None) -> ValidatedTables:
    """pandera on every table that has a model (or those named in `only`; the others pass as
    they are). A report whose own row fails is rejected whole, with the reason; failing rows of
    the other tables are kept aside (rejected_rows), never loaded silently."""
    reports = validate(ReportModel, tables.reports) if only is None or "reports" in only else _unchecked(tables.reports)
    rejected = tables.rejected
    if reports.invalid.height:
        extra = reports.invalid.select(
            "source_file",
            "source_sha256",
            pl.concat_str([pl.col("source_file"), pl.lit(": invalid report row: "), pl.col("failed_checks")]).alias(
                "reason"
            ),
        )
        rejected = pl.concat([rejected, extra])
    keep = reports.valid.get_column("source_sha256").implode()
    frames = {
        name: frame.filter(pl.col("source_sha256").is_in(keep))
        if "source_sha256" in frame.columns and name not in ("reports", "rejected", "removed", "fetch_log")
        else frame
        for name, frame in tables.frames().items()
    }
    frames["rejected"] = rejected

    def check(name: str, frame: pl.DataFrame) -> Validated:
        if name == "reports":
            return reports
        if name in MODELS and (only is None or name in only):
            return validate(MODELS[name], frame)
        return _unchecked(frame)

    results = {name: check(name, frame) for name, frame in frames.items()}
    return ValidatedTables(
        TidyTables(**{name: r.valid for name, r in results.items()}),
        {name: r.invalid for name, r in results.items()},
        {name: r.failure_cases for name, r in results.items()},
    )


def validate_derived(tables: TidyTables, stored_invalid: pl.DataFrame) -> ValidatedTables:
    """Validate what derive added (the per-report tables were validated when stored)."""
    checked = validate_tables(tables, only=DERIVED_TABLES)
    checked.stored_invalid = stored_invalid
    return checked


def validate_batches(
    batches: Iterable[tuple[pl.DataFrame, pl.DataFrame]], checked: ValidatedTables
) -> Iterator[dict[str, pl.DataFrame]]:
    """Each batch of (findings, quality) rows (derive.derive_in_groups) validated on its own with
    their models, as validate_derived validates them whole: per batch, the valid rows of each and
    the failing ones as rejected_rows, to load; the failing rows and failure cases are added to
    `checked` (its `invalid` and `failure_cases`), as if validated at once. A batch holds whole
    reports, so a check across rows (one quality row a report) holds across batches too."""
    for findings, quality in batches:
        out, invalid = {}, {}
        for name, frame in (("findings", findings), ("quality", quality)):
            result = validate(MODELS[name], frame)
            out[name], invalid[name] = result.valid, result.invalid
            if result.invalid.height:
                checked.invalid[name] = pl.concat([checked.invalid[name], result.invalid], how="diagonal_relaxed")
            if result.failure_cases.height:
                checked.failure_cases[name] = pl.concat(
                    [checked.failure_cases[name], result.failure_cases], how="diagonal_relaxed"
                )
        out["rejected_rows"] = as_rejected_rows(invalid)
        yield out


def validate_report_frames(frames: ReportFrames) -> tuple[ReportFrames, pl.DataFrame, pl.DataFrame]:
    """pandera on newly parsed reports before they are stored: (the valid frames, rejections of
    reports whose own row fails, the failing rows as rejected_rows)."""
    tables = TidyTables(
        reports=frames.reports,
        facts=frames.facts,
        repairs=frames.repairs,
        findings=frames.findings,
        rejected=pl.DataFrame(schema=REJECTED_SCHEMA),
        narrative_figures=frames.narrative_figures,
        quality=pl.DataFrame(schema=QUALITY_SCHEMA),
    )
    checked = validate_tables(tables, only=(*PER_REPORT_TABLES, "findings", "rejected"))
    keep = checked.tables.reports.get_column("source_sha256").implode()
    valid = ReportFrames(
        reports=checked.tables.reports,
        facts=checked.tables.facts,
        repairs=checked.tables.repairs,
        narrative_figures=checked.tables.narrative_figures,
        findings=checked.tables.findings,
        rule_checks=frames.rule_checks.filter(pl.col("source_sha256").is_in(keep)),
    )
    return valid, checked.tables.rejected, checked.rejected_rows()
