"""Snapshot of the Dagster definitions: a renamed asset, check or job breaks this test, not an analyst."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.ingest.resources import LOCK_HELD_BY_RUN_TAG


def test_asset_keys_are_stable() -> None:
    keys = sorted(k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys())
    assert keys == [
        "collected_reports",
        "mart_agency_year",
        "mart_agency_year_change",
        "mart_requests_wide",
        *(f"parse_shard/{p}" for p in "0123456789abcdef"),
        "parse_store",
        "raw_files",
        "warehouse",
        "warehouse_staging",
    ]


def test_mart_assets_depend_on_what_their_sql_reads() -> None:
    graph = defs.resolve_asset_graph()

    def parents(name: str) -> list[str]:
        return sorted(k.to_user_string() for k in graph.get(dg.AssetKey(name)).parent_keys)

    assert parents("mart_requests_wide") == ["warehouse_staging"]
    assert parents("warehouse_staging") == ["parse_store", "raw_files"]
    assert parents("mart_agency_year") == ["mart_requests_wide", "warehouse_staging"]
    assert parents("mart_agency_year_change") == ["mart_agency_year", "warehouse_staging"]
    assert "mart_agency_year_change" in parents("warehouse")


def test_asset_checks_are_stable() -> None:
    checks = sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in defs.resolve_asset_graph().asset_check_keys)
    assert checks == [
        "collected_reports:every_url_fetched",
        "warehouse:all_files_read",
        "warehouse:attachment_agrees_with_page",
        "warehouse:fetch_log_match_schema",
        "warehouse:findings_match_schema",
        "warehouse:manifest_agrees_with_text",
        "warehouse:narrative_figures_match_schema",
        "warehouse:no_unreadable_cells",
        "warehouse:no_yoy_outliers",
        "warehouse:quality_match_schema",
        "warehouse:rejected_match_schema",
        "warehouse:removed_match_schema",
        "warehouse:repairs_match_schema",
        "warehouse:reports_of_one_agency_year_agree",
        "warehouse:rule_C1",
        "warehouse:rule_C2",
        "warehouse:rule_C3",
        "warehouse:rule_C4",
        "warehouse:rule_C5",
        "warehouse:rule_C6",
        "warehouse:rule_C7",
        "warehouse_staging:facts_match_schema",
        "warehouse_staging:reports_match_schema",
    ]


def test_jobs_are_stable() -> None:
    assert sorted(j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__")) == [
        "build_warehouse",
        "build_warehouse_distributed",
        "collect_reports",
    ]


def test_the_nightly_schedule_runs_the_build_at_two_in_china() -> None:
    schedule = defs.get_schedule_def("nightly_build")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 2 * * *",
        "Asia/Shanghai",
        "build_warehouse",
    )


def test_the_sensor_watches_the_raw_folder() -> None:
    assert defs.get_sensor_def("raw_folder_changed").job_name == "build_warehouse"


def test_the_nightly_collect_runs_at_one_in_china_before_the_build() -> None:
    schedule = defs.get_schedule_def("nightly_collect")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 1 * * *",
        "Asia/Shanghai",
        "collect_reports",
    )


def test_the_build_never_collects() -> None:
    build = defs.resolve_job_def("build_warehouse")
    assert dg.AssetKey("collected_reports") not in build.asset_layer.executable_asset_keys
    collect = defs.resolve_job_def("collect_reports")
    assert collect.asset_layer.executable_asset_keys == {dg.AssetKey("collected_reports")}


def test_the_local_build_parses_in_process_and_the_distributed_one_in_shards_on_celery() -> None:
    graph = defs.resolve_asset_graph()
    shards = {k for k in graph.get_all_asset_keys() if k.path[0] == "parse_shard"}
    assert graph.get(dg.AssetKey("parse_store")).parent_keys == {dg.AssetKey("raw_files"), *shards}
    local = defs.resolve_job_def("build_warehouse")
    assert not shards & local.asset_layer.executable_asset_keys
    assert local.executor_def.name != "celery"
    distributed = defs.resolve_job_def("build_warehouse_distributed")
    assert distributed.executor_def.name == "celery"
    assert distributed.tags[LOCK_HELD_BY_RUN_TAG] == "run"  # its orchestrating process holds the lock
    assert distributed.asset_layer.executable_asset_keys == local.asset_layer.executable_asset_keys | shards


def test_definitions_load() -> None:
    defs.validate_loadable(defs)
