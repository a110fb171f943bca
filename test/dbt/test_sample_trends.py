"""The sample landing's trends (dbt/scripts/sample_landing/trends.py) show in the data a long history gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import generate

END = dt.date(2026, 11, 30)
DEVALUATION = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("trends")
    out = generate(data, 6_000, 4, END, 60, "--devaluation-date", DEVALUATION.isoformat(), "--devaluation-pct", "15")
    assert f"EGP devaluation of 15% on {DEVALUATION}" in out
    return data / "landing"


def one(sql: str):
    return duckdb.sql(sql).fetchone()


def test_egp_prices_and_fx_rates_step_up_at_the_devaluation(landing: Path):
    before, after = one(
        f"""select median(price_egp) filter (where scraped_at < date '{DEVALUATION}' - 3
                                            and scraped_at >= date '{DEVALUATION}' - 10),
                   median(price_egp) filter (where scraped_at >= date '{DEVALUATION}'
                                            and scraped_at < date '{DEVALUATION}' + 7)
            from read_parquet('{landing}/listings.scraped/*/*.parquet') where price_currency = 'EGP'"""
    )
    assert 1.08 < after / before < 1.25, (before, after)
    rate_before, rate_after = one(
        f"""select any_value(fx_rate) filter (where effective_date = date '{DEVALUATION}' - 1),
                   any_value(fx_rate) filter (where effective_date = date '{DEVALUATION}')
            from read_parquet('{landing}/market.reference_prices/*/*.parquet')
            where kind = 'fx_rate' and fx_base = 'USD'"""
    )
    assert 1.12 < rate_after / rate_before < 1.18, (rate_before, rate_after)


def test_prices_depreciate_and_noon_and_mobile_masr_disagree_per_product(landing: Path):
    # the weekly retail prices (no per-listing noise): each product is cheaper a month later, before the step
    cheaper, dearer = one(
        f"""select count(*) filter (where last < first), count(*) filter (where last > first) from (
                select product_title, arg_min(price, effective_date) as first, arg_max(price, effective_date) as last
                from read_parquet('{landing}/market.reference_prices/*/*.parquet')
                where kind = 'retail_price' and effective_date < date '{DEVALUATION}' group by product_title)"""
    )
    assert cheaper > 20 and dearer == 0, (cheaper, dearer)
    (n_disagree,) = one(
        f"""select count(*) from (
                select model, median(price_egp) filter (where source = 'noon') as noon,
                       median(price_egp) filter (where source = 'mobilemasr') as mm
                from read_parquet('{landing}/listings.scraped/*/*.parquet')
                where condition = 'new' and price_currency = 'EGP' group by model)
            where abs(noon / mm - 1) > 0.02"""
    )
    assert n_disagree >= 3


def test_marketplace_activity_peaks_on_the_egyptian_weekend(landing: Path):
    weekend, midweek = one(
        f"""select count(*) filter (where isodow(occurred_at) in (4, 5, 6)) / 3,
                   count(*) filter (where isodow(occurred_at) in (1, 2, 7)) / 3
            from read_parquet('{landing}/marketplace.user_activity/*/*.parquet')"""
    )
    assert weekend > 1.15 * midweek, (weekend, midweek)
