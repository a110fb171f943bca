"""The GX checkpoint's staging (quality/staged_listings.py) follows the topic catalog and dbt's dedupe rule."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from conftest import END_DATE, REPO, generate

sys.path[:0] = [str(REPO / "python"), str(REPO / "quality")]
import phonepipe_catalog  # noqa: E402
import staged_listings  # noqa: E402


def test_first_landed_order_is_dbts():
    macro = (REPO / "dbt" / "macros" / "first_landed.sql").read_text()
    assert f"'{', '.join(staged_listings.FIRST_LANDED_ORDER)}'" in macro


def test_staged_rows_carry_the_catalog_columns_once_per_record_id(tmp_path: Path):
    topic = phonepipe_catalog.load().with_hook("listing")
    generate(tmp_path, 2_000, 5, END_DATE - dt.timedelta(days=1), 2, "--listings-only")
    df, n_files = staged_listings.load_staged(topic, tmp_path)
    assert n_files > 0
    assert list(df.columns) == [*topic.column_names, "ingested_at", "ingest_date"]
    assert len(df) == df[topic.record_id].nunique() == 2_000
    assert staged_listings.load_staged(topic, tmp_path / "nothing") == (None, 0)
