"""data_quality: the Great Expectations checkpoint and the dbt tests gate publishing of the warehouse.

Runs after every successful dbt_build (warehouse asset) or on demand. If either check fails, the downstream
`publish` task does not run, so readers keep the last published state (data/warehouse/published.json).
After publishing, `refresh_dashboard` rebuilds the static dashboard (dashboard/dist) from that state.
"""

from __future__ import annotations

from airflow.sdk import DAG

from phonepipe_airflow import dbt as pp_dbt
from phonepipe_airflow import quality
from phonepipe_airflow.common import PUBLISHED_ASSET, START_DATE, TAGS, WAREHOUSE_ASSET, default_args

with DAG(
    dag_id="data_quality",
    description="GX checkpoint + dbt tests; a failure blocks publishing",
    schedule=[WAREHOUSE_ASSET],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    max_active_tasks=1,  # dbt test and the checkpoint read the same DuckDB file
    default_args=default_args(),
    tags=[*TAGS, "quality"],
    doc_md=__doc__,
) as dag:
    gx = quality.gx_checkpoint()
    dbt_test = pp_dbt.dbt_test_operator(task_id="dbt_test", retries=0)
    published = quality.publish.override(outlets=[PUBLISHED_ASSET])()
    [gx, dbt_test] >> published
    quality.refresh_dashboard(published)
