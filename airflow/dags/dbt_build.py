"""dbt_build: build the warehouse with dbt (a Cosmos task group over dbt/) when new landing partitions exist.

Runs every 30 minutes and whenever the backfill DAG lands data; the first task skips the run when no
landing file is newer than the last successful build (trigger with {"force": true} to build anyway).
dbt runs from its own venv (.venv/dbt/bin/dbt). Tests run in data_quality, triggered by the warehouse asset.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param
from airflow.timetables.assets import AssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable
from cosmos import DbtTaskGroup

from phonepipe_airflow import builds
from phonepipe_airflow import dbt as pp_dbt
from phonepipe_airflow.common import LANDING_ASSET, START_DATE, TAGS, WAREHOUSE_ASSET, default_args

with DAG(
    dag_id="dbt_build",
    description="dbt build of the warehouse (Cosmos) when new landing partitions exist",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("*/30 * * * *", timezone="UTC"), assets=LANDING_ASSET
    ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    max_active_tasks=1,  # one writer per DuckDB file
    default_args=default_args(),
    params={"force": Param(False, type="boolean", description="build even if no landing file is new")},
    tags=[*TAGS, "dbt"],
    doc_md=__doc__,
) as dag:
    found = builds.new_landing_partitions()
    dbt = DbtTaskGroup(group_id="dbt", **pp_dbt.cosmos_configs(test_behavior="none"))
    done = builds.record_build.override(outlets=[WAREHOUSE_ASSET])(found)
    found >> dbt >> done
