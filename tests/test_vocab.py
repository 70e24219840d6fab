"""The status-like vocabularies are declared once (models/vocab.py) and everything else follows."""

from __future__ import annotations

import json

import polars as pl
import pytest

from models import vocab
from models.schemas import WAREHOUSE_MODELS
from models.vocab import CONSISTENCY_RULES, FindingRule, Reading, Severity, Template, ValueStatus
from pipelines.checks.findings import RULE_TEXT, RULES


def _isin(table: str, column: str) -> list[object]:
    check = next(c for c in WAREHOUSE_MODELS[table].to_schema().columns[column].checks if c.name == "isin")
    return sorted(check.statistics["allowed_values"])


@pytest.mark.parametrize(
    ("table", "column", "members"),
    [
        ("facts", "value_status", ValueStatus),
        ("facts", "template", Template),
        ("reports", "template", Template),
        ("reports", "reading", Reading),
        ("quality", "reading", Reading),
        ("findings", "severity", Severity),
        ("findings", "rule", FindingRule),
    ],
)
def test_the_models_allow_exactly_the_vocabulary(table: str, column: str, members: type) -> None:
    assert _isin(table, column) == sorted(vocab.values(members))


def test_members_are_their_strings() -> None:
    # What lets pipelines/template and pipelines/formats keep writing literals for now.
    assert Severity.ERROR == "error"
    assert f"{Reading.AS_PRINTED}" == "as_printed"
    assert json.dumps({"rule": FindingRule.C6}) == '{"rule": "C6"}'
    frame = pl.DataFrame({"severity": ["error", "warning"]})
    assert frame.filter(pl.col("severity") == Severity.WARNING).height == 1
    assert pl.select(pl.lit(FindingRule.YOY)).dtypes == [pl.String]


def test_every_rule_has_its_text_and_the_consistency_rules_exclude_yoy() -> None:
    assert list(RULE_TEXT) == list(FindingRule)
    assert RULES == CONSISTENCY_RULES
    assert FindingRule.YOY not in RULES
    assert FindingRule.U1 not in RULES  # an unreadable cell is a warning, not a broken rule
    assert len(RULES) == 7
