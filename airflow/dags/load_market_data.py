"""load_market_data: load CSV files dropped into the market-data inbox with `bin/phonepipe market-data load`.

Waits for settled CSV files in $PHONEPIPE_MARKET_INBOX (default data/market-data/inbox), validates and loads
each one (one mapped task per file) and moves it to done/ or rejected/ beside the inbox, with the loader's
report next to it (<file>.report.txt). A rejected file raises a warning alert.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG

from phonepipe_airflow import market_data
from phonepipe_airflow.common import START_DATE, TAGS, default_args

with DAG(
    dag_id="load_market_data",
    description="market-data CSV inbox -> Kafka, files moved to done/ or rejected/ with a report",
    schedule="*/15 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(retries=2, retry_delay=timedelta(minutes=1)),
    tags=[*TAGS, "sources"],
    doc_md=__doc__,
) as dag:
    market_data.load.expand(path=market_data.wait_for_csv())
