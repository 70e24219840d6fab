"""The build's steps as plain functions: Dagster assets and tests call these.

discover raw files → parse each (a bad file becomes a rejection, never an exception that stops
the others) → tidy frames → validate (failing rows split off) → write the warehouse.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from models.schemas import MODELS, ReportModel, validate
from pipelines.document import UnreadableDocument
from pipelines.parse import ParsedReport, parse_file
from pipelines.readers import sha256_of
from pipelines.tidy import Rejection, TidyTables, tidy

log = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_RAW_DIR = PROJECT_DIR / "data" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "data" / "warehouse" / "xxgk.duckdb"
_IGNORED = {".gitkeep", ".DS_Store", "README.md"}


@dataclass
class ParseBatch:
    reports: list[ParsedReport] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


@dataclass
class ValidatedTables:
    tables: TidyTables
    invalid: dict[str, pl.DataFrame]  # per table, the rows that failed its model ("failed_checks")
    failure_cases: dict[str, pl.DataFrame]

    def rejected_rows(self) -> pl.DataFrame:
        """All failing rows of all tables, one row each, kept whole as JSON."""
        parts = [
            frame.select(
                pl.lit(table).alias("table_name"),
                (pl.col("source_sha256") if "source_sha256" in frame.columns else pl.lit(None, pl.String)).alias("source_sha256"),
                pl.struct(pl.exclude("failed_checks")).struct.json_encode().alias("row"),
                "failed_checks",
            )
            for table, frame in self.invalid.items()
            if frame.height
        ]
        schema = {"table_name": pl.String, "source_sha256": pl.String, "row": pl.String, "failed_checks": pl.String}
        return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def discover(raw_dir: Path) -> list[Path]:
    """Report files under raw_dir (recursively), in a stable order."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw report folder not found: {raw_dir}")
    return sorted(
        p for p in raw_dir.rglob("*") if p.is_file() and p.name not in _IGNORED and not p.name.startswith(".")
    )


def parse_all(paths: list[Path]) -> ParseBatch:
    batch = ParseBatch()
    seen: dict[str, str] = {}
    for path in paths:
        digest: str | None = None
        try:
            digest = sha256_of(path.read_bytes())
            if digest in seen:
                raise UnreadableDocument(f"{path.name}: same content as {seen[digest]}")
            seen[digest] = path.name
            batch.reports.append(parse_file(path))
        except UnreadableDocument as exc:
            batch.rejected.append(Rejection(path.name, digest, str(exc)))
        except Exception as exc:  # a parser bug must not stop the other reports
            log.exception("parser failed on %s", path)
            batch.rejected.append(Rejection(path.name, digest, f"{path.name}: parser error: {type(exc).__name__}: {exc}"))
    return batch


def validate_tables(tables: TidyTables) -> ValidatedTables:
    """pandera on every table. A report whose own row fails is rejected whole, with the reason;
    failing rows of the other tables are kept aside (rejected_rows), never loaded silently."""
    reports = validate(ReportModel, tables.reports)
    rejected = tables.rejected
    if reports.invalid.height:
        extra = reports.invalid.select(
            "source_file", "source_sha256",
            pl.concat_str([pl.col("source_file"), pl.lit(": invalid report row: "), pl.col("failed_checks")]).alias("reason"),
        )
        rejected = pl.concat([rejected, extra])
    keep = reports.valid.get_column("source_sha256").implode()
    frames = {
        name: frame.filter(pl.col("source_sha256").is_in(keep)) if name not in ("reports", "rejected") else frame
        for name, frame in tables.frames().items()
    }
    frames["rejected"] = rejected
    results = {name: reports if name == "reports" else validate(MODELS[name], frame) for name, frame in frames.items()}
    valid = {name: r.valid for name, r in results.items()}
    return ValidatedTables(
        TidyTables(**valid),
        {name: r.invalid for name, r in results.items()},
        {name: r.failure_cases for name, r in results.items()},
    )


def tidy_batch(batch: ParseBatch) -> TidyTables:
    return tidy(batch.reports, batch.rejected)
