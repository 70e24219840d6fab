"""Tables: parsed reports → the warehouse's tidy polars frames, and the steps that shape them.

frames: each table's frame and its schema; parse_store: every report parsed once, kept by content
hash; derive: what needs all reports (C6, outliers, quality, dim_agency); validate: pandera,
failing rows kept aside. May import: models, pipelines.formats/template/checks.
"""
