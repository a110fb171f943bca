"""python/phonepipe_catalog.py: the Python reader of schemas/generated/catalog.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "python"))
import phonepipe_catalog  # noqa: E402

CATALOG_JSON = REPO / "schemas" / "generated" / "catalog.json"


def test_reader_returns_the_topics_and_columns_of_catalog_json():
    raw = json.loads(CATALOG_JSON.read_text())
    catalog = phonepipe_catalog.load()
    assert catalog.path == CATALOG_JSON
    assert catalog.names == tuple(t["topic"] for t in raw["topics"])
    for entry in raw["topics"]:
        topic = catalog.topic(entry["topic"])
        assert [(c.name, c.type) for c in topic.columns] == [(c["name"], c["type"]) for c in entry["columns"]]
        assert (topic.table, topic.key, topic.record_id, topic.event_time, topic.partitions) == (
            entry["table"],
            entry["key"],
            entry["record_id"],
            entry["event_time"],
            entry["partitions"],
        )
        assert catalog.by_table(topic.table) is topic
        assert topic.landing_dir(Path("/d")) == Path("/d/landing") / entry["topic"]
    assert [(c.name, c.type) for c in catalog.lineage_columns] == [
        (c["name"], c["type"]) for c in raw["lineage_columns"]
    ]
    assert catalog.dlq_suffix == raw["dlq_suffix"]


def test_every_topic_yaml_is_in_the_catalog():
    declared = sorted(p.name.removesuffix(".topic.yaml") for p in (REPO / "schemas" / "avro").glob("*.topic.yaml"))
    assert sorted(phonepipe_catalog.load().names) == declared


def test_the_listing_hook_names_exactly_one_topic_and_unknown_names_are_refused():
    catalog = phonepipe_catalog.load()
    listings = catalog.with_hook("listing")
    assert listings.hook == "listing" and listings.event_time in listings.column_names
    with pytest.raises(phonepipe_catalog.CatalogError, match="no topic 'nope'"):
        catalog.topic("nope")
    with pytest.raises(phonepipe_catalog.CatalogError, match="0 topics have hook"):
        catalog.with_hook("nope")


def test_missing_catalog_is_a_clear_error_naming_the_file(tmp_path: Path):
    missing = tmp_path / "catalog.json"
    with pytest.raises(phonepipe_catalog.CatalogError, match="not found") as err:
        phonepipe_catalog.load(missing)
    assert str(missing) in str(err.value) and "make catalog" in str(err.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"topics": []}', "no topics"),
        ('{"lineage_columns": []}', "'topics' list"),
        ('{"topics": [{"topic": "a.b"}], "lineage_columns": [], "dlq_suffix": ".dlq"}', "topic a.b: 'table'"),
    ],
)
def test_malformed_catalog_is_a_clear_error_naming_the_file(tmp_path: Path, content: str, problem: str):
    bad = tmp_path / "catalog.json"
    bad.write_text(content)
    with pytest.raises(phonepipe_catalog.CatalogError) as err:
        phonepipe_catalog.load(bad)
    assert str(bad) in str(err.value) and problem in str(err.value)


def test_a_changed_file_is_read_again(tmp_path: Path):
    raw = json.loads(CATALOG_JSON.read_text())
    copy = tmp_path / "catalog.json"
    copy.write_text(json.dumps(raw))
    assert len(phonepipe_catalog.load(copy).topics) == len(raw["topics"])
    raw["topics"] = raw["topics"][:1]
    copy.write_text(json.dumps(raw, indent=1))
    assert phonepipe_catalog.load(copy).names == (raw["topics"][0]["topic"],)
