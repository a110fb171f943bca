"""Generator of the uploaded market data: weekly retail prices per product and storage, and FX rates."""

from __future__ import annotations

import duckdb

from sample_landing.options import Options

DUP_PCT = 0.0
LATE_PCT = 0.0


def generate(con: duckdb.DuckDBPyConnection, opts: Options) -> str:
    con.execute(
        f"""CREATE TABLE reference AS
        WITH retail AS (
            SELECT 'retail_price' AS kind, p.brand, p.model, st,
                   p.brand_display || ' ' || p.model_display || ' ' ||
                       CASE WHEN st = 1024 THEN '1TB' ELSE CAST(st AS VARCHAR) || 'GB' END AS product_title,
                   CASE p.brand WHEN 'apple' THEN 'Apple Authorised Reseller EG' WHEN 'samsung' THEN 'Samsung Egypt'
                        ELSE 'Official store' END AS retailer,
                   CAST(round(p.new_price * 1.08 * (1 + 0.35 * log2(st / p.storages[1]))
                              * depr(p.product_idx, t0() + INTERVAL 7 DAY * w) * deval(t0() + INTERVAL 7 DAY * w)
                              / 100) * 100 AS DECIMAL(14, 2)) AS price,
                   'EGP' AS currency, NULL AS fx_base, NULL AS fx_quote, CAST(NULL AS DOUBLE) AS fx_rate,
                   CAST(t0() + INTERVAL 7 DAY * w AS DATE) AS effective_date, w
            FROM products p, unnest(p.storages) AS s(st), range(0, {max(1, opts.days // 7 + 1)}) r(w)
        ), fxr AS (
            SELECT 'fx_rate', NULL, NULL, NULL, NULL, NULL, NULL, NULL, cur, 'EGP', rate, day,
                   CAST(datediff('day', CAST(t0() AS DATE), day) // 7 AS BIGINT)
            FROM fx WHERE cur IN ('USD', 'AED') AND day <= CAST(t0() AS DATE) + {opts.days}
        ), allr AS (SELECT * FROM retail UNION ALL SELECT * FROM fxr)
        SELECT row_number() OVER (ORDER BY effective_date, kind, coalesce(product_title, fx_base)) - 1 AS row_idx,
               sha256(kind || '|' || coalesce(product_title, fx_base || '/' || fx_quote) || '|'
                      || CAST(effective_date AS VARCHAR)) AS record_id,
               kind, product_title, retailer, price, currency, fx_base, fx_quote, fx_rate, effective_date,
               'market_' || strftime(CAST(t0() AS DATE) + CAST(7 * w AS INTEGER), '%Y-%m-%d') || '.csv' AS source_file,
               CAST(1 + row_number() OVER (PARTITION BY w ORDER BY effective_date, kind,
                    coalesce(product_title, fx_base)) AS INTEGER) AS source_line,
               CAST(effective_date AS TIMESTAMP) + INTERVAL 7 HOUR + to_seconds(CAST(row_number() OVER
                    (PARTITION BY w ORDER BY kind, product_title) AS BIGINT)) AS loaded_at,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM allr"""
    )
    return "reference"
