"""Reads from the star schema (read-only DuckDB; dbt is the only writer): realized sales with their market
context for training and backtests, and the marketplace's current listings for scoring. Never the landing."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np


class EmptyWarehouse(RuntimeError):
    """The warehouse is missing or holds no realized sales: nothing to train on."""


def warehouse_path() -> Path:
    if os.environ.get("PHONEPIPE_DUCKDB_PATH"):
        return Path(os.environ["PHONEPIPE_DUCKDB_PATH"])
    data = Path(os.environ.get("PHONEPIPE_DATA_DIR", Path(os.environ.get("PHONEPIPE_ROOT", ".")) / "data"))
    return data / "warehouse" / "phonepipe.duckdb"


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    path = path or warehouse_path()
    if not path.exists():
        raise EmptyWarehouse(f"no warehouse at {path}: build it first (make dbt-build)")
    return duckdb.connect(str(path), read_only=True)


# The market context of a (product_id, condition, day) row, strictly before its day: the trailing 7 days of
# the price index (listing-weighted median, spread, minimum, listings) and of competitors' asking prices.
CONTEXT_SQL = """
idx AS (
    SELECT product_id, condition, index_date,
           sum(median_price_egp * n_listings) OVER w / sum(n_listings) OVER w AS idx7_median,
           sum(n_listings) OVER w AS idx7_n,
           avg(p25_price_egp) OVER w AS idx_p25, avg(p75_price_egp) OVER w AS idx_p75,
           min(min_price_egp) OVER w AS idx_min
    FROM marts.mart_market_price_index
    WINDOW w AS (PARTITION BY product_id, condition ORDER BY index_date
                 RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW)
), comp_daily AS (
    SELECT f.product_id, f.condition, f.scraped_date, median(f.price_egp) AS comp_day_median
    FROM marts.fact_used_phone_listings f JOIN marts.dim_source s USING (source_id)
    WHERE s.source_type = 'competitor' AND f.listing_type = 'sale' AND f.price_egp > 0
    GROUP BY ALL
), comp AS (
    SELECT product_id, condition, scraped_date,
           avg(comp_day_median) OVER (PARTITION BY product_id, condition ORDER BY scraped_date
                                      RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW) AS comp_median
    FROM comp_daily
)"""

CONTEXT_COLUMNS = "idx.idx7_median, idx.idx7_n, idx.idx_p25, idx.idx_p75, idx.idx_min, comp.comp_median"
CONTEXT_JOINS = """
ASOF LEFT JOIN idx ON t.product_id = idx.product_id AND t.condition = idx.condition AND t.day > idx.index_date
ASOF LEFT JOIN comp ON t.product_id = comp.product_id AND t.condition = comp.condition
    AND t.day > comp.scraped_date"""

SALES_SQL = f"""
WITH sales AS (
    SELECT x.transaction_event_id, x.marketplace_listing_id AS listing_id, x.marketplace_seller_id AS seller_id,
           x.product_id, x.condition, CAST(x.amount_egp AS DOUBLE) AS price, x.occurred_at,
           CAST(x.occurred_at AS DATE) AS day, p.brand, p.model, p.storage_gb, p.ram_gb, p.release_year
    FROM marts.fct_transactions x JOIN marts.dim_product p USING (product_id)
    WHERE x.event_type = 'sale_completed' AND x.amount_egp > 0 AND x.condition IS NOT NULL {{where}}
), base_idx AS (
    SELECT product_id, condition, index_date, median_price_egp FROM marts.mart_market_price_index
), own AS (
    -- baseline 2: the marketplace's own sales of the product and condition over the 30 days before
    SELECT transaction_event_id,
           median(price) OVER (PARTITION BY product_id, condition ORDER BY day
                               RANGE BETWEEN INTERVAL 30 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING) AS sales30_median
    FROM sales
), {CONTEXT_SQL}
SELECT t.*, datediff('day', DATE '1970-01-01', t.day) AS day_number, {CONTEXT_COLUMNS},
       CAST(b.median_price_egp AS DOUBLE) AS index_median_on_day, own.sales30_median
