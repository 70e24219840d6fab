"""Ingest: the build as plain functions, in the order they run.

paths: the default project, raw folder and warehouse (no imports, for the CLI); fingerprint: what
the last publish was built from, and the cheap check that nothing changed (no Dagster); raw_survey:
which entries of the raw folder are read, refused or ignored, with their stat (standard library only,
for the cheap check); raw_folder: their hashes, a fingerprint for the sensor; parse_pool: new files parsed in
parallel processes into the parse store; incremental: what a change reaches; stage: assemble →
derive → validate → load → marts → publish (whole, or only the changed reports' rows in a copy of
the published file), and `build_warehouse` that runs the whole chain. Dagster assets (pipelines.defs)
call these same functions. May import everything except defs and cli.
"""
