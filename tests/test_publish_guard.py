"""load.publish never puts an empty database in place of the warehouse (review20, night19's publish)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse.load import publish, staging_path


def test_a_staging_file_gone_before_its_publish_is_refused_and_the_warehouse_kept(tmp_path: Path) -> None:
    """Opening a missing staging file to read its list would create an empty database there, which the
    rename then published over the warehouse (a publish run again after its rename, a staging file a
    lock's release removed, a caller without the facts list)."""
    warehouse = tmp_path / "xxgk.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE TABLE reports AS SELECT 1 AS x")
    con.close()
    with pytest.raises(FileNotFoundError, match="staging-gone0000"):
        publish(staging_path(warehouse, "gone0000"), warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT x FROM reports").fetchall() == [(1,)]
    finally:
        con.close()
    assert not staging_path(warehouse, "gone0000").exists()
