"""pricing: after each published warehouse (data_quality passed), train the pricing model with its rolling
backtest, promote it only if it beats the current one (the decision is logged in
<data>/models/promotions.jsonl), then score the marketplace's listings and produce the suggestions to
pricing.suggestions. docs/pricing.md."""

from __future__ import annotations

from airflow.sdk import DAG

from phonepipe_airflow import pricing
from phonepipe_airflow.common import PUBLISHED_ASSET, START_DATE, TAGS, default_args

with DAG(
    dag_id="pricing",
    description="train + backtest + promote-or-keep, then suggest prices to pricing.suggestions",
    schedule=[PUBLISHED_ASSET],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "pricing"],
    doc_md=__doc__,
) as dag:
    pricing.suggest(pricing.train())
