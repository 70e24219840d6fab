"""The closed vocabularies of the warehouse's status-like columns, declared once.

Each is a `StrEnum`: a member *is* its string (`Severity.ERROR == "error"`, it formats, hashes,
JSON-encodes and goes into a polars String column as "error"), so code that still writes the
literal keeps working while new code names the member and a typo fails at import, not in a
filter that silently matches nothing. The pandera models take their `isin` lists from here.
"""

from __future__ import annotations

from enum import StrEnum


class ValueStatus(StrEnum):
    """How a fact cell was printed (facts.value_status)."""

    NUMBER = "number"  # a figure
    BLANK = "blank"  # left empty: 0 by the template's convention
    OTHER = "other"  # —, /, 无 and the like: 0
    MISSING = "missing"  # the cell was not found in the file: value is NULL
    # Printed, but not a figure the template allows (1e9, 一百二十三, NaN, (5), 12.5 as a count, a
    # count past models.catalog's limit): value NULL, never 0; raw_text keeps what was printed.
    UNREADABLE = "unreadable"


class Reading(StrEnum):
    """How far to trust a report's figures (reports.reading, quality.reading)."""

    AS_PRINTED = "as_printed"  # every figure where it was printed
    REPAIRED = "repaired"  # figures moved to where the template's arithmetic puts them
    AMBIGUOUS = "ambiguous"  # more than one placement fits the rules; one was chosen
    UNRESOLVED = "unresolved"  # no placement fits: figures kept as printed, failures in findings
    NO_FIGURES = "no_figures"  # the tables' labels are printed without one figure: every cell missing
    # Read where printed (or placed by the rules), but some cells print something that is not a
    # figure the template allows: those cells are NULL, named in problems and in U1 findings.
    UNREADABLE_CELLS = "unreadable_cells"


class Severity(StrEnum):
    """Of a finding (findings.severity)."""

    ERROR = "error"  # a consistency rule fails
    WARNING = "warning"  # a year-over-year outlier: worth a look, not a broken rule


class Template(StrEnum):
    """Version of the national report template (reports.template, facts.template)."""

    T2019 = "2019"  # the 2019 version of the template
    T2021 = "2021"  # the 2021 version (new rows and columns; see models/catalog/)


class FindingRule(StrEnum):
    """A finding's rule (findings.rule); the rule texts are pipelines.checks.findings.RULE_TEXT."""

    C1 = "C1"
    C2 = "C2"
    C3 = "C3"
    C4 = "C4"
    C5 = "C5"
    C6 = "C6"
    C7 = "C7"
    YOY = "YOY"  # year-over-year outlier (a warning, not a rule)
    M1 = "M1"  # the collector's manifest.csv and the report's text disagree (a warning, not a rule)
    A1 = "A1"  # a report page and the attachment it announced print different figures (a warning)
    D1 = "D1"  # two reports of one agency-year print different figures (a warning)
    U1 = "U1"  # a cell prints something that is not a figure the template allows (a warning)


# The consistency rules proper, without the warnings (YOY outliers, M1 manifest disagreements, A1
# page/attachment disagreements, D1 disagreeing reports of one agency-year, U1 unreadable cells).
CONSISTENCY_RULES: tuple[FindingRule, ...] = tuple(
    r for r in FindingRule if r not in (FindingRule.YOY, FindingRule.M1, FindingRule.A1, FindingRule.D1, FindingRule.U1)
)


class FetchKind(StrEnum):
    """What the collector fetched (fetch_log.kind)."""

    ROBOTS = "robots"  # a host's robots.txt
    LISTING = "listing"  # a page of an agency's list of reports
    REPORT = "report"  # a report page (saved into the raw folder)
    ATTACHMENT = "attachment"  # a file a report page announced (附件: PDF, DOCX), saved into the raw folder
    PICTURE = "picture"  # a picture in a report page's article (a table printed as an image), saved beside the page


class FetchOutcome(StrEnum):
    """How one request of the collector ended (fetch_log.outcome)."""

    SAVED = "saved"  # new or changed content, written into the raw folder (or read, for a listing)
    UNCHANGED = "unchanged"  # 200 with the same bytes as last time: nothing written
    NOT_MODIFIED = "not_modified"  # 304 to a conditional GET: nothing sent, nothing written
    DISALLOWED = "disallowed"  # robots.txt forbids it: not requested
    OVER_BUDGET = "over_budget"  # the run's request budget was spent: left for a later night
    WITHDRAWN = "withdrawn"  # a report fetched before answers 404/410: its file and data are kept
    FAILED = "failed"  # timeout, 4xx/5xx, TLS error, a login page or captcha, an undecodable page: retried later


def values(vocab: type[StrEnum]) -> list[str]:
    """The plain strings of a vocabulary, in declaration order (for pandera `isin`, SQL, JSON)."""
    return [member.value for member in vocab]
