"""Charts: `xxgk report`'s charts and HTML page, drawn from the warehouse's sql/charts/ queries.

May import: pipelines.warehouse (read-only connection, SQL files).
"""
