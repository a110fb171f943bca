"""The DAGs take topic names from the topic catalog (schemas/generated/catalog.json), not from their own code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import INCLUDE, REPO, env, load_dag

from phonepipe_airflow import builds, catalog, health_tasks

CATALOG = json.loads((REPO / "schemas" / "generated" / "catalog.json").read_text())
NAMES = [t["topic"] for t in CATALOG["topics"]]
LISTINGS = next(t["topic"] for t in CATALOG["topics"] if t["hook"] == "listing")


def test_the_helpers_read_the_topics_of_the_catalog():
    assert catalog.landing_topics() == NAMES
    assert catalog.listings_topic() == LISTINGS


def test_the_reader_is_found_from_phonepipe_root_alone():
    # a deployment that put only airflow/include on the path (or copied it into plugins/)
    code = "from phonepipe_airflow import catalog; print(catalog.listings_topic())"
    run_env = {**os.environ, "PYTHONPATH": str(INCLUDE), "PHONEPIPE_ROOT": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], env=run_env, capture_output=True, text=True, cwd="/")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == LISTINGS


def test_a_checkout_without_the_catalog_fails_naming_the_file(tmp_path):
    with env(PHONEPIPE_ROOT=str(tmp_path)), pytest.raises(ValueError, match="catalog.json: topic catalog not found"):
        catalog.landing_topics()


def test_backfill_offers_the_catalog_topics_and_defaults_to_the_listings():
    params = load_dag("backfill").params
    assert params.get_param("topic").value == LISTINGS
    assert params.get_param("topic").schema["enum"] == NAMES


def test_freshness_watches_the_listings_by_default_and_refuses_unknown_topics():
    with env(PHONEPIPE_FRESHNESS_TOPICS=None):
        assert health_tasks._topics() == [LISTINGS]
    with env(PHONEPIPE_FRESHNESS_TOPICS=",".join(NAMES[:2])):
        assert health_tasks._topics() == NAMES[:2]
    with env(PHONEPIPE_FRESHNESS_TOPICS="listings.scrapd"), pytest.raises(ValueError, match="unknown topics"):
        health_tasks._topics()


def test_only_new_listings_pick_the_listings_selector():
    others = [n for n in NAMES if n != LISTINGS]
    assert builds.dbt_selector([f"{LISTINGS}/ingest_date=2026-11-28"]) == "listings_arrivals"
    assert builds.dbt_selector([f"{n}/ingest_date=2026-11-28" for n in others]) == "arrivals"
