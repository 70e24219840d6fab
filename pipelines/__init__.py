"""xxgk-warehouse: open-government-information annual reports → DuckDB.

Data flows one way through the subpackages, and each imports only from those before it:

    formats   raw file → Document (text + rows of cells), one reader per file format
    template  Document → template cells: sections, labels, printed lines, placement, metadata
    checks    rules C1–C7 on a report, findings, checks across an agency's years
    tables    parsed reports → tidy polars frames; the parse store; derive; validate
    warehouse tables → DuckDB (load, marts, export, read-only query)
    charts    charts and an HTML page drawn from the warehouse
    ingest    the build's chain as plain functions (scan → parse → stage → publish)
    collect   reports fetched from the web into the raw folder (manifest.csv, the fetch log)
    defs      Dagster only: thin assets, checks, schedule, sensor, resources
    cli       the `xxgk` command
"""
