"""Helpers behind the DAGs: backfill ranges, scrape arguments, alert sink selection, health findings."""

from __future__ import annotations

import socket

import pytest
from conftest import env

from phonepipe_airflow import alerts, backfills, builds, health, scrapes


def test_backfill_range_is_validated():
    first, last = backfills.validate_range("2026-11-01", "2026-11-03", max_days=31)
    assert (first.isoformat(), last.isoformat()) == ("2026-11-01", "2026-11-03")
    with pytest.raises(ValueError, match="after"):
        backfills.validate_range("2026-11-03", "2026-11-01", max_days=31)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        backfills.validate_range("2026-11-31", "2026-12-01", max_days=31)
    with pytest.raises(ValueError, match="PHONEPIPE_BACKFILL_MAX_DAYS"):
        backfills.validate_range("2026-01-01", "2026-12-31", max_days=31)
    # the CLI's range is half-open in Kafka record time: the last day is covered up to its end
    assert backfills.backfill_args(first, last, "pricing.suggestions") == [
        "backfill",
        "--from",
        "2026-11-01T00:00:00Z",
        "--to",
        "2026-11-04T00:00:00Z",
        "--topic",
        "pricing.suggestions",
    ]


def test_scrape_arguments_come_from_the_environment_at_call_time():
    with env(PHONEPIPE_SCRAPE_NOON_BASE_URL=None, PHONEPIPE_SCRAPE_MAX_PAGES=None):
        assert scrapes.scrape_args("noon") == ["scrape", "noon"]
    with env(PHONEPIPE_SCRAPE_NOON_BASE_URL="http://127.0.0.1:8999", PHONEPIPE_SCRAPE_MAX_PAGES="2"):
        assert scrapes.scrape_args("noon") == [
            "scrape",
            "noon",
            "--base-url",
            "http://127.0.0.1:8999",
            "--max-pages",
            "2",
        ]
        assert scrapes.scrape_args("mobilemasr") == ["scrape", "mobilemasr", "--max-pages", "2"]


def test_alert_sink_is_chosen_when_the_alert_is_sent():
    with env(PHONEPIPE_ALERT_CALLBACK=None, PHONEPIPE_ALERT_WEBHOOK=None):
        assert alerts.resolve_sink() is alerts.log_sink
    with env(PHONEPIPE_ALERT_CALLBACK="alert_recorder:record"):
        import alert_recorder

        assert alerts.resolve_sink() is alert_recorder.record
    with env(PHONEPIPE_ALERT_CALLBACK="no-colon"), pytest.raises(ValueError, match="package.module:function"):
        alerts.resolve_sink()


def test_a_failing_sink_fails_the_alerting_task_but_keeps_the_alert_in_the_log(caplog):
    # a webhook nobody listens on: a loopback port just freed refuses connections
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    with env(PHONEPIPE_ALERT_CALLBACK=None, PHONEPIPE_ALERT_WEBHOOK=url), pytest.raises(OSError):
        alerts.send_alert(alerts.Alert(title="landing is stale", message="m"))
    assert "landing is stale" in caplog.text


def test_lag_findings():
    report = {
        "group": "g",
        "lag": [
            {"topic": "a", "partition": 0, "committed": 1, "end": 10, "lag": 9},
            {"topic": "a", "partition": 1, "committed": 5, "end": 8, "lag": 3},
            {"topic": "b", "partition": 0, "committed": None, "end": 4, "lag": None},
            {"topic": "c", "partition": 0, "committed": None, "end": 0, "lag": None},
        ],
    }
    findings = {f["check"] + f["severity"]: f for f in health.lag_findings(report, max_lag=10)}
    assert findings["consumer_lagerror"]["details"]["lag"] == {"a": 12}
    # b holds records the group never committed; c is empty, which is no finding
    assert findings["consumer_lagwarning"]["details"]["topics"] == ["b"]
    assert health.lag_findings(report | {"lag": report["lag"][:2]}, max_lag=12) == []


def test_dlq_growth_needs_a_previous_check():
    assert health.dlq_findings({"a.dlq": 5}, None, max_growth=0) == []
    assert health.dlq_findings({"a.dlq": 5}, {"a.dlq": 5}, max_growth=0) == []
    (finding,) = health.dlq_findings({"a.dlq": 7, "b.dlq": 1}, {"a.dlq": 5}, max_growth=1)
    assert finding["details"]["growth"] == {"a.dlq": 2}


def test_build_tests_are_scoped_to_the_dates_of_the_new_partitions():
    new = [
        "listings.scraped/ingest_date=2026-11-28",
        "pricing.suggestions/ingest_date=2026-11-27",
        "listings.scraped/ingest_date=2026-11-27",
    ]
    assert builds.test_ingest_dates(new) == "2026-11-27,2026-11-28"
    assert builds.test_ingest_dates([]) == ""


def test_dbt_selector_follows_the_topics_with_new_partitions():
    listings = ["listings.scraped/ingest_date=2026-11-27", "listings.scraped/ingest_date=2026-11-28"]
    assert builds.dbt_selector(listings) == "listings_arrivals"
    assert builds.dbt_selector([*listings, "pricing.suggestions/ingest_date=2026-11-28"]) == "arrivals"
    assert builds.dbt_selector(["marketplace.transactions/ingest_date=2026-11-28"]) == "arrivals"
