"""Rule checks on one parsed report's final figures: every failed rule becomes a finding.

C1–C4 (the template's arithmetic), C5 (no negative figure but 本年增/减) and C7 (figures the
narrative states against the tables) need only the report itself; C6 and year-over-year outliers
need the agency's other years (pipelines.checks.across_years). A failed rule is recorded and shown, never a
reason to drop a report or change its figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from models.catalog import CellKey, all_columns, all_rows
from models.vocab import CONSISTENCY_RULES, FindingRule, Severity, ValueStatus
from pipelines.template.report import ParsedReport, unreadable_why

RULES = CONSISTENCY_RULES  # C1 … C7, without the YOY, M1, A1, D1 and U1 warnings
# The rules as shared/spec/README.md states them.
RULE_TEXT: dict[FindingRule, str] = {
    FindingRule.C1: "section 3, every column: new_requests + carried_over = total_handled + carried_forward",
    FindingRule.C2: "section 3, every row: total = natural_person + commercial_enterprise + research_institution + social_welfare_org + legal_service_org + other_org",
    FindingRule.C3: "section 3, every column: total_handled = the sum of all result rows (granted … the 其他处理 rows)",
    FindingRule.C4: "section 4, every row: total = upheld + corrected + other_result + pending",
    FindingRule.C5: "no negative value except 本年增/减",
    FindingRule.C6: "across years, same agency: carried_over in year Y = carried_forward in year Y−1",
    FindingRule.C7: "figures stated in the narrative agree with the tables where both exist",
    FindingRule.YOY: "warning: a figure 10× the agency's usual figure (and 50 more) or a tenth of it",
    FindingRule.M1: "warning: the collector's manifest.csv and the report's text disagree on the agency or the year",
    FindingRule.A1: "warning: a report page and the attachment it announced print different figures (the marts use the attachment)",
    FindingRule.D1: "warning: two reports of one agency-year (not a page and its attachment) print different figures; reports.counted says which one the marts use",
    FindingRule.U1: "warning: a cell prints something that is not a figure the template allows (1e9, NaN, (5), 一百二十三, 12.5 as a count); its value is NULL",
}


@dataclass(frozen=True)
class Finding:
    rule: FindingRule  # C1 … C7, or YOY for a year-over-year outlier (M1 is derived at assembly)
    scope: str
    cells: str  # the cells involved, "row.column" joined by "+"
    expected: float | None
    printed: float | None
    severity: Severity  # ERROR for a broken rule, WARNING for an outlier
    message: str


@dataclass
class RuleResults:
    checked: Counter[str] = field(default_factory=Counter)  # rule → instances evaluated
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> Counter[str]:
        return Counter(f.rule for f in self.findings if f.severity == Severity.ERROR)


def cell_name(cell: CellKey) -> str:
    return f"{cell.row_key}.{cell.column_key}"


def check_report(report: ParsedReport) -> RuleResults:
    """C1–C5 and C7 on every instance whose cells were all read; U1 for every unreadable cell."""
    results = RuleResults()
    results.findings.extend(unreadable_findings(report))
    # The cells read as a number; a blank or missing cell leaves the rules on it unchecked.
    values = {k: v.value for k, v in report.cells.items() if v.value is not None}
    for rule in report.rules:
        if any(c not in values for c in rule.cells):
            continue
        results.checked[rule.rule] += 1
        known = {c: float(values[c]) for c in rule.cells}
        if abs(rule.residual(known)) > 1e-6:
            expected, printed = rule.describe(known)
            results.findings.append(
                Finding(
                    rule.rule,
                    rule.scope,
                    "+".join(cell_name(c) for c in rule.cells),
                    expected,
                    printed,
                    Severity.ERROR,
                    f"{rule.rule} fails for {rule.scope}: {cell_name(rule.cells[0])} is {printed:g}, the other cells give {expected:g}",
                )
            )
    for key, cell in report.cells.items():
        if cell.value is None or key.column_key == "change":
            continue
        results.checked[FindingRule.C5] += 1
        if cell.value < 0:
            results.findings.append(
                Finding(
                    FindingRule.C5,
                    f"cell {cell_name(key)}",
                    cell_name(key),
                    None,
                    cell.value,
                    Severity.ERROR,
                    f"C5: {cell_name(key)} is negative ({cell.value:g})",
                )
            )
    for stated in report.stated:
        if stated.cell is None or stated.cell not in values:
            continue
        results.checked[FindingRule.C7] += 1
        table = float(values[stated.cell])
        if abs(table - stated.value) > 1e-6:
            results.findings.append(
                Finding(
                    FindingRule.C7,
                    f"narrative {stated.topic}",
                    cell_name(stated.cell),
                    stated.value,
                    table,
                    Severity.ERROR,
                    f"C7: the narrative states {stated.value:g} ({stated.text}), the table prints {table:g}",
                )
            )
    return results


def unreadable_findings(report: ParsedReport) -> list[Finding]:
    """U1: one warning per cell that prints no figure the template allows, naming the file,
    section, row, column and the printed text."""
    labels = {(r.table_key, r.row_key): r.row_label for r in all_rows()}
    columns = {(c.table_key, c.column_key): c.column_label for c in all_columns()}
    out = []
    for key, cell in report.cells.items():
        if cell.status != ValueStatus.UNREADABLE:
            continue
        where = f"{labels.get((key.table_key, key.row_key), key.row_key)} × {columns.get((key.table_key, key.column_key), key.column_key)}"
        out.append(
            Finding(
                FindingRule.U1,
                f"cell {cell_name(key)}",
                cell_name(key),
                None,
                None,
                Severity.WARNING,
                f"{report.source_file}: section {key.section}, row {key.row_key}, column {key.column_key} ({where}) "
                f"prints {cell.raw_text!r}, not a figure the template allows ({unreadable_why(key, cell.raw_text or '')}); "
                "value NULL",
            )
        )
    return out
