"""Dagster definitions, one folder per domain (assets, checks and resources side by side)."""
