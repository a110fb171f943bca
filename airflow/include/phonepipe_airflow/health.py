"""Checks behind the ``pipeline_health`` DAG. Pure functions over the landing folder and over the JSON
report of ``bin/phonepipe health``; every threshold comes from the caller (read from env at run time).

A *finding* is a plain dict (it travels through XCom):
``{"check": str, "severity": "error" | "warning", "title": str, "message": str, "details": dict}``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

_PARTITION = re.compile(r"^ingest_date=(\d{4}-\d{2}-\d{2})$")


def _finding(check: str, severity: str, title: str, message: str, **details: Any) -> dict[str, Any]:
    return {"check": check, "severity": severity, "title": title, "message": message, "details": details}


def newest_partition(landing: Path, topic: str) -> dict[str, Any]:
    """The newest ``ingest_date=`` partition of a topic holding Parquet files, and when it was last written.

    Temporary files (``.tmp-*``, any dot file) are ignored, as readers ignore them.
    """
    topic_dir = landing / topic
    best: tuple[date, Path] | None = None
    if topic_dir.is_dir():
        for child in topic_dir.iterdir():
            match = _PARTITION.match(child.name)
            if not match or not child.is_dir():
                continue
            if not any(not f.name.startswith(".") for f in child.glob("*.parquet")):
                continue
            day = date.fromisoformat(match.group(1))
            if best is None or day > best[0]:
                best = (day, child)
    if best is None:
        return {"topic": topic, "newest_partition": None, "last_write_at": None, "files": 0}
    files = [f for f in best[1].glob("*.parquet") if not f.name.startswith(".")]
    last_write = max(f.stat().st_mtime for f in files)
    return {
        "topic": topic,
        "newest_partition": best[0].isoformat(),
        "last_write_at": datetime.fromtimestamp(last_write, UTC).isoformat(),
        "files": len(files),
    }


def freshness_findings(
    landing: Path, topics: list[str], sla_minutes: float, now: datetime | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(partitions, findings): a topic whose newest partition was last written longer ago than the SLA,
    or that has no partition at all, is a finding (error)."""
    now = now or datetime.now(UTC)
    partitions, findings = [], []
    for topic in topics:
        info = newest_partition(landing, topic)
        if info["last_write_at"] is None:
            info["age_minutes"] = None
            findings.append(
                _finding(
                    "freshness",
                    "error",
                    f"no landing partition for {topic}",
                    f"{landing / topic} has no ingest_date=YYYY-MM-DD partition with Parquet files "
                    f"(SLA {sla_minutes:g} min)",
                    topic=topic,
                    sla_minutes=sla_minutes,
                )
            )
        else:
            age = (now - datetime.fromisoformat(info["last_write_at"])).total_seconds() / 60.0
            info["age_minutes"] = round(age, 2)
            if age > sla_minutes:
                findings.append(
                    _finding(
                        "freshness",
                        "error",
                        f"landing for {topic} is stale",
                        f"newest partition ingest_date={info['newest_partition']} was last written "
                        f"{age:.1f} min ago, older than the SLA of {sla_minutes:g} min",
                        **info,
                        sla_minutes=sla_minutes,
                    )
                )
        partitions.append(info)
    return partitions, findings


def lag_findings(report: dict[str, Any], max_lag: int) -> list[dict[str, Any]]:
    """Consumer lag of the stream job's group, from ``phonepipe health`` JSON (``lag`` rows)."""
    findings: list[dict[str, Any]] = []
    group = report.get("group")
    rows = report.get("lag") or []
    # a topic holding records that the group never committed: the stream job is not consuming it
    uncommitted = sorted({r["topic"] for r in rows if r.get("lag") is None and int(r.get("end") or 0) > 0})
    if uncommitted:
        findings.append(
            _finding(
                "consumer_lag",
                "warning",
                f"group {group} has no committed offsets",
                f"no committed offset for {', '.join(uncommitted)}: lag cannot be measured there "
                "(the stream job may not be running or may not commit offsets)",
                group=group,
                topics=uncommitted,
            )
        )
    per_topic: dict[str, int] = {}
    for row in rows:
        if row.get("lag") is not None:
            per_topic[row["topic"]] = per_topic.get(row["topic"], 0) + int(row["lag"])
    over = {t: lag for t, lag in sorted(per_topic.items()) if lag > max_lag}
    if over:
        findings.append(
            _finding(
                "consumer_lag",
                "error",
                f"stream job lag above {max_lag}",
                "consumer lag of group " + f"{group}: " + ", ".join(f"{t}={lag}" for t, lag in over.items()),
                group=group,
                lag=over,
                max_lag=max_lag,
            )
        )
    return findings


def dlq_totals(report: dict[str, Any]) -> dict[str, int]:
    """End offset summed over partitions, per dead-letter topic."""
    totals: dict[str, int] = {}
    for entry in report.get("dlq") or []:
        totals[entry["topic"]] = int(entry.get("total", 0))
    return totals


def dlq_findings(current: dict[str, int], previous: dict[str, int] | None, max_growth: int) -> list[dict[str, Any]]:
    """A dead-letter topic that grew by more than ``max_growth`` records since the previous check."""
    if previous is None:
        return []
    grown = {
        topic: total - previous.get(topic, 0)
        for topic, total in sorted(current.items())
        if total - previous.get(topic, 0) > max_growth
    }
    if not grown:
        return []
    return [
        _finding(
            "dlq_growth",
            "error",
            "dead-letter topics are growing",
            "new dead letters since the previous check: " + ", ".join(f"{t} +{n}" for t, n in grown.items()),
            growth=grown,
            max_growth=max_growth,
        )
    ]


def read_state(path: Path) -> dict[str, int] | None:
    try:
        return {k: int(v) for k, v in json.loads(path.read_text()).items()}
    except FileNotFoundError:
        return None


def write_state(path: Path, totals: dict[str, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps(totals, sort_keys=True, indent=2))
    tmp.replace(path)


def summarize(findings: list[dict[str, Any]]) -> tuple[str, str, str]:
    """(severity, title, message) of one alert that carries every finding."""
    severity = "error" if any(f["severity"] == "error" for f in findings) else "warning"
    title = f"pipeline health: {len(findings)} problem(s): " + "; ".join(f["title"] for f in findings)
    message = "\n".join(f"- [{f['severity']}] {f['check']}: {f['message']}" for f in findings)
    return severity, title, message
