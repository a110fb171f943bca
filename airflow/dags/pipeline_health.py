"""pipeline_health: watch the stream — consumer lag of the stream job's group, freshness of the newest landing
partition against an SLA, growth of the dead-letter topics.

Every 10 minutes. Problems are sent as one alert through the pluggable callback (task log by default,
PHONEPIPE_ALERT_WEBHOOK or PHONEPIPE_ALERT_CALLBACK when set) and make the run fail. Kafka is only
contacted when the task runs (through `bin/phonepipe health`), never while the DAG is parsed.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG

from phonepipe_airflow import health_tasks
from phonepipe_airflow.common import START_DATE, TAGS, default_args

with DAG(
    dag_id="pipeline_health",
    description="consumer lag, landing freshness vs SLA, dead-letter growth; alerts via the callback",
    schedule=timedelta(minutes=10),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(retries=0),
    tags=[*TAGS, "monitoring"],
    doc_md=__doc__,
) as dag:
    health_tasks.evaluate(health_tasks.check_freshness(), health_tasks.check_stream())
