"""The build's steps as plain functions: Dagster assets and tests call these.

discover raw files → parse each (a bad file becomes a rejection, never an exception that stops
the others) → tidy frames → validate (failing rows split off) → write the warehouse.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from models.schemas import FactModel, ReportModel, validate
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
    invalid_facts: pl.DataFrame


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
    """pandera on every frame; a report whose own row fails is rejected whole, with the reason;
    fact rows that fail are kept aside in rejected_facts."""
    reports = validate(ReportModel, tables.reports)
    bad_reports = reports.invalid
    rejected = tables.rejected
    if bad_reports.height:
        extra = bad_reports.select(
            "source_file", "source_sha256", pl.concat_str([pl.col("source_file"), pl.lit(": invalid report row: "), pl.col("failed_checks")]).alias("reason")
        )
        rejected = pl.concat([rejected, extra])
    keep = reports.valid.get_column("source_sha256")
    facts = validate(FactModel, tables.facts.filter(pl.col("source_sha256").is_in(keep.implode())))
    return ValidatedTables(
        TidyTables(
            reports=reports.valid,
            facts=facts.valid,
            repairs=tables.repairs.filter(pl.col("source_sha256").is_in(keep.implode())),
            findings=tables.findings.filter(pl.col("source_sha256").is_in(keep.implode())),
            rejected=rejected,
        ),
        facts.invalid,
    )


def tidy_batch(batch: ParseBatch) -> TidyTables:
    return tidy(batch.reports, batch.rejected)
