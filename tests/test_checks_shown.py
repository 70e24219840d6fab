"""What the findings' checks show per rule (shown.checks_shown): the first reports by name and
the first findings by report, on a warehouse of generated findings whose answer is computed here."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse.shown import checks_shown
from pipelines.warehouse.sqlfiles import sql_file, statements


def _warehouse(path: Path, seed: int) -> list[tuple[str, str, str, str]]:
    """A warehouse with only reports and findings: random reports' names, random findings (a
    rule's findings reach some reports, several findings a report, ties of scope); returns the
    findings as (rule, source_file, scope, message)."""
    rng = random.Random(seed)
    con = duckdb.connect(str(path))
    for stmt in statements(sql_file("warehouse/schema.sql")):
        con.execute(stmt)
    names = rng.sample([f"r{k:03d}.txt" for k in range(200)], 60)
    findings = []
    for k, name in enumerate(names):
        sha = f"{k:064x}"
        con.execute(
            "INSERT INTO reports (source_sha256, source_file, template, template_evidence, layout, reading,"
            " cells_expected, cells_found, counted) VALUES (?, ?, '2021', '', 'text', 'text', 1, 1, true)",
            [sha, name],
        )
        for rule in ("C1", "C3", "D1"):
            for _ in range(rng.choice([0, 0, 1, 3])):
                scope, message = rng.choice(["a", "b"]), f"m{rng.randrange(5)}"
                con.execute(
                    "INSERT INTO findings VALUES (?, ?, ?, '', 1.0, 2.0, 'error', ?)", [sha, rule, scope, message]
                )
                findings.append((rule, name, scope, message))
    con.close()
    return findings


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(("reports", "sample"), [(1, 1), (5, 3), (50, 10), (1000, 1000), (0, 0)])
def test_each_rule_shows_its_first_reports_by_name_and_its_first_findings_by_report(
    tmp_path: Path, seed: int, reports: int, sample: int
) -> None:
    path = tmp_path / "xxgk.duckdb"
    findings = _warehouse(path, seed)

    shown = checks_shown(path, rejected=False, findings=True, reports=reports, sample=sample)

    rules = sorted({f[0] for f in findings})
    assert sorted(shown.by_rule) == rules
    for rule in rules:
        mine = sorted(f[1:] for f in findings if f[0] == rule)
        found = shown.by_rule[rule]
        assert found.findings == len(mine)
        assert found.reports == len({f[0] for f in mine})
        assert found.first_reports == sorted({f[0] for f in mine})[:reports]
        # Ties of (report, scope, message) are the same row shown: compare the sorted keys.
        assert found.sample.select("source_file", "scope", "message").rows() == mine[:sample]
