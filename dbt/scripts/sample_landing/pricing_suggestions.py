"""Generator of the pricing engine's suggestions for listings and products in a condition."""

from __future__ import annotations

import duckdb

from sample_landing.options import Options
from sample_landing.setup import product_title_sql

DUP_PCT = 0.01
LATE_PCT = 0.0


def generate(con: duckdb.DuckDBPyConnection, opts: Options) -> str:
    n = max(20, opts.rows // 50)
    con.execute(
        f"""CREATE TABLE suggestions AS
        WITH s AS (
            SELECT i, u(i, 'sp') * (SELECT sum(weight) FROM products) AS prod_u, u(i, 'sst') AS st_u,
                   u(i, 'sc') AS cond_u,
                   CAST(t0() + to_seconds(CAST(u(i, 'sg') * (span_s() - 60) AS BIGINT)) AS TIMESTAMP) AS gen_at,
                   CASE WHEN u(i, 'sl') < 0.7 THEN mkt_listing_id(50000000 + hash(i, 'sl') % {max(20, opts.rows // 25)})
                        END AS listing_id
            FROM range(0, {n}) r(i)
        ), sp AS (
            -- a suggestion for a marketplace listing prices that listing's product, storage and condition
            -- (mkt_listings: the transactions generator, which runs first), so it meets its sale like for like
            SELECT s.*, p.*,
                   coalesce(m.st, p.storages[1 + CAST(floor(st_u * len(p.storages)) AS INTEGER)]) AS st,
                   coalesce(m.condition, CASE WHEN cond_u < 0.55 THEN 'used' WHEN cond_u < 0.8 THEN 'like_new'
                        WHEN cond_u < 0.92 THEN 'refurbished' ELSE 'new' END) AS condition
            FROM s LEFT JOIN mkt_listings m USING (listing_id)
            JOIN products_w p ON CASE WHEN m.product_idx IS NULL THEN s.prod_u >= p.lo AND s.prod_u < p.hi_w
                                      ELSE p.product_idx = m.product_idx END
        )
        SELECT i AS row_idx, uuid_of('sugg|' || i) AS suggestion_id, listing_id,
               {product_title_sql("sp")} AS product_title, condition,
               CAST(round(new_price * (1 + 0.35 * log2(st / storages[1])) *
                    CASE condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78
                    ELSE 0.68 END * (0.95 + 0.1 * u(i, 'spr')) * depr(product_idx, gen_at) * deval(gen_at) / 10) * 10
                    AS DECIMAL(14, 2)) AS suggested_price,
               'EGP' AS currency, round(0.55 + 0.45 * u(i, 'scf'), 3) AS confidence,
               -- the 80 % interval of the contract's second version; the older half of the engine's
               -- versions wrote none
               CASE WHEN u(i, 'mv') >= 0.5 THEN CAST(round(suggested_price * 0.9 / 10) * 10 AS DECIMAL(14, 2))
                    END AS price_low,
               CASE WHEN u(i, 'mv') >= 0.5 THEN CAST(round(suggested_price * 1.1 / 10) * 10 AS DECIMAL(14, 2))
                    END AS price_high,
               CAST(NULL AS VARCHAR) AS reason,
               CASE WHEN u(i, 'mv') < 0.5 THEN 'pricer-2026.10.2' ELSE 'pricer-2026.11.1' END AS model_version,
               gen_at AS generated_at,
               CAST(round(suggested_price * (0.86 + 0.04 * u(i, 'slo')) / 10) * 10 AS DECIMAL(14, 2)) AS price_low,
               CAST(round(suggested_price * (1.10 + 0.04 * u(i, 'shi')) / 10) * 10 AS DECIMAL(14, 2)) AS price_high,
               CASE WHEN confidence < 0.6 THEN 'few recent sales of this model' END AS reason,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM sp"""
    )
    return "suggestions"
