"""Task of the manual ``backfill`` DAG: the Spark-runner backfill over a date range."""

from __future__ import annotations

from datetime import date, timedelta

from airflow.exceptions import AirflowFailException
from airflow.sdk import get_current_context, task

from phonepipe_airflow import catalog, config, procs


def validate_range(start: str, end: str, max_days: int) -> tuple[date, date]:
    try:
        first, last = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    except ValueError as err:
        raise ValueError(f"dates must be YYYY-MM-DD: from={start!r} to={end!r}") from err
    if first > last:
        raise ValueError(f"from ({first}) is after to ({last})")
    days = (last - first).days + 1
    if days > max_days:
        raise ValueError(f"{days} days asked, more than PHONEPIPE_BACKFILL_MAX_DAYS={max_days}")
    return first, last


def backfill_args(first: date, last: date, topic: str) -> list[str]:
    """The CLI takes a half-open range of Kafka record time; the DAG's ``to`` day is inclusive."""
    return [
        "backfill",
        "--from",
        f"{first.isoformat()}T00:00:00Z",
        "--to",
        f"{(last + timedelta(days=1)).isoformat()}T00:00:00Z",
        "--topic",
        topic,
    ]


@task(retries=0)
def run_backfill() -> dict:
    """``bin/phonepipe backfill`` (Spark runner) over the run's whole days ``from``..``to`` for ``topic``."""
    params = get_current_context()["params"]
    try:
        first, last = validate_range(
            params["from"], params["to"], config.int_from_env("PHONEPIPE_BACKFILL_MAX_DAYS", 366)
        )
    except ValueError as err:
        raise AirflowFailException(f"bad backfill range: {err}") from err
    topic = params.get("topic") or catalog.listings_topic()
    proc = procs.phonepipe(*backfill_args(first, last, topic))
    return {
        "topic": topic,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "summary": proc.stdout.strip().splitlines()[-5:],
    }
