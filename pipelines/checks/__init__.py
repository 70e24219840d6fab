"""Checks: the consistency rules C1–C7 of shared/spec, as findings.

rules: each rule's arithmetic over template cells (used by placement too); findings: a parsed
report checked on its own (C1–C5, C7); across_years: C6 and year-over-year outliers, which need
an agency's other reports. May import: models, pipelines.template (the ParsedReport type).
"""
