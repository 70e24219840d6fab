"""Derive: what needs all reports at once, added to the reports' own frames.

C6 (carry-over across an agency's years), year-over-year outliers, M1 (the collector's
manifest.csv against the text), A1 (a report page against the attachment it announced), which
report of an agency-year the marts count and D1 (the others that print other figures), the
per-report quality summary, the agency dimension and the collector's fetch log. One step
of the build's chain: assemble → **derive** → validate → load.

Across years a report counts under its agency-year as the marts do: the collector's given
agency and year where manifest.csv gives them, the text's otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import polars as pl

from models.catalog import cells_for
from models.vocab import FindingRule, Severity, Template, ValueStatus, values
from pipelines.checks.across_years import carry_over, outliers, read_across_years
from pipelines.tables.frames import (
    CHOICE_SCHEMA,
    FACT_SCHEMA,
    FETCH_LOG_SCHEMA,
    FINDING_SCHEMA,
    QUALITY_SCHEMA,
    REMOVED_SCHEMA,
    Rejection,
    ReportFrames,
    TidyTables,
    rejected_frame,
    report_frames,
)
from pipelines.template.divisions import resolve_agencies
from pipelines.template.report import ParsedReport

# A reader of the facts of some reports (a frame of their `reports` rows): all their rows, or at
# least source_sha256, section, table_key, row_key, column_key, value and value_status.
FactsOf = Callable[[pl.DataFrame], pl.DataFrame]
# Reports compared at a time by D1 (duplicate_findings): bounds the cells it holds side by side.
D1_REPORTS = 5_000


def derive(
    parts: ReportFrames,
    rejected: pl.DataFrame,
    removed: pl.DataFrame | None = None,
    fetch_log: pl.DataFrame | None = None,
    cells: pl.DataFrame | None = None,
    facts_of: FactsOf | None = None,
) -> TidyTables:
    """The warehouse's tables from the reports' own frames, the rejected files, the files
    removed since an earlier build and the collector's fetch log. `cells`: the facts counted per
    report (cell_counts), and `facts_of`: a reader of some reports' facts (for D1), when
    `parts.facts` holds only the rows derive reads (read_by_derive); the tables' facts are then
    that part only. A full build derives its reports a group at a time (derive_groups)."""
    findings, quality = findings_and_quality(
        parts, attachment_findings(parts.reports, parts.facts), cells, parts.facts if facts_of is None else facts_of
    )
    return replace(
        report_tables(parts, rejected, removed, fetch_log), facts=parts.facts, findings=findings, quality=quality
    )


def report_tables(
    parts: ReportFrames,
    rejected: pl.DataFrame,
    removed: pl.DataFrame | None = None,
    fetch_log: pl.DataFrame | None = None,
) -> TidyTables:
    """The tables derive gives but the findings and the quality rows (left empty), and no facts:
    the reports' own, the agency dimension over all their names, the removal and fetch logs."""
    agencies = pl.concat([parts.reports.get_column("agency"), parts.reports.get_column("given_agency")])
    return TidyTables(
        reports=parts.reports,
        facts=report_frames([]).facts,
        repairs=parts.repairs,
        findings=pl.DataFrame(schema=FINDING_SCHEMA),
        rejected=rejected,
        narrative_figures=parts.narrative_figures,
        quality=pl.DataFrame(schema=QUALITY_SCHEMA),
        removed=removed if removed is not None else pl.DataFrame(schema=REMOVED_SCHEMA),
        dim_agency=resolve_agencies(agencies.drop_nulls().unique().sort().to_list()),
        fetch_log=pl.DataFrame(schema=FETCH_LOG_SCHEMA)
        if fetch_log is None
        else fetch_log.select(list(FETCH_LOG_SCHEMA)).cast(FETCH_LOG_SCHEMA),
    )


