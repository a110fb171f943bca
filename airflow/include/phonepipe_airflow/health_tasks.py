"""Tasks of the ``pipeline_health`` DAG. Thresholds come from the environment at run time:

``PHONEPIPE_FRESHNESS_SLA_MINUTES``  newest landing partition must have been written within (default 60)
``PHONEPIPE_FRESHNESS_TOPICS``       comma-separated topics to watch (default: the catalog's listings topic)
``PHONEPIPE_STREAM_GROUP``           consumer group of the stream job (default ``phonepipe-stream``)
``PHONEPIPE_MAX_CONSUMER_LAG``       records of lag per topic before alerting (default 10000)
``PHONEPIPE_DLQ_MAX_GROWTH``         new dead letters per topic between two checks before alerting (default 0)
``PHONEPIPE_HEALTH_CHECK_STREAM``    ``0`` to skip the Kafka checks (lag, DLQ) (default ``1``)
"""

from __future__ import annotations

import json
from typing import Any

from airflow.exceptions import AirflowFailException
from airflow.sdk import get_current_context, task

from phonepipe_airflow import alerts, catalog, config, health, procs


def _topics() -> list[str]:
    """The topics to watch; a name the catalog does not know is a configuration error, not a stale topic."""
    raw = config.str_from_env("PHONEPIPE_FRESHNESS_TOPICS", "") or catalog.listings_topic()
    topics = [t.strip() for t in raw.split(",") if t.strip()]
    known = catalog.landing_topics()
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise ValueError(f"PHONEPIPE_FRESHNESS_TOPICS names unknown topics {unknown}; the catalog has {known}")
    return topics


@task
def check_freshness() -> dict[str, Any]:
    sla = config.float_from_env("PHONEPIPE_FRESHNESS_SLA_MINUTES", 60.0)
    partitions, findings = health.freshness_findings(config.landing_dir(), _topics(), sla)
    for p in partitions:
        print(
            f"{p['topic']}: newest partition {p['newest_partition']}, last write {p['last_write_at']}, "
            f"age {p['age_minutes']} min (SLA {sla:g} min)"
        )
    return {"partitions": partitions, "findings": findings}


@task
def check_stream() -> dict[str, Any]:
    """Consumer lag of the stream job's group and dead-letter growth, measured now through
    ``bin/phonepipe health`` (kafkajs admin). An unreachable broker is itself a finding."""
    if config.str_from_env("PHONEPIPE_HEALTH_CHECK_STREAM", "1") in ("0", "false", "False", "no"):
        return {"skipped": True, "findings": []}
    group = config.str_from_env("PHONEPIPE_STREAM_GROUP", "phonepipe-stream")
    try:
        proc = procs.phonepipe("health", "--group", group, check=False, timeout_s=120)
    except (OSError, TimeoutError) as err:
        proc, error = None, str(err)
    else:
        error = proc.stderr.strip() if proc.returncode != 0 else ""
    if proc is None or proc.returncode != 0:
        return {
            "findings": [
                {
                    "check": "stream",
                    "severity": "error",
                    "title": "cannot measure consumer lag and dead letters",
                    "message": error or "bin/phonepipe health failed",
                    "details": {"group": group},
                }
            ]
        }
    report = json.loads(proc.stdout)
    findings = health.lag_findings(report, config.int_from_env("PHONEPIPE_MAX_CONSUMER_LAG", 10000))
    state_file = config.state_dir() / "pipeline_health_dlq.json"
    totals = health.dlq_totals(report)
    findings += health.dlq_findings(
        totals, health.read_state(state_file), config.int_from_env("PHONEPIPE_DLQ_MAX_GROWTH", 0)
    )
    health.write_state(state_file, totals)
    return {"group": group, "total_lag": report.get("totalLag"), "dlq": totals, "findings": findings}


# The failure of this task is the alert it already sent: no second alert from the failure callback.
@task(on_failure_callback=None, retries=0)
def evaluate(freshness: dict[str, Any], stream: dict[str, Any]) -> dict[str, Any]:
    """One alert through the configured callback carrying every finding; the task fails when any finding is
    an error, so the run shows red too."""
    findings = [f for r in (freshness, stream) for f in r.get("findings", [])]
    if not findings:
        print("pipeline healthy")
        return {"healthy": True, "findings": []}
    severity, title, message = health.summarize(findings)
    context = get_current_context()
    alerts.send_alert(
        alerts.Alert(
            title=title,
            message=message,
            severity=severity,
            source=f"pipeline_health.evaluate ({context['run_id']})",
            details={"findings": findings},
        )
    )
    if severity == "error":
        raise AirflowFailException(title)
    return {"healthy": False, "findings": findings}
