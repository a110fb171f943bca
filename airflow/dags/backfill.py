"""backfill: manual re-processing of a date range with the Spark-runner batch job (`bin/phonepipe backfill`).

Trigger with params {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "topic": "<topic>"}: every record of the topic
whose Kafka time falls on those UTC days (both inclusive) is replayed into the landing. The topics offered,
and the default (the scraped listings), come from the topic catalog (schemas/generated/catalog.json). On success
the landing asset is updated, which triggers dbt_build.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param

from phonepipe_airflow import backfills, catalog
from phonepipe_airflow.common import LANDING_ASSET, START_DATE, TAGS, default_args

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
        "topic": Param(catalog.listings_topic(), type="string", enum=catalog.landing_topics(), description="topic"),
    },
    tags=[*TAGS, "backfill"],
    doc_md=__doc__,
) as dag:
    backfills.run_backfill.override(outlets=[LANDING_ASSET])()