def findings_and_quality(
    parts: ReportFrames,
    links: pl.DataFrame,
    cells: pl.DataFrame | None,
    facts: pl.DataFrame | FactsOf,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The findings of these reports and their quality rows: their own (from the parse store),
    C6, YOY, M1, `links` (their A1 findings, found across pages and attachments) and D1. Every
    report of an agency as counted must be among them (C6, YOY and D1 look across its years and
    reports); `facts`: D1's (every fact of those reports, or a reader of them)."""
    across = with_agency_year(parts.facts, parts.reports)
    c6_findings, c6_checked = carry_over(across)
    findings = pl.concat(
        [
            parts.findings,
            c6_findings.cast(FINDING_SCHEMA),
            outliers(across).cast(FINDING_SCHEMA),
            manifest_findings(parts.reports),
            links.cast(FINDING_SCHEMA),
            duplicate_findings(parts.reports, facts),
        ]
    )
    return findings, quality_frame(parts, findings, c6_checked, cells)


# Reports derived at a time in a full build (derive_groups): whole agencies, about this many or
# fewer, so the rows derive reads and the findings it makes are held a group at a time, whatever
# the corpus.
GROUP_REPORTS = 10_000


def derive_groups(reports: pl.DataFrame, agency_hash: Callable[[str | None], int]) -> pl.DataFrame:
    """(source_sha256, group): the reports in groups of whole agencies as counted (an agency's
    every year and report in one group, as C6, YOY and D1 need), at most about GROUP_REPORTS a
    group: a power of two of groups, an agency's group its `agency_hash` modulo their number.
    With the facts files' buckets (facts_store.agency_hash modulo a power of two) a group's
    reports are those of a few buckets, so D1 reads few files a group."""
    groups = 1
    while groups * GROUP_REPORTS < reports.height:
        groups *= 2
    counted = reports.select(pl.coalesce("given_agency", "agency").alias("agency"), "source_sha256")
    agencies = counted.get_column("agency").unique().to_list()
    of = pl.DataFrame(
        {"agency": agencies, "group": [agency_hash(a) % groups for a in agencies]},
        schema={"agency": pl.String, "group": pl.Int32},
    )
    return counted.join(of, on="agency", how="left", nulls_equal=True).select("source_sha256", "group")


def derive_in_groups(
    parts: ReportFrames,
    groups: pl.DataFrame,
    links: pl.DataFrame,
    kept_of: Callable[[int], pl.DataFrame],
    cells: pl.DataFrame,
    facts_of: FactsOf,
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """findings_and_quality a group at a time (derive_groups): the findings and quality rows of
    each group's reports, the rows derive reads of them from `kept_of(group)`, their A1 findings
    from `links` (found across all reports). Together, the rows of derive over all at once."""
    own = {name: frame for name, frame in parts.frames().items() if name != "facts"}
    keyed = {**own, "links": links, "cells": cells}
    empty = {name: frame.head(0) for name, frame in keyed.items()}
    # Split once (each frame's rows of a group, popped when the group is derived): a filter per
    # group would read every frame whole once per group.
    split = {
        name: frame.join(groups, on="source_sha256", how="left")
        .with_columns(pl.col("group").fill_null(0))
        .partition_by("group", as_dict=True, include_key=False)
        for name, frame in keyed.items()
    }
    del own, keyed
    for group in groups.get_column("group").unique().sort().to_list():

        def of(name: str, group: int = group) -> pl.DataFrame:
            return split[name].pop((group,), empty[name])

        frames = ReportFrames(
            reports=of("reports"),
            facts=kept_of(group),
            repairs=of("repairs"),
            narrative_figures=of("narrative_figures"),
            findings=of("findings"),
            rule_checks=of("rule_checks"),
        )
        yield findings_and_quality(frames, of("links"), of("cells"), facts_of)


def with_agency_year(facts: pl.DataFrame, reports: pl.DataFrame) -> pl.DataFrame:
    """The facts with agency and year as the marts count them (the collector's, from manifest.csv,
    where given; the text's otherwise) and `counted` (whether the marts count the report). Only for
    checks across years; `facts` keeps the text's."""
    counted = reports.select("source_sha256", "given_agency", "given_year", "counted")
    return (
        facts.join(counted, on="source_sha256", how="left")
        .with_columns(
            pl.coalesce("given_agency", "agency").alias("agency"),
            pl.coalesce("given_year", "year").alias("year"),
            pl.col("counted").fill_null(False),
        )
        .select(*facts.columns, "counted")
    )


def manifest_findings(reports: pl.DataFrame) -> pl.DataFrame:
    """M1: where the collector's manifest.csv gives an agency or a year and the report's text
    reads another, one warning each, naming the file and both values. Where the text found none,
    the given one fills in: not a disagreement."""
    rows = []
    for r in reports.iter_rows(named=True):
        given, read = r["given_agency"], r["agency"]
        if given is not None and read is not None and given != read:
            rows.append(
                {
                    "source_sha256": r["source_sha256"],
                    "rule": FindingRule.M1,
                    "scope": "agency",
                    "cells": "",
                    "expected": None,
                    "printed": None,
                    "severity": Severity.WARNING,
                    "message": f"{r['source_file']}: manifest.csv gives the agency {given}, the report's text reads "
                    f"{read}; the marts use {given}",
                }
            )
        given_year, read_year = r["given_year"], r["year"]
        if given_year is not None and read_year is not None and given_year != read_year:
            rows.append(
                {
                    "source_sha256": r["source_sha256"],
                    "rule": FindingRule.M1,
                    "scope": "year",
                    "cells": "",
                    "expected": float(given_year),
                    "printed": float(read_year),
                    "severity": Severity.WARNING,
                    "message": f"{r['source_file']}: manifest.csv gives the year {given_year}, the report's text "
                    f"reads {read_year}; the marts use {given_year}",
                }
            )
    return pl.DataFrame(rows, schema=FINDING_SCHEMA)


def _figure(column: str) -> pl.Expr:
    """A figure as printed: 12, not 12.0; an unreadable cell (NULL) says so."""
    value = pl.col(column)
    return (
        pl.when(value.is_null())
        .then(pl.lit("unreadable"))
        .when(value == value.round())
        .then(value.cast(pl.Int64).cast(pl.String))
        .otherwise(value.cast(pl.String))
    )


def attachment_findings(reports: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """A1: where a report page and the attachment it announced (reports.announced_by) both print
    a cell and print different figures, one warning per cell, on the page (the marts use the
    attachment), naming both files and both figures."""
    links = reports.filter(pl.col("announced_by").is_not_null()).select(
        pl.col("source_sha256").alias("attachment"), pl.col("source_file").alias("attachment_file"), "announced_by"
    )
    if links.height == 0:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    printed = facts.filter(pl.col("value_status") != ValueStatus.MISSING).select(
        "source_sha256", "source_file", "table_key", "row_key", "column_key", "value"
    )
    pairs = (
        links.join(printed.rename({"source_sha256": "attachment"}).drop("source_file"), on="attachment")
        .join(
            printed.rename({"source_sha256": "announced_by", "value": "page_value"}),
            on=["announced_by", "table_key", "row_key", "column_key"],
        )
        .filter(pl.col("value") != pl.col("page_value"))
        .sort("announced_by", "attachment", "table_key", "row_key", "column_key")
    )
    cell = pl.format("{}.{}", "row_key", "column_key")
    return pairs.select(
        pl.col("announced_by").alias("source_sha256"),
        pl.lit(FindingRule.A1.value).alias("rule"),
        pl.format("cell {} against the attachment {}", cell, "attachment_file").alias("scope"),
        cell.alias("cells"),
        pl.col("value").alias("expected"),
        pl.col("page_value").alias("printed"),
        pl.lit(Severity.WARNING.value).alias("severity"),
        pl.format(
            "{}: the page prints {} in {}, its attachment {} prints {}; the marts use the attachment",
            "source_file",
            _figure("page_value"),
            cell,
            "attachment_file",
            _figure("value"),
        ).alias("message"),
    ).cast(FINDING_SCHEMA)


# Every template cell's printed position (both versions; a key both have keeps the 2021 one).
_PRINTED_ORDER = pl.DataFrame(
    [
        {"table_key": c.table_key, "row_key": c.row_key, "column_key": c.column_key, "order": i}
        for template in values(Template)[::-1]
        for i, c in enumerate(cells_for(template))
    ],
    schema={"table_key": pl.String, "row_key": pl.String, "column_key": pl.String, "order": pl.Int32},
).unique(["table_key", "row_key", "column_key"], keep="first", maintain_order=True)


def counted_under() -> list[pl.Expr]:
    """The agency and year a report counts under: the collector's where given, the text's else."""
    return [
        pl.coalesce("given_agency", "agency").alias("counted_agency"),
        pl.coalesce("given_year", "year").alias("counted_year"),
    ]


def choose_counted(reports: pl.DataFrame, choices: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The reports with `counted` set: of the reports of one agency-year, the one the marts count.
    In this order: the one report_choice.csv names (by file or sha256) for that agency-year; an
    attachment over the page that announced it (the published table, where it carries figures);
    the report with most cells read; the lowest source_sha256 (stable from build to build). A
    report without agency or year is not counted. Returns a message for each choice that names
    no report of its agency-year (that choice is not used)."""
    keyed = reports.with_columns(*counted_under())
    matches = (
        choices.join(keyed, left_on=["agency", "year"], right_on=["counted_agency", "counted_year"], how="left")
        .filter((pl.col("report") == pl.col("source_file")) | (pl.col("report") == pl.col("source_sha256")))
        .select("row", "source_sha256")
    )
    problems = [
        f"report_choice.csv row {row}: no report {report} counts under {agency} {year}; row not used"
        for agency, year, report, row in choices.filter(~pl.col("row").is_in(matches.get_column("row").implode()))
        .select("agency", "year", "report", "row")
        .iter_rows()
    ]
    with_figures = (
        reports.filter(pl.col("announced_by").is_not_null() & (pl.col("cells_found") > 0))
        .get_column("announced_by")
        .unique()
        .implode()
    )
    group = ["counted_agency", "counted_year"]
    ranked = keyed.with_columns(
        (~pl.col("source_sha256").is_in(matches.get_column("source_sha256").implode())).alias("_not_chosen"),
        pl.col("source_sha256").is_in(with_figures).alias("_superseded"),
        (-pl.col("cells_found")).alias("_fewer_cells"),
    ).with_columns(
        pl.struct("_not_chosen", "_superseded", "_fewer_cells", "source_sha256")
        .rank("ordinal")
        .over(group)
        .alias("_rank")
    )
    counted = (pl.col("_rank") == 1) & pl.col("counted_agency").is_not_null() & pl.col("counted_year").is_not_null()
    return ranked.with_columns(counted.alias("counted")).select(reports.columns), problems


def several_reports(reports: pl.DataFrame) -> int:
    """How many agency-years have more than one report."""
    keyed = reports.select(*counted_under()).drop_nulls()
    return keyed.group_by("counted_agency", "counted_year").len().filter(pl.col("len") > 1).height


def duplicate_findings(reports: pl.DataFrame, facts: pl.DataFrame | FactsOf) -> pl.DataFrame:
    """D1: where an agency-year has several reports, one warning on each report the marts do not
    count that prints a figure other than the counted report's, naming both files and every
    differing cell. A page and the attachment it announced are left to A1. `facts`: every fact of
    those reports, or a reader of them (FactsOf). Compared D1_REPORTS reports at a time: a pair's
    cells side by side are a row per printed cell, every fact again where most agency-years have
    several reports (13 GiB at 100,000 generated reports, compared at once)."""
    keyed = reports.with_columns(*counted_under()).filter(
        pl.col("counted_agency").is_not_null() & pl.col("counted_year").is_not_null()
    )
    counted = keyed.filter(pl.col("counted")).select(
        "counted_agency",
        "counted_year",
        pl.col("source_sha256").alias("counted_sha256"),
        pl.col("source_file").alias("counted_file"),
        pl.col("announced_by").alias("counted_announced_by"),
    )
    pairs = (
        keyed.filter(~pl.col("counted"))
        .join(counted, on=["counted_agency", "counted_year"])
        .filter(
            (pl.col("announced_by").fill_null("") != pl.col("counted_sha256"))
            & (pl.col("counted_announced_by").fill_null("") != pl.col("source_sha256"))
        )
        .select("source_sha256", "source_file", "counted_agency", "counted_year", "counted_sha256", "counted_file")
    )
    if pairs.height == 0:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    # A part's reports of one or two years: the facts' files are per year (a reader reads few).
    shas = (
        pairs.select("source_sha256", "counted_year")
        .unique("source_sha256")
        .sort("counted_year", "source_sha256", nulls_last=True)
        .get_column("source_sha256")
    )
    out = []
    for k in range(0, shas.len(), D1_REPORTS):
        chunk = pairs.filter(pl.col("source_sha256").is_in(shas.slice(k, D1_REPORTS).implode()))
        wanted = pl.concat([chunk.get_column("source_sha256"), chunk.get_column("counted_sha256")]).unique().implode()
        if callable(facts):
            rows = facts(reports.filter(pl.col("source_sha256").is_in(wanted)))
        else:
            rows = facts.filter(pl.col("source_sha256").is_in(wanted))
        out.append(_differing_cells(chunk, rows))
    # Each part is in the order of its reports' hashes: so is the whole (a report is in one part).
    return pl.concat(out).sort("source_sha256", maintain_order=True)


def _differing_cells(pairs: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """duplicate_findings of these pairs (report, counted report), given both's facts."""
    printed = facts.filter(pl.col("value_status") != ValueStatus.MISSING).select(
        "source_sha256", "section", "table_key", "row_key", "column_key", "value"
    )
    cells = (
        pairs.join(printed, on="source_sha256")
        .join(
            printed.drop("section").rename({"source_sha256": "counted_sha256", "value": "counted_value"}),
            on=["counted_sha256", "table_key", "row_key", "column_key"],
        )
        # An unreadable cell (NULL) against a figure is a difference too: the other report may
        # be the one to count (report_choice.csv).
        .filter(pl.col("value").ne_missing(pl.col("counted_value")))
        # Shown first: the requests (section 3), what analysts count most; each row's total before
        # its applicant columns; rows in the template's printed order.
        .join(_PRINTED_ORDER, on=["table_key", "row_key", "column_key"], how="left")
        .sort(
            "source_sha256", pl.col("section") != 3, pl.col("column_key") != "total", "order", "row_key", "column_key"
        )
        .with_columns(
            pl.format("{}.{}", "row_key", "column_key").alias("cell"),
            pl.format("{}.{} {} against {}", "row_key", "column_key", _figure("value"), _figure("counted_value")).alias(
                "shown"
            ),
        )
    )
    shown = 5
    per_report = cells.group_by(
        "source_sha256", "source_file", "counted_agency", "counted_year", "counted_file", maintain_order=True
    ).agg(
        pl.col("cell").str.join("+").alias("cells"),
        pl.len().alias("n"),
        pl.col("shown").head(shown).str.join(", ").alias("shown"),
        pl.col("counted_value").first().alias("expected"),
        pl.col("value").first().alias("printed"),
    )
    one = pl.col("n") == 1
    more = pl.when(pl.col("n") > shown).then(pl.format(", and {} more", pl.col("n") - shown)).otherwise(pl.lit(""))
    return per_report.select(
        "source_sha256",
        pl.lit(FindingRule.D1.value).alias("rule"),
        pl.format("report against {}", "counted_file").alias("scope"),
        "cells",
        pl.when(one).then(pl.col("expected")).alias("expected"),
        pl.when(one).then(pl.col("printed")).alias("printed"),
        pl.lit(Severity.WARNING.value).alias("severity"),
        pl.format(
            "{}: {} {} has another report, {}, and the two differ in {} cells ({}{}; this report's figure first); "
            "the marts count {} (reports.counted; choose another in report_choice.csv)",
            "source_file",
            "counted_agency",
            "counted_year",
            "counted_file",
            "n",
            "shown",
            more,
            "counted_file",
        ).alias("message"),
    ).cast(FINDING_SCHEMA)


def derive_reports(reports: list[ParsedReport], rejected: list[Rejection] | None = None) -> TidyTables:
    """The same tables for reports parsed in memory (`xxgk check FILE`, tests of the rules)."""
    frames = report_frames(reports)
    chosen, _ = choose_counted(frames.reports, pl.DataFrame(schema=CHOICE_SCHEMA))
    return derive(replace(frames, reports=chosen), rejected_frame(rejected or []))


def read_by_derive(reports: pl.DataFrame) -> pl.Expr:
    """The facts rows derive reads, of these reports (`counted` set): the rows the checks across
    years compare (C6, YOY), and every row of a page or attachment (A1). A few percent of the
    facts. The rows D1 compares (agency-years with several reports: most of the facts, in a
    corpus where most agency-years have several) it reads a part at a time (derive's facts_of)."""
    linked = reports.filter(pl.col("announced_by").is_not_null())
    whole = pl.concat([linked.get_column("source_sha256"), linked.get_column("announced_by")]).unique()
    return read_across_years() | pl.col("source_sha256").is_in(whole.implode())


def cell_counts(facts: pl.DataFrame) -> pl.DataFrame:
    """Per report: cells expected, found (not missing) and unreadable. Sums of per-row flags, so
    the counts of batches of the facts add up (combine_cell_counts)."""
    return facts.group_by("source_sha256").agg(
        pl.len().alias("cells_expected"),
        (pl.col("value_status") != ValueStatus.MISSING).sum().alias("cells_found"),
        (pl.col("value_status") == ValueStatus.UNREADABLE).sum().alias("cells_unreadable"),
    )


def combine_cell_counts(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """cell_counts of the facts in several batches (a report's rows may be in two)."""
    if not parts:
        return cell_counts(pl.DataFrame(schema=FACT_SCHEMA))
    return pl.concat(parts).group_by("source_sha256").agg(pl.all().sum())


def quality_frame(
    parts: ReportFrames, findings: pl.DataFrame, c6_checked: pl.DataFrame, cells: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per report: cells found of expected, rule checks made and failed, warnings, repairs
    (`cells`: cell_counts of all its facts, when parts.facts is not all of them)."""
    if cells is None:
        cells = cell_counts(parts.facts)
    per_report = findings.group_by("source_sha256").agg(
        (pl.col("severity") == Severity.ERROR).sum().alias("rule_failures"),
        (pl.col("severity") == Severity.WARNING).sum().alias("warnings"),
        pl.col("rule").filter(pl.col("severity") == Severity.ERROR).unique().sort().str.join(",").alias("failed_rules"),
    )
    repairs = parts.repairs.group_by("source_sha256").agg(pl.len().alias("repairs"))
    quality = (
        parts.reports.select(
            "source_sha256",
            "source_file",
            "agency",
            "year",
            "reading",
            pl.when(pl.col("problems").is_null())
            .then(0)
            .otherwise(pl.col("problems").str.split("; ").list.len())
            .alias("problems"),
        )
        .join(cells, on="source_sha256", how="left")
        .join(parts.rule_checks, on="source_sha256", how="left")
        .join(c6_checked, on="source_sha256", how="left")
        .join(per_report, on="source_sha256", how="left")
        .join(repairs, on="source_sha256", how="left")
        .with_columns(
            pl.col("cells_expected").fill_null(0),
            pl.col("cells_found").fill_null(0),
            pl.col("cells_unreadable").fill_null(0),
            (pl.col("checks").fill_null(0) + pl.col(FindingRule.C6).fill_null(0)).alias("rule_checks"),
            pl.col("rule_failures").fill_null(0),
            pl.col("warnings").fill_null(0),
            pl.when(pl.col("failed_rules") == "").then(None).otherwise(pl.col("failed_rules")).alias("failed_rules"),
            pl.col("repairs").fill_null(0),
        )
        .with_columns((pl.col("cells_expected") - pl.col("cells_found")).alias("cells_missing"))
    )
    return quality.select(list(QUALITY_SCHEMA)).cast(QUALITY_SCHEMA)
