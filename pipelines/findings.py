"""Rule checks on a parsed report's final figures: every failed rule becomes a finding.

A failed rule is recorded and shown, never a reason to drop a report or change its figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.parse import ParsedReport


@dataclass(frozen=True)
class Finding:
    rule: str
    scope: str
    cells: str  # the cells involved, "row.column" joined by "+"
    expected: float | None
    printed: float | None
    severity: str  # "error" for a broken rule, "warning" for doubts
    message: str


def _name(cell) -> str:
    return f"{cell.row_key}.{cell.column_key}"


def check_report(report: ParsedReport) -> list[Finding]:
    """C1–C4 on every rule instance whose cells were all read, C5 on every cell, and the
    narrative's stated figures against the tables (the part of C7 the narrative gives)."""
    out: list[Finding] = []
    values = {k: v.value for k, v in report.cells.items()}
    for rule in report.rules:
        if any(values.get(c) is None for c in rule.cells):
            continue
        known = {c: float(values[c]) for c in rule.cells}  # type: ignore[arg-type]
        if abs(rule.residual(known)) > 1e-6:
            expected, printed = rule.describe(known)
            out.append(
                Finding(rule.rule, rule.scope, "+".join(_name(c) for c in rule.cells), expected, printed, "error",
                        f"{rule.rule} fails for {rule.scope}: {_name(rule.cells[0])} is {printed:g}, the other cells give {expected:g}")
            )
    for key, cell in report.cells.items():
        if cell.value is not None and cell.value < 0 and key.column_key != "change":
            out.append(Finding("C5", f"cell {_name(key)}", _name(key), None, cell.value, "error",
                               f"C5: {_name(key)} is negative ({cell.value:g})"))
    for stated in report.stated:
        table = values.get(stated.cell)
        if table is not None and abs(table - stated.value) > 1e-6:
            out.append(Finding("C7", f"narrative {stated.cell.row_key}", _name(stated.cell), stated.value, table, "error",
                               f"C7: the narrative states {stated.value:g} ({stated.text}), the table prints {table:g}"))
    return out
