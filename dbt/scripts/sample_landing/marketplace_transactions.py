"""Generator of marketplace transactions: each order's steps (placed, paid, completed, sometimes refunded)."""

from __future__ import annotations

import duckdb

from sample_landing.options import Options
from sample_landing.setup import product_title_sql

DUP_PCT = 0.01
LATE_PCT = 0.01


def generate(con: duckdb.DuckDBPyConnection, opts: Options) -> str:
    n_orders = max(20, opts.rows // 25)
    con.execute(
        f"""CREATE TABLE transactions AS
        WITH o AS (
            SELECT i AS ord, u(i, 'tp') * (SELECT sum(weight) FROM products) AS prod_u, u(i, 'tst') AS st_u,
                   -- a day by demand (weekly, seasonal), leaving the last days for payment and completion
                   t0() + to_seconds(CAST((d.day_idx + u(i, 'ttd')) * 86400 AS BIGINT)) AS placed_at,
                   u(i, 'tcond') AS cond_u, u(i, 'tpay') AS pay_u, u(i, 'tflow') AS flow_u, u(i, 'tprice') AS price_u
            FROM range(0, {n_orders}) r(i)
            JOIN demand({max(1, opts.days - 3)}) d ON u(i, 'tt') * d.total >= d.lo AND u(i, 'tt') * d.total < d.hi
        ), op AS (
            SELECT o.*, p.*, p.storages[1 + CAST(floor(st_u * len(p.storages)) AS INTEGER)] AS st,
                   CASE WHEN cond_u < 0.55 THEN 'used' WHEN cond_u < 0.8 THEN 'like_new'
                        WHEN cond_u < 0.92 THEN 'refurbished' ELSE 'new' END AS condition
            FROM o JOIN products_w p ON o.prod_u >= p.lo AND o.prod_u < p.hi_w
        ), steps AS (
            SELECT op.*, s.step, s.event_type, s.offset_s
            FROM op CROSS JOIN (VALUES (0, 'order_placed', 0), (1, 'payment_captured', 420),
                                       (2, 'sale_completed', 172800), (3, 'refund_issued', 345600))
                 AS s(step, event_type, offset_s)
            WHERE s.step = 0 OR (s.step = 1 AND flow_u < 0.9) OR (s.step = 2 AND flow_u < 0.8)
               OR (s.step = 3 AND flow_u < 0.03)
        )
        SELECT row_number() OVER (ORDER BY ord, step) - 1 AS row_idx,
               uuid_of('txn|' || ord || '|' || step) AS event_id,
               'ord-' || lpad(CAST(ord AS VARCHAR), 8, '0') AS transaction_id,
               event_type,
               'mkt-' || lpad(CAST(hash(ord, 'tl') % 50000 AS VARCHAR), 6, '0') AS listing_id,
               'user_' || lpad(CAST(hash(ord, 'tb') % 9000 AS VARCHAR), 4, '0') AS buyer_id,
               'user_' || lpad(CAST(hash(ord, 'ts') % 1000 AS VARCHAR), 4, '0') AS seller_id,
               {product_title_sql("steps")} AS product_title,
               condition,
               CAST(round(new_price * (1 + 0.35 * log2(st / storages[1])) *
                    CASE condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78
                    ELSE 0.68 END * (0.9 + 0.2 * price_u) * depr(product_idx, placed_at) * deval(placed_at) / 50) * 50
                    AS DECIMAL(14, 2)) AS amount,
               'EGP' AS currency,
               CASE WHEN pay_u < 0.35 THEN 'card' WHEN pay_u < 0.6 THEN 'wallet' WHEN pay_u < 0.85
                    THEN 'cash_on_delivery' ELSE 'instapay' END AS payment_method,
               CAST(placed_at + to_seconds(offset_s + CAST(u(ord * 4 + step, 'tj') * 3600 AS BIGINT)) AS TIMESTAMP)
                   AS occurred_at,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM steps"""
    )
    return "transactions"
