"""One pluggable alert callback for every phonepipe DAG.

Every alert goes through :func:`send_alert`. Which sink receives it is decided when the alert is sent
(task run time), from the environment:

``PHONEPIPE_ALERT_CALLBACK=package.module:function``  any callable taking one :class:`Alert`
``PHONEPIPE_ALERT_WEBHOOK=https://...``               POST the alert as JSON (``text`` + fields)
neither                                               log it (WARNING) in the task log

Task failures reach the same sink through :func:`on_failure_callback`.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import os
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Alert:
    title: str
    message: str
    severity: str = "error"  # "error" or "warning"
    source: str = ""  # dag_id.task_id that raised it
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    at: str = dataclasses.field(default_factory=lambda: datetime.now(UTC).isoformat())

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def text(self) -> str:
        where = f" [{self.source}]" if self.source else ""
        return f"phonepipe {self.severity.upper()}{where}: {self.title}\n{self.message}"


AlertSink = Callable[[Alert], None]


def log_sink(alert: Alert) -> None:
    level = logging.WARNING if alert.severity == "warning" else logging.ERROR
    log.log(level, "ALERT %s details=%s", alert.text(), json.dumps(alert.details, default=str, sort_keys=True))


def webhook_sink(url: str, timeout_s: float = 10.0) -> AlertSink:
    def send(alert: Alert) -> None:
        body = json.dumps({"text": alert.text(), **alert.as_dict()}, default=str).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (configured URL)
            if response.status >= 300:
                raise RuntimeError(f"alert webhook answered HTTP {response.status}")
        log.info("alert sent to webhook: %s", alert.title)

    return send


def _load_callable(spec: str) -> AlertSink:
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"PHONEPIPE_ALERT_CALLBACK={spec!r} must look like 'package.module:function'")
    target: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"PHONEPIPE_ALERT_CALLBACK={spec!r} is not callable")
    return target


def resolve_sink() -> AlertSink:
    """The sink configured right now (read from the environment on every call)."""
    spec = os.environ.get("PHONEPIPE_ALERT_CALLBACK", "").strip()
    if spec:
        return _load_callable(spec)
    url = os.environ.get("PHONEPIPE_ALERT_WEBHOOK", "").strip()
    if url:
        return webhook_sink(url)
    return log_sink


def send_alert(alert: Alert) -> None:
    """Deliver one alert; a sink that fails raises, so the task that alerted fails visibly."""
    sink = resolve_sink()
    try:
        sink(alert)
    except Exception:
        log_sink(alert)  # never lose the alert itself
        raise


def on_failure_callback(context: dict[str, Any]) -> None:
    """Airflow ``on_failure_callback``: a task failed for good (retries exhausted)."""
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    exception = context.get("exception")
    alert = Alert(
        title=f"task {dag_id}.{task_id} failed",
        message=str(exception) if exception else "the task failed",
        severity="error",
        source=f"{dag_id}.{task_id}",
        details={
            "run_id": context.get("run_id"),
            "try_number": getattr(ti, "try_number", None),
            "log_url": getattr(ti, "log_url", None),
        },
    )
    try:
        send_alert(alert)
    except Exception:  # a failure callback must not raise; the alert was logged by send_alert
        log.exception("could not deliver the failure alert for %s.%s", dag_id, task_id)
