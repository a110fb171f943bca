"""backfill: manual re-processing of a date range with the Spark-runner batch job (`bin/phonepipe backfill`).

Trigger with params {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "topic": "listings.scraped"}: every record of
the topic whose Kafka time falls on those UTC days (both inclusive) is replayed into the landing. On success
the landing asset is updated, which triggers dbt_build.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param

from phonepipe_airflow import backfills
from phonepipe_airflow.common import LANDING_ASSET, START_DATE, TAGS, default_args
from phonepipe_airflow.config import LANDING_TOPICS

with DAG(
    dag_id="backfill",
    description="manual backfill of a date range (Spark runner) into the landing",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(retries=0),
    params={
        "from": Param(type="string", format="date", description="first day (UTC) of Kafka record time"),
        "to": Param(type="string", format="date", description="last day (UTC, inclusive)"),
        "topic": Param("listings.scraped", type="string", enum=list(LANDING_TOPICS), description="topic"),
    },
    tags=[*TAGS, "backfill"],
    doc_md=__doc__,
) as dag:
    backfills.run_backfill.override(outlets=[LANDING_ASSET])()
