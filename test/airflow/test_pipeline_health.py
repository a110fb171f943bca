"""pipeline_health raises an alert through the pluggable callback when the newest landing partition is
older than the SLA (webhook sink against a local HTTP server, and a configured callable), and not when it is
fresh; with the real broker, consumer lag and dead-letter growth alert too."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import env, generate_landing, run_dag

SLA_MINUTES = 60


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("health-landing")
    generate_landing(data, rows=2_000, seed=11)
    return data


def age_landing(data: Path, minutes: float) -> None:
    """Make every landing file look last written ``minutes`` ago."""
    stamp = time.time() - minutes * 60
    for f in (data / "landing").rglob("*.parquet"):
        os.utime(f, (stamp, stamp))


@pytest.fixture
def webhook():
    """A webhook receiver on 127.0.0.1 that keeps every JSON body posted to it."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alerts", received
    finally:
        server.shutdown()
        server.server_close()


def health_env(data: Path, **extra: str | None):
    return env(
        PHONEPIPE_DATA_DIR=str(data),
        PHONEPIPE_FRESHNESS_SLA_MINUTES=str(SLA_MINUTES),
        PHONEPIPE_FRESHNESS_TOPICS="listings.scraped",
        PHONEPIPE_HEALTH_CHECK_STREAM="0",  # lag and DLQ need a broker: see test_stream_check_*
        **extra,
    )


def freshness_findings(alert: dict) -> list[dict]:
    return [f for f in alert["details"]["findings"] if f["check"] == "freshness"]


def test_stale_landing_alerts_through_the_webhook(airflow_db, landing, webhook):
    url, received = webhook
    age_landing(landing, minutes=3 * SLA_MINUTES)
    with health_env(landing, PHONEPIPE_ALERT_WEBHOOK=url, PHONEPIPE_ALERT_CALLBACK=None):
        state, tasks = run_dag("pipeline_health")
    assert state == "failed"
    assert tasks == {"check_freshness": "success", "check_stream": "success", "evaluate": "failed"}
    assert len(received) == 1, received
    alert = received[0]
    assert alert["severity"] == "error"
    assert "listings.scraped" in alert["text"] and "stale" in alert["text"]
    (finding,) = freshness_findings(alert)
    assert finding["details"]["topic"] == "listings.scraped"
    assert finding["details"]["age_minutes"] > SLA_MINUTES
    assert finding["details"]["newest_partition"]


def test_stale_landing_alerts_through_a_configured_callable(airflow_db, landing, tmp_path):
    log = tmp_path / "alerts.jsonl"
    age_landing(landing, minutes=2 * SLA_MINUTES)
    with health_env(
        landing,
        PHONEPIPE_ALERT_CALLBACK="alert_recorder:record",
        PHONEPIPE_TEST_ALERT_LOG=str(log),
        PHONEPIPE_ALERT_WEBHOOK=None,
    ):
        state, _ = run_dag("pipeline_health")
    assert state == "failed"
    alerts = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(alerts) == 1
    assert freshness_findings(alerts[0])


def test_fresh_landing_raises_no_alert(airflow_db, landing, webhook):
    url, received = webhook
    age_landing(landing, minutes=SLA_MINUTES / 2)
    with health_env(landing, PHONEPIPE_ALERT_WEBHOOK=url, PHONEPIPE_ALERT_CALLBACK=None):
        state, tasks = run_dag("pipeline_health")
    assert state == "success", tasks
    assert received == []


def test_missing_landing_is_an_alert_too(airflow_db, tmp_path, webhook):
    url, received = webhook
    with health_env(tmp_path, PHONEPIPE_ALERT_WEBHOOK=url, PHONEPIPE_ALERT_CALLBACK=None):
        state, _ = run_dag("pipeline_health")
    assert state == "failed"
    (finding,) = freshness_findings(received[0])
    assert "no landing partition" in finding["title"]


# --- lag and dead letters, against the real broker started by infra/with-platform.sh ------------------------

KAFKA_SCRIPT = r"""
const { Kafka, logLevel } = require("kafkajs");
const [brokers, action, topic, arg, group] = process.argv.slice(1);
(async () => {
  const kafka = new Kafka({
    clientId: "airflow-test", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
  if (action === "produce") {
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: Number(arg) },
      (_, i) => ({ key: `k${i}`, value: `record ${i}` }));
    await producer.send({ topic, messages: messages.map((m) => ({ ...m, partition: 0 })), acks: -1 });
    await producer.disconnect();
  } else if (action === "commit") {
    const admin = kafka.admin();
    await admin.connect();
    const partitions = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: group, topic,
      // partition 0 at the given offset, every other partition fully read
      partitions: partitions.map((p) => ({ partition: p.partition,
        offset: p.partition === 0 ? String(arg) : p.high })) });
    await admin.disconnect();
  }
})().catch((e) => { console.error(e); process.exit(1); });
"""


def brokers() -> str | None:
    if os.environ.get("PHONEPIPE_KAFKA_BROKERS"):
        return os.environ["PHONEPIPE_KAFKA_BROKERS"]
    if os.environ.get("PHONEPIPE_KAFKA_PORT"):
        return f"127.0.0.1:{os.environ['PHONEPIPE_KAFKA_PORT']}"
    return None


def kafka(*args: str) -> None:
    from conftest import REPO

    proc = subprocess.run(
        ["node", "-e", KAFKA_SCRIPT, brokers(), *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def broker():
    if brokers() is None:
        pytest.skip("needs the broker of infra/with-platform.sh (make test-airflow runs under it)")
    return brokers()


def test_stream_check_alerts_on_consumer_lag_and_dead_letter_growth(airflow_db, landing, webhook, broker):
    url, received = webhook
    group = f"airflow-test-{uuid.uuid4().hex[:8]}"
    age_landing(landing, minutes=1)
    run_env = {
        "PHONEPIPE_ALERT_WEBHOOK": url,
        "PHONEPIPE_ALERT_CALLBACK": None,
        "PHONEPIPE_HEALTH_CHECK_STREAM": "1",
        "PHONEPIPE_STREAM_GROUP": group,
        "PHONEPIPE_MAX_CONSUMER_LAG": "2",
        "PHONEPIPE_DLQ_MAX_GROWTH": "0",
    }
    # the stream job's group has read 1 of the 6 records in partition 0 of listings.scraped: lag 5 > 2
    kafka("produce", "listings.scraped", "6")
    kafka("commit", "listings.scraped", "1", group)
    with health_env(landing), env(**run_env):
        first_state, first_tasks = run_dag("pipeline_health")
        kafka("produce", "listings.scraped.dlq", "3")
        second_state, _ = run_dag("pipeline_health")
    assert first_tasks["check_stream"] == "success"
    assert first_state == "failed" and second_state == "failed"
    assert len(received) == 2
    first = {f["check"]: f for f in received[0]["details"]["findings"]}
    assert first["consumer_lag"]["details"]["lag"]["listings.scraped"] >= 5
    assert "dlq_growth" not in first, "the first check only records the dead-letter offsets"
    second = {f["check"]: f for f in received[1]["details"]["findings"]}
    assert second["dlq_growth"]["details"]["growth"] == {"listings.scraped.dlq": 3}
    assert "freshness" not in first and "freshness" not in second
