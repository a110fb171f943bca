"""Generator of marketplace transactions: listings put up for sale on the marketplace and the orders that
follow (placed, paid, completed, sometimes refunded). ``sale_completed`` amounts are the realized prices.

The market: a listing's market price is the product's price for its storage and condition on the day it is
listed (depreciation, new-model launches, the devaluation step: trends.py). Each seller asks with their own
bias (up to ``seller_bias_pct`` above or below the market) plus a little noise. A listing asked above the
market takes longer to find a buyer, sells at a discount, or is withdrawn (no order at all); one still unsold
when the period ends has no order either. The marketplace listings of the scraped-listings topic come first,
under their listing ids, sellers, products and conditions; more are generated up to ``marketplace_listings``.
"""

from __future__ import annotations

import duckdb

from sample_landing.options import Options
from sample_landing.setup import product_title_sql

DUP_PCT = 0.01
LATE_PCT = 0.01

CANDIDATES_SQL = """
CREATE TABLE mkt_listings AS
WITH scraped AS (
    SELECT row_number() OVER (ORDER BY l_idx) - 1 AS j, mkt_listing_id(l_idx) AS listing_id, product_idx,
           storage_gb AS st, coalesce(condition, 'used') AS condition, seller_name AS seller_id
    FROM listings WHERE source = 'marketplace' AND listing_type = 'sale' AND NOT unknown_model
), gen AS (
    SELECT i AS j, u(i, 'tp') * (SELECT sum(weight) FROM products) AS prod_u, u(i, 'tst') AS st_u,
           u(i, 'tcond') AS cond_u,
           'user_' || lpad(CAST(hi(i, 'ts', {n_sellers}) AS VARCHAR), 4, '0') AS gen_seller,
           t0() + to_seconds(CAST((d.day_idx + u(i, 'ttd')) * 86400 AS BIGINT)) AS listed_at
    FROM range(0, {n}) r(i)
    JOIN demand({days}) d ON u(i, 'tt') * d.total >= d.lo AND u(i, 'tt') * d.total < d.hi
), c AS (
    SELECT g.j, g.listed_at, coalesce(s.listing_id, mkt_listing_id(50000000 + g.j)) AS listing_id,
           coalesce(s.product_idx, p.product_idx) AS product_idx,
           coalesce(s.st, p.storages[1 + CAST(floor(g.st_u * len(p.storages)) AS INTEGER)]) AS st,
           coalesce(s.condition, CASE WHEN g.cond_u < 0.55 THEN 'used' WHEN g.cond_u < 0.8 THEN 'like_new'
                                      WHEN g.cond_u < 0.92 THEN 'refurbished' ELSE 'new' END) AS condition,
           coalesce(s.seller_id, g.gen_seller) AS seller_id
    FROM gen g
    JOIN products_w p ON g.prod_u >= p.lo AND g.prod_u < p.hi_w
    LEFT JOIN scraped s USING (j)
)
SELECT c.*, p.brand, p.model, p.brand_display, p.model_display, p.storages,
       p.new_price * (1 + 0.35 * log2(c.st / p.storages[1])) *
       CASE c.condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78 ELSE 0.68 END
       * depr(c.product_idx, c.listed_at) * deval(c.listed_at) AS market_price,
       1 + {seller_bias} * (2 * u(c.seller_id, 'sbias') - 1) AS seller_bias
FROM c JOIN products p USING (product_idx)
"""

# Dearer than the market: withdrawn more often, sold later and at a discount. Orders after the period are
# left out (the listing is still on the market at its end).
ORDERS_SQL = """
CREATE TABLE mkt_orders AS
WITH a AS (
    SELECT *, market_price * seller_bias * (0.95 + 0.1 * u(j, 'tprice')) AS ask FROM mkt_listings
), o AS (
    SELECT *, greatest(ask / market_price - 1, 0) AS over FROM a
)
SELECT *, listed_at + to_seconds(CAST((0.3 + 2.5 * u(j, 'tdays')) * exp(10 * over) * 86400 AS BIGINT)) AS placed_at,
       round(ask * (1 - 0.5 * over) / 50) * 50 AS sale_price
FROM o
WHERE u(j, 'twd') >= least(0.9, 0.05 + 3 * over)
"""


def generate(con: duckdb.DuckDBPyConnection, opts: Options) -> str:
    n = opts.marketplace_listings or max(20, opts.rows // 25)
    con.execute(
        CANDIDATES_SQL.format(
            n=n,
            n_sellers=min(9999, max(300, n // 150)),
            days=max(1, opts.days - 3),
            seller_bias=opts.seller_bias_pct / 100,
        )
    )
    con.execute(ORDERS_SQL)
    con.execute(
        f"""CREATE TABLE transactions AS
        WITH op AS (
            SELECT *, u(j, 'tpay') AS pay_u, u(j, 'tflow') AS flow_u FROM mkt_orders
            WHERE placed_at < gen_end() - INTERVAL 3 DAY
        ), steps AS (
            SELECT op.*, s.step, s.event_type, s.offset_s
            FROM op CROSS JOIN (VALUES (0, 'order_placed', 0), (1, 'payment_captured', 420),
                                       (2, 'sale_completed', 172800), (3, 'refund_issued', 345600))
                 AS s(step, event_type, offset_s)
            WHERE s.step = 0 OR (s.step = 1 AND flow_u < 0.9) OR (s.step = 2 AND flow_u < 0.8)
               OR (s.step = 3 AND flow_u < 0.03)
        )
        SELECT row_number() OVER (ORDER BY j, step) - 1 AS row_idx,
               uuid_of('txn|' || j || '|' || step) AS event_id,
               'ord-' || lpad(CAST(j AS VARCHAR), 8, '0') AS transaction_id,
               event_type, listing_id,
               'user_' || lpad(CAST(hash(j, 'tb') % 9000 AS VARCHAR), 4, '0') AS buyer_id,
               seller_id,
               {product_title_sql("steps")} AS product_title,
               condition,
               CAST(sale_price AS DECIMAL(14, 2)) AS amount,
               'EGP' AS currency,
               CASE WHEN pay_u < 0.35 THEN 'card' WHEN pay_u < 0.6 THEN 'wallet' WHEN pay_u < 0.85
                    THEN 'cash_on_delivery' ELSE 'instapay' END AS payment_method,
               CAST(placed_at + to_seconds(offset_s + CAST(u(j * 4 + step, 'tj') * 3600 AS BIGINT)) AS TIMESTAMP)
                   AS occurred_at,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM steps"""
    )
    return "transactions"
