"""Defaults shared by every phonepipe DAG, and the assets that chain them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset

from phonepipe_airflow import alerts

START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
TAGS = ["phonepipe"]

# New landing partitions written by a task Airflow runs (the backfill); the stream job lands on its own.
LANDING_ASSET = Asset(name="phonepipe_landing", uri="phonepipe://landing")
# The warehouse was rebuilt by dbt_build; data_quality runs on it.
WAREHOUSE_ASSET = Asset(name="phonepipe_warehouse", uri="phonepipe://warehouse")
# The warehouse passed data_quality and was published for readers.
PUBLISHED_ASSET = Asset(name="phonepipe_warehouse_published", uri="phonepipe://warehouse/published")


def default_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "owner": "phonepipe",
        "retries": 1,
        "retry_delay": timedelta(minutes=2),
        "on_failure_callback": alerts.on_failure_callback,
    }
    args.update(overrides)
    return args
