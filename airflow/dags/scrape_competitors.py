"""scrape_competitors: scrape each competitor site hourly into Kafka (`bin/phonepipe scrape <source>`).

One task per source; a failed scrape is retried with exponential backoff and, once retries are spent,
alerts through the phonepipe alert callback (log, or PHONEPIPE_ALERT_WEBHOOK).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG

from phonepipe_airflow import scrapes
from phonepipe_airflow.common import START_DATE, TAGS, default_args

with DAG(
    dag_id="scrape_competitors",
    description="hourly competitor scrapes (noon, mobilemasr) into Kafka",
    schedule="@hourly",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(
        retries=3,
        retry_delay=timedelta(minutes=2),
        retry_exponential_backoff=True,
        max_retry_delay=timedelta(minutes=30),
        execution_timeout=timedelta(minutes=45),
    ),
    tags=[*TAGS, "sources"],
    doc_md=__doc__,
) as dag:
    for source in scrapes.SOURCES:
        scrapes.scrape.override(task_id=f"scrape_{source}")(source)
