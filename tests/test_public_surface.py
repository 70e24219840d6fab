"""Snapshot of the public surface: what Dagster users and warehouse analysts can name.

Every asset key (with its group and parents), asset check, job, schedule and sensor, and every
warehouse table and view with its columns (name, DuckDB type, nullability, in the order a
`SELECT *` returns them), compared with tests/snapshots/public_surface.json. A refactor must leave
that surface alone; a deliberate change regenerates the file and shows up in review as its diff:

    XXGK_UPDATE_SNAPSHOT=1 ./run-tests tests/test_public_surface.py
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import duckdb
import pytest

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "public_surface.json"
UPDATE_ENV = "XXGK_UPDATE_SNAPSHOT"


def dagster_surface() -> dict[str, object]:
    """Asset keys, checks, jobs, schedules and sensors of `pipelines.definitions.defs`."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    assets = {
        key.to_user_string(): {
            "group": graph.get(key).group_name,
            "parents": sorted(p.to_user_string() for p in graph.get(key).parent_keys),
        }
        for key in graph.get_all_asset_keys()
    }
    return {
        "assets": dict(sorted(assets.items())),
        "asset_checks": sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys),
        # Dagster's implicit __ASSET_JOB is not ours to keep stable.
        "jobs": sorted(j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__")),
        "schedules": {
            s.name: {
                "cron": s.cron_schedule,
                "timezone": s.execution_timezone,
                "job": s.job_name,
                "default_status": s.default_status.value,
            }
            for s in sorted(defs.schedules or [], key=lambda s: s.name)
        },
        "sensors": {
            s.name: {
                "job": s.job_name,
                "minimum_interval_seconds": s.minimum_interval_seconds,
                "default_status": s.default_status.value,
            }
            for s in sorted(defs.sensors or [], key=lambda s: s.name)
        },
    }


def warehouse_surface(path: Path) -> dict[str, object]:
    """Every table and view of a built warehouse, its columns in ordinal order (the order an
    analyst's `SELECT *` and the Parquet export show)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        kinds = dict(
            con.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        )
        columns: dict[str, list[dict[str, object]]] = {}
        for table, column, dtype, nullable in con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append({"name": column, "type": dtype, "nullable": nullable == "YES"})
    finally:
        con.close()
    return {name: {"kind": kinds[name], "columns": columns.get(name, [])} for name in sorted(kinds)}


def _render(surface: dict[str, object]) -> str:
    return json.dumps(surface, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_the_public_surface_matches_the_snapshot(warehouse: Path) -> None:
    current = _render({"dagster": dagster_surface(), "warehouse": warehouse_surface(warehouse)})
    if os.environ.get(UPDATE_ENV) == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(current, encoding="utf-8")
        pytest.skip(f"{SNAPSHOT.name} rewritten; review its diff before committing")
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.is_file() else ""
    if current != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile="tests/snapshots/public_surface.json (committed)",
                tofile="current code",
            )
        )
        pytest.fail(
            "The public surface (Dagster assets/checks/jobs/schedules/sensors or warehouse "
            "tables/columns) changed:\n\n"
            + diff
            + f"\nIf the change is deliberate, regenerate the snapshot and commit it with the change:\n"
            f"    {UPDATE_ENV}=1 ./run-tests tests/test_public_surface.py\n",
            pytrace=False,
        )
