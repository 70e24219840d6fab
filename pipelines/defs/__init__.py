"""Dagster definitions, one folder per domain (assets, checks and resources side by side)."""

# Every asset in one group: the lineage (collect → raw files → parse store → staging → marts →
# warehouse) opens whole in the UI instead of as collapsed group boxes. Jobs, not groups, select
# what runs together.
GROUP = "xxgk"
