"""The nightly collect: at 01:00 China time, an hour before the nightly build reads the raw folder;
and a sensor that, when turned on, starts the build as soon as a collect run succeeds."""

import dagster as dg

from pipelines.defs.ingest.automation import build_job

collect_job = dg.define_asset_job(
    "collect_reports",
    selection=dg.AssetSelection.assets("collected_reports"),
    description="Visit the sources list and fetch new or changed reports into the raw folder.",
)

nightly_collect = dg.ScheduleDefinition(
    name="nightly_collect",
    job=collect_job,
    cron_schedule="0 1 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 01:00 China time (the build follows at 02:00).",
)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[collect_job],
    request_job=build_job,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a build as soon as a collect run succeeds (off: the 02:00 build picks the files up).",
)
def build_after_collect(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    return dg.RunRequest(run_key=context.dagster_run.run_id)
