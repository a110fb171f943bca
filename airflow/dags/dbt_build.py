"""dbt_build: build the warehouse with one Cosmos `dbt build` task when new landing partitions exist.

Runs every 30 minutes and whenever the backfill DAG lands data; the first task skips the run when no
landing file is newer than the last successful build (trigger with {"force": true} to build anyway) and picks
the dbt selector from the topics that received data (dbt/selectors.yml: listings_arrivals when only listings
landed, else arrivals). The dbt task runs `dbt build --selector <it>` from dbt's own venv (.venv/dbt/bin/dbt):
the models and snapshot reading the new data, everything downstream, and their data tests on the new landing
partitions' rows (dbt/macros/test_scope.sql: their cost follows the new rows, not the table); with
PHONEPIPE_DBT_SERVICE_URL set, the same command runs on that warm dbt service (make dbt-service).
data_quality, triggered by the warehouse asset, then runs the GX checkpoint and every dbt data and unit test.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param
from airflow.timetables.assets import AssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable

from phonepipe_airflow import builds
from phonepipe_airflow import dbt as pp_dbt
from phonepipe_airflow.common import LANDING_ASSET, START_DATE, TAGS, WAREHOUSE_ASSET, default_args

with DAG(
    dag_id="dbt_build",
    description="dbt build of the warehouse (Cosmos, one dbt build) when new landing partitions exist",
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("*/30 * * * *", timezone="UTC"), assets=LANDING_ASSET),
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
    gate = "ti.xcom_pull(task_ids='new_landing_partitions')"
    dbt = pp_dbt.dbt_build_operator(
        task_id="dbt_build",
        selector="{{ " + gate + "['dbt_selector'] }}",
        test_ingest_dates="{{ " + gate + "['test_ingest_dates'] }}",
    )
    done = builds.record_build.override(outlets=[WAREHOUSE_ASSET])(found)
    found >> dbt >> done
