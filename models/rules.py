"""The consistency rules (勾稽关系) C1–C4 of shared/spec/README.md as linear equations over cells.

Each rule instance is Σ coefficient × cell = 0. The same equations serve twice: as constraints when
choosing how to read an ambiguous layout (pipelines.template.placement) and as checks on the final figures
(findings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from models.catalog import CellKey, cell_key, columns_for, rows_for
from models.vocab import FindingRule

APPLICANT_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
)
OUTCOME_COLUMNS = ("upheld", "corrected", "other_result", "pending")
# Section 3 rows that are results of handling (C3), in template order; other_handling stands for
# the three 2021 sub-rows where a report prints （六）其他处理 as one row.
_NOT_RESULTS = {"new_requests", "carried_over", "total_handled", "carried_forward"}


@dataclass(frozen=True)
class RuleInstance:
    rule: FindingRule  # C1 … C4
    scope: str  # the column or row the instance is about
    terms: tuple[tuple[CellKey, int], ...]

    @property
    def cells(self) -> list[CellKey]:
        return [c for c, _ in self.terms]

    @cached_property
    def cell_tuple(self) -> tuple[CellKey, ...]:
        """The instance's cells, made once (instances are shared by every report of a template)."""
        return tuple(c for c, _ in self.terms)

    @cached_property
    def coefficients(self) -> tuple[int, ...]:
        """The instance's coefficients, in the order of cell_tuple, made once."""
        return tuple(coef for _, coef in self.terms)

    def residual(self, values: Mapping[CellKey, float]) -> float:
        return sum(coef * values[c] for c, coef in self.terms)

    def describe(self, values: Mapping[CellKey, float]) -> tuple[float, float]:
        """(expected, printed) for the instance's first cell: the value the others imply, and
        the value printed."""
        first, coef = self.terms[0]
        others = sum(c * values[k] for k, c in self.terms[1:])
        return -others / coef, values[first]


def _s3(row: str, col: str) -> CellKey:
    return cell_key(3, "requests", row, col)


def _s4(row: str, col: str) -> CellKey:
    return cell_key(4, "review_litigation", row, col)


def rule_instances(template: str, section3_rows: Iterable[str]) -> list[RuleInstance]:
    """C1–C4 for a template, over the section-3 rows actually read (a collapsed （六）其他处理
    replaces its sub-rows)."""
    return list(_rule_instances(template, tuple(section3_rows)))


# Reports of one template read mostly the same rows: the instances (frozen) are built once per
# (template, rows) and shared.
@lru_cache(maxsize=1024)
def _rule_instances(template: str, present: tuple[str, ...]) -> tuple[RuleInstance, ...]:
    columns = [c.column_key for c in columns_for(template, "requests")]
    results = [r for r in present if r not in _NOT_RESULTS]
    out: list[RuleInstance] = []
    for col in columns:
        out.append(
            RuleInstance(
                FindingRule.C1,
                f"column {col}",
                (
                    (_s3("new_requests", col), 1),
                    (_s3("carried_over", col), 1),
                    (_s3("total_handled", col), -1),
                    (_s3("carried_forward", col), -1),
                ),
            )
        )
    for row in present:
        out.append(
            RuleInstance(
                FindingRule.C2,
                f"row {row}",
                ((_s3(row, "total"), 1), *((_s3(row, c), -1) for c in APPLICANT_COLUMNS)),
            )
        )
    for col in columns:
        out.append(
            RuleInstance(
                FindingRule.C3,
                f"column {col}",
                ((_s3("total_handled", col), 1), *((_s3(r, col), -1) for r in results)),
            )
        )
    for spec in rows_for(template, 4):
        out.append(
            RuleInstance(
                FindingRule.C4,
                f"row {spec.row_key}",
                ((_s4(spec.row_key, "total"), 1), *((_s4(spec.row_key, c), -1) for c in OUTCOME_COLUMNS)),
            )
        )
    return tuple(out)
