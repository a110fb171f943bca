"""Acceptance tests of the warehouse: dbt build + tests + unit tests, idempotency, star-schema integrity,
incremental loads, SCD2 snapshot and the Great Expectations checkpoint, all on a generated landing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import BIN, DAYS, END_DATE, ROWS, Warehouse, base_env, dbt, generate, node_ok, run, run_results

MARTS = [
    "fact_used_phone_listings",
    "dim_product",
    "dim_source",
    "dim_listing_url",
    "dim_seller",
    "dim_date",
    "fct_transactions",
    "fct_user_activity",
    "fct_price_suggestions",
    "mart_market_price_index",
    "mart_deals",
    "mart_price_suggestion_accuracy",
]
FACT_DIMENSIONS = [
    ("product_id", "dim_product", "product_id"),
    ("source_id", "dim_source", "source_id"),
    ("seller_id", "dim_seller", "seller_id"),
    ("url_id", "dim_listing_url", "url_id"),
    ("date_id", "dim_date", "date_id"),
    ("ingest_date_id", "dim_date", "date_id"),
]


def fingerprint(wh: Warehouse) -> dict[str, tuple]:
    """Row count and an order-independent checksum of every mart and the snapshot."""
    out = {}
    for table in [f"marts.{m}" for m in MARTS] + ["snapshots.snap_listing_prices"]:
        out[table] = wh.query(f"select count(*), coalesce(bit_xor(hash(t)), 0) from {table} as t")[0]
    return out


def gx_checkpoint(data_dir: Path, report: Path):
    return run(
        [
            str(Path(".venv/gx/bin/python")),
            "quality/checkpoint.py",
            "--data-dir",
            str(data_dir),
            "--report-json",
            str(report),
        ],
        base_env(data_dir),
        check=False,
    )


def test_build_runs_every_model_test_and_unit_test(warehouse: Warehouse):
    results = warehouse.first_build
    failed = [(r["unique_id"], r["status"], r.get("message")) for r in results if not node_ok(r)]
    assert not failed, failed
    kinds = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds.get("unit_test", 0) >= 2, kinds
    assert kinds.get("test", 0) >= 80, kinds
    assert kinds.get("snapshot") == 1, kinds
    built = {r["unique_id"].split(".")[-1] for r in results if r["unique_id"].startswith("model.")}
    assert set(MARTS) <= built


def test_every_mart_has_rows_and_the_index_answers_the_question(warehouse: Warehouse):
    for mart in MARTS:
        assert warehouse.query(f"select count(*) from marts.{mart}")[0][0] > 0, mart
    # "what does a used iPhone 13 Pro 256 GB sell for this week, and where is it cheapest?"
    rows = warehouse.query(
        """select i.index_date, i.median_price_egp, i.p25_price_egp, i.p75_price_egp, i.n_listings, i.cheapest_source
           from marts.mart_market_price_index i join marts.dim_product p using (product_id)
           where p.brand = 'apple' and p.model = 'iphone 13 pro' and p.storage_gb = 256 and i.condition = 'used'
           order by i.index_date desc limit 7"""
    )
    assert rows, "no index rows for a used iPhone 13 Pro 256 GB"
    for _day, median, p25, p75, n, cheapest in rows:
        assert p25 <= median <= p75 and n >= 1 and cheapest


def test_fact_rows_join_every_dimension_and_no_observation_twice(warehouse: Warehouse):
    for fk, dim, key in FACT_DIMENSIONS:
        orphans = warehouse.query(
            f"""select count(*) from marts.fact_used_phone_listings f
                left join marts.{dim} d on f.{fk} = d.{key} where d.{key} is null"""
        )[0][0]
        assert orphans == 0, f"{orphans} fact rows without a {dim} row ({fk})"
    n, n_events, n_ids = warehouse.query(
        "select count(*), count(distinct event_id), count(distinct listing_id) from marts.fact_used_phone_listings"
    )[0]
    assert n == n_events == n_ids
    # the landing holds re-sent and late copies, yet every observation is loaded exactly once
    landed, distinct = warehouse.query(
        f"""select count(*), count(distinct event_id) from read_parquet(
            '{warehouse.data_dir}/landing/listings.scraped/*/[!.]*.parquet', hive_partitioning = true)"""
    )[0]
    assert landed > distinct == ROWS == n


def test_surrogate_keys_are_md5_of_natural_keys(warehouse: Warehouse):
    rows = warehouse.query(
        """select count(*) filter (where s.source_id <> md5(coalesce(s.source_domain, '_null_'))),
                  count(*) filter (where p.product_id <> md5(coalesce(p.brand, '_null_') || '|' ||
                      coalesce(p.model, '_null_') || '|' || coalesce(cast(p.storage_gb as varchar), '_null_')))
           from marts.dim_source s, marts.dim_product p"""
    )
    assert rows == [(0, 0)]


def test_fx_converted_prices_use_the_latest_rate_within_7_days(warehouse: Warehouse):
    # restated independently of the models: the rate of the latest rate day in the 7 days up to the scrape
    # (the last loaded copy of a re-uploaded rate), applied to listings the stream job could not price in EGP
    converted, wrong, missed = warehouse.query(
        """with rates as (
               select fx_base as currency, effective_date as rate_date,
                      arg_max(fx_rate, (loaded_at, record_id)) as rate
               from staging.stg_market__reference_prices
               where kind = 'fx_rate' and fx_quote = 'EGP' and fx_rate > 0
               group by all
           ), checked as (
               select f.price_amount, f.price_egp, f.price_egp_source,
                      (select arg_max(r.rate, r.rate_date) from rates as r
                       where r.currency = f.price_currency and r.rate_date <= f.scraped_date
                         and r.rate_date > f.scraped_date - interval 8 day) as rate
               from marts.fact_used_phone_listings as f
               where f.price_egp_source = 'fx_reference'
                  or (f.price_egp_source is null and f.price_amount is not null and f.price_currency <> 'EGP')
           )
           select count(*) filter (where price_egp_source = 'fx_reference'),
                  count(*) filter (where price_egp_source = 'fx_reference' and price_egp
                                   is distinct from cast(round(price_amount * rate, 2) as decimal(14, 2))),
                  count(*) filter (where price_egp_source is null and rate is not null)
           from checked"""
    )[0]
    assert converted > 0, "no listing priced through a market FX rate in the sample"
    assert wrong == 0 and missed == 0, (converted, wrong, missed)


def test_gx_checkpoint_passes_on_clean_landing(warehouse: Warehouse, tmp_path: Path):
    report = tmp_path / "gx.json"
    proc = gx_checkpoint(warehouse.data_dir, report)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(report.read_text())
    assert data["success"] is True and data["blocking_failures"] == []
    assert data["rows"] == ROWS and data["evaluated"] >= 10


def test_gx_checkpoint_fails_readably_on_corrupted_landing(tmp_path: Path):
    data_dir = tmp_path / "corrupt"
    generate(data_dir, 5_000, 5, END_DATE, 7, "--corrupt", "--listings-only")
    report = tmp_path / "gx.json"
    proc = gx_checkpoint(data_dir, report)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert "QUALITY FAILED" in out
    assert "price_amount where price_currency == 'EGP'" in out and "-1500.0" in out
    assert "on condition" in out and "'broken'" in out
    failures = {
        (f["column"], tuple(f["sample_bad_values"])) for f in json.loads(report.read_text())["blocking_failures"]
    }
    assert ("price_amount", (-1500.0,)) in failures and ("condition", ("broken",)) in failures


def test_gx_missing_landing_is_a_blocking_failure(tmp_path: Path):
    proc = gx_checkpoint(tmp_path / "empty", tmp_path / "gx.json")
    assert proc.returncode == 1 and "no listings landed" in proc.stdout


def test_second_build_without_new_data_changes_no_mart(warehouse: Warehouse):
    before = fingerprint(warehouse)
    dbt(warehouse.data_dir, "build")
    assert all(node_ok(r) for r in run_results(warehouse.data_dir))
    after = fingerprint(warehouse)
    assert after == before


def test_incremental_load_of_new_data_adds_each_observation_once(warehouse: Warehouse):
    # a new day of scrapes of the same listings (another seed: new prices), incl. re-sent and late copies
    new_day = END_DATE + dt.timedelta(days=1)
    generate(warehouse.data_dir, 2_000, 99, new_day, 1, "--listings-only")
    dbt(warehouse.data_dir, "build")
    assert all(node_ok(r) for r in run_results(warehouse.data_dir))
    n, n_events = warehouse.query("select count(*), count(distinct event_id) from marts.fact_used_phone_listings")[0]
    landed = warehouse.query(
        f"""select count(distinct event_id) from read_parquet(
            '{warehouse.data_dir}/landing/listings.scraped/*/[!.]*.parquet', hive_partitioning = true)"""
    )[0][0]
    assert n == n_events == landed == ROWS + 2_000
    assert (
        warehouse.query(f"select count(*) from marts.mart_market_price_index where index_date = date '{new_day}'")[0][0]
        > 0
    )
    # SCD2: listings whose price changed now have a closed version and a current one
    closed, current, urls = warehouse.query(
        """select count(*) filter (where dbt_valid_to is not null), count(*) filter (where dbt_valid_to is null),
                  count(distinct url_id) from snapshots.snap_listing_prices"""
    )[0]
    assert closed > 0 and current == urls


def test_generator_is_deterministic_for_a_seed(tmp_path: Path):
    import duckdb

    def landing_digest(root: Path) -> dict[str, tuple]:
        con = duckdb.connect()
        return {
            str(f.relative_to(root)): con.execute(
                f"select count(*), bit_xor(hash(t)) from read_parquet('{f}') t"
            ).fetchone()
            for f in sorted(root.rglob("*.parquet"))
        }

    generate(tmp_path / "a", 3_000, 7, dt.date(2026, 11, 1), 5)
    generate(tmp_path / "b", 3_000, 7, dt.date(2026, 11, 1), 5)
    generate(tmp_path / "c", 3_000, 8, dt.date(2026, 11, 1), 5)
    a, b, c = (landing_digest(tmp_path / n) for n in "abc")
    assert a and a == b
    assert a != c
    assert DAYS > 7  # the session landing spans several weeks


def test_generator_writes_the_landing_layout(tmp_path: Path):
    generate(tmp_path, 1_000, 3, dt.date(2026, 11, 1), 3)
    topics = sorted(p.name for p in (tmp_path / "landing").iterdir())
    assert topics == [
        "listings.scraped",
        "market.reference_prices",
        "marketplace.transactions",
        "marketplace.user_activity",
        "pricing.suggestions",
    ]
    for f in (tmp_path / "landing").rglob("*.parquet"):
        assert f.parent.name.startswith("ingest_date=")
        stem = f.stem.split("_")
        assert len(stem) == 2 and len(stem[0]) == 16 and stem[0].endswith("Z"), f
        dt.datetime.strptime(stem[0], "%Y%m%dT%H%M%SZ")
    assert not list((tmp_path / "landing").rglob(".tmp-*"))
    assert (BIN / "dbt").exists()


def test_incremental_state_equals_a_full_rebuild(warehouse: Warehouse):
    # runs after the incremental load above: rebuilding every model from scratch gives the same marts
    incremental = fingerprint(warehouse)
    dbt(warehouse.data_dir, "build", "--full-refresh", "--exclude-resource-type", "snapshot")
    rebuilt = fingerprint(warehouse)
    for table, value in incremental.items():
        if table.startswith("marts."):
            assert rebuilt[table] == value, table