FROM sales t
LEFT JOIN own USING (transaction_event_id)
-- baseline 1: the index median of the product and condition on the sale's day (or the latest before)
ASOF LEFT JOIN base_idx b ON t.product_id = b.product_id AND t.condition = b.condition AND t.day >= b.index_date
{CONTEXT_JOINS}
ORDER BY t.occurred_at, t.transaction_event_id
"""

# The marketplace's listings for sale, each at its current price (the snapshot's open version), with the
# listing id (the URL's last segment) and when its price last changed.
LISTINGS_SQL = f"""
WITH cur AS (
    SELECT regexp_extract(s.url, '[^/]+$') AS listing_id, s.product_id, s.condition,
           CAST(s.price_egp AS DOUBLE) AS price_egp, s.price_changed_at, s.last_seen_at,
           d.seller_name AS seller_id, p.brand, p.model, p.storage_gb, p.ram_gb, p.release_year,
           p.product_name, CAST(s.last_seen_at AS DATE) + 1 AS day
    FROM snapshots.snap_listing_prices s
    JOIN marts.dim_source src USING (source_id)
    JOIN marts.dim_product p USING (product_id)
    LEFT JOIN marts.dim_seller d USING (seller_id)
    WHERE s.dbt_valid_to IS NULL AND src.source_type = 'marketplace' AND s.condition IS NOT NULL
      AND s.price_changed_at >= CAST(? AS TIMESTAMP)
), {CONTEXT_SQL}
SELECT t.*, datediff('day', DATE '1970-01-01', t.day) AS day_number, {CONTEXT_COLUMNS},
       (SELECT median(x.amount_egp) FROM marts.fct_transactions x
        WHERE x.event_type = 'sale_completed' AND x.product_id = t.product_id AND x.condition = t.condition
          AND CAST(x.occurred_at AS DATE) BETWEEN t.day - 30 AND t.day - 1) AS sales30_median
FROM cur t {CONTEXT_JOINS}
ORDER BY t.listing_id
"""


def columns(rel: duckdb.DuckDBPyRelation) -> dict[str, np.ndarray]:
    """A query result as numpy columns (strings as object arrays, missing numbers as NaN)."""
    out = {}
    for name, values in rel.fetchnumpy().items():
        if np.ma.isMaskedArray(values):
            values = values.astype(float).filled(np.nan) if values.dtype.kind in "iuf" else values.filled(None)
        out[name] = np.asarray(values)
    out["day"] = out.pop("day_number").astype(float)
    return out


def load_sales(
    con: duckdb.DuckDBPyConnection, limit: int | None = None, since: str | None = None
) -> dict[str, np.ndarray]:
    """Realized sales (sale_completed in EGP) with features, market context and the two baselines; the
    newest `limit`, or those from `since` (a date), when given."""
    where = ""
    if since:
        where = f"AND x.occurred_at >= CAST('{np.datetime64(since, 'D')}' AS DATE)"
    if limit:
        where = (
            "AND x.occurred_at >= (SELECT min(occurred_at) FROM (SELECT occurred_at FROM marts.fct_transactions "
            f"WHERE event_type = 'sale_completed' ORDER BY occurred_at DESC LIMIT {int(limit)}))"
        )
    try:
        cols = columns(con.sql(SALES_SQL.replace("{where}", where)))
    except duckdb.CatalogException as err:
        raise EmptyWarehouse(
            f"the warehouse has no star schema to train on (build it: make dbt-build): {err}"
        ) from None
    if len(cols["price"]) == 0:
        raise EmptyWarehouse("the warehouse has no realized sales (sale_completed transactions) to train on")
    if limit and len(cols["price"]) > limit:  # sales tied with the oldest of the newest `limit` came too
        cols = {k: v[-limit:] for k, v in cols.items()}
    return cols


def load_listings(con: duckdb.DuckDBPyConnection, changed_since: str = "1970-01-01") -> dict[str, np.ndarray]:
    try:
        return columns(con.execute(LISTINGS_SQL, [changed_since]))
    except duckdb.CatalogException as err:
        # `dbt run` builds no snapshot; the listings' current prices come from it
        raise EmptyWarehouse(
            f"the warehouse has no listing snapshot to score (build it: make dbt-build): {err}"
        ) from None


# The market context of every catalog product in every condition as of the day after the newest index day:
# what the HTTP endpoint prices a listing against.
CURRENT_CONTEXT_SQL = f"""
WITH cur AS (
    SELECT p.product_id, c.condition, p.brand, p.model, p.storage_gb, p.ram_gb, p.release_year,
           (SELECT max(index_date) FROM marts.mart_market_price_index) + 1 AS day
    FROM marts.dim_product p
    CROSS JOIN (VALUES ('new'), ('like_new'), ('refurbished'), ('used')) c(condition)
    WHERE p.is_resolved
), {CONTEXT_SQL}
SELECT t.*, datediff('day', DATE '1970-01-01', t.day) AS day_number, {CONTEXT_COLUMNS},
       (SELECT median(x.amount_egp) FROM marts.fct_transactions x
        WHERE x.event_type = 'sale_completed' AND x.product_id = t.product_id AND x.condition = t.condition
          AND CAST(x.occurred_at AS DATE) BETWEEN t.day - 30 AND t.day - 1) AS sales30_median
FROM cur t {CONTEXT_JOINS}
"""


def load_current_context(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    return columns(con.sql(CURRENT_CONTEXT_SQL))


def snapshot(con: duckdb.DuckDBPyConnection) -> dict:
    """What the training data was: counts and bounds, to record beside a model."""
    n, first, last, total = con.sql(
        "SELECT count(*), min(occurred_at), max(occurred_at), sum(amount_egp) FROM marts.fct_transactions "
        "WHERE event_type = 'sale_completed'"
    ).fetchone()
    return {"sales": n, "first_sale": str(first), "last_sale": str(last), "sales_egp_total": str(total)}
