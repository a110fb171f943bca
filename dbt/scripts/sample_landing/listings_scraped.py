"""Generator of the scraped listings: listings on several sources observed repeatedly over the period with
price changes (the topic with the ``listing`` hook)."""

from __future__ import annotations

import duckdb

from sample_landing.options import Options
from sample_landing.reference_data import COLORS, PEOPLE, STORES
from sample_landing.setup import sql_array

DUP_PCT = 0.03
LATE_PCT = 0.02

LISTINGS_SQL = """
CREATE TABLE listings AS
WITH l AS (
    SELECT i AS l_idx, u(i, 'src') * 100 AS src_u, u(i, 'prod') * (SELECT sum(weight) FROM products) AS prod_u,
           u(i, 'st') AS st_u, u(i, 'cond') AS cond_u, u(i, 'price') AS price_u, u(i, 'first') AS first_u,
           hi(i, 'color', 10) AS color_idx, hi(i, 'seller', 1000) AS seller_h, u(i, 'cur') AS cur_u,
           u(i, 'wanted') AS wanted_u, u(i, 'unk') AS unk_u, u(i, 'ar') AS ar_u, hi(i, 'chg', 6) AS chg_every,
           u(i, 'nochg') AS nochg_u
    FROM range(0, {n_listings}) r(i)
)
SELECT l.*, s.source, s.source_domain, s.source_type,
       p.product_idx, p.brand, p.brand_display, p.model, p.model_display, p.title_ar, p.ram_gb, p.new_price,
       p.storages,
       p.storages[1 + CAST(floor(st_u * len(p.storages)) AS INTEGER)] AS storage_gb,
       CASE WHEN s.source IN ('noon', 'amazon', 'mobilemasr') THEN
                CASE WHEN cond_u < 0.70 THEN 'new' WHEN cond_u < 0.90 THEN 'refurbished'
                     WHEN cond_u < 0.97 THEN 'like_new' ELSE NULL END
            ELSE CASE WHEN cond_u < 0.60 THEN 'used' WHEN cond_u < 0.82 THEN 'like_new'
                      WHEN cond_u < 0.90 THEN 'new' WHEN cond_u < 0.96 THEN 'refurbished' ELSE NULL END
       END AS condition,
       c.color,
       CASE WHEN s.source_type = 'classifieds' THEN {people}[1 + seller_h % {n_people}]
            WHEN s.source = 'marketplace' THEN 'user_' || lpad(CAST(seller_h AS VARCHAR), 4, '0')
            WHEN s.source = 'mobilemasr' THEN 'Mobile Masr'
            WHEN seller_h % 13 = 0 THEN NULL
            ELSE {stores}[1 + seller_h % {n_stores}] END AS seller_name,
       CASE WHEN s.source = 'amazon' AND cur_u < 0.25 THEN 'USD'
            WHEN s.source = 'dubizzle' AND cur_u < 0.01 THEN 'SAR'
            WHEN s.source = 'noon' AND cur_u < 0.02 THEN 'AED'
            ELSE 'EGP' END AS price_currency,
       CASE WHEN s.source_type = 'classifieds' AND wanted_u < 0.015 THEN 'wanted' ELSE 'sale' END AS listing_type,
       unk_u < 0.02 AS unknown_model,
       first_u * 0.6 * span_s() AS first_offset_s
FROM l
JOIN sources_w s ON l.src_u >= s.lo AND l.src_u < s.hi_w
JOIN products_w p ON l.prod_u >= p.lo AND l.prod_u < p.hi_w
CROSS JOIN LATERAL (SELECT {colors}[1 + l.color_idx] AS color) c
"""

OBS_SQL = """
CREATE TABLE obs AS
WITH o AS (
    SELECT i AS o_idx, i % {n_listings} AS l_idx, i // {n_listings} AS k FROM range(0, {rows}) r(i)
), per AS (
    SELECT o.*, l.*,
           (span_s() - l.first_offset_s) / {obs_per_listing} AS step_s
    FROM o JOIN listings l USING (l_idx)
), t AS (
    SELECT per.*,
           t0() + to_microseconds(CAST((first_offset_s + k * step_s + u(o_idx, 'jit') * step_s * 0.5) * 1e6 AS BIGINT))
               AS scraped_at_raw,
           -- price drifts down in steps every few observations (some listings never change)
           CASE WHEN nochg_u < 0.3 THEN 1.0 ELSE power(0.97, k // (chg_every + 2)) END AS drift
    FROM per
)
SELECT t.*, date_trunc('second', scraped_at_raw) AS scraped_at,
       new_price * (1 + 0.35 * log2(storage_gb / storages[1])) *
       CASE condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78
                      WHEN 'used' THEN 0.68 ELSE 0.75 END *
       (0.88 + 0.24 * price_u) * drift
       -- the product's depreciation, the EGP devaluation step, the source's view of the product (trends.py)
       * depr(product_idx, scraped_at_raw) * deval(scraped_at_raw) * src_bias(source, product_idx) AS price_egp_true
FROM t
"""

LISTING_ROWS_SQL = """
CREATE TABLE listing_rows AS
WITH b AS (
    SELECT o.*,
        fx.rate AS fx_rate, fx.known_to_stream AS fx_known,
        CASE WHEN listing_type = 'wanted' OR u(o_idx, 'na') < 0.01 THEN NULL
             WHEN price_currency = 'EGP' THEN round(price_egp_true / 50) * 50
             ELSE round(price_egp_true / fx.rate, 0) END AS amount,
        'https://www.' || source_domain || '/' ||
        CASE source WHEN 'noon' THEN 'egypt-en/' || replace(lower(brand_display || '-' || model_display), ' ', '-')
                                     || '/N' || lpad(CAST(l_idx AS VARCHAR), 8, '0') || 'V/p/'
                    WHEN 'dubizzle' THEN 'ad/' || replace(lower(model_display), ' ', '-') || '-ID'
                                     || CAST(100000000 + l_idx AS VARCHAR) || '.html'
                    WHEN 'amazon' THEN 'dp/B0' || upper(substr(md5(CAST(l_idx AS VARCHAR)), 1, 8))
                    -- the marketplace's own listing ids, the ones its orders and the price suggestions name
                    WHEN 'marketplace' THEN 'listing/' || mkt_listing_id(l_idx)
                    ELSE 'listing/' || CAST(l_idx AS VARCHAR) END AS url,
        CASE WHEN source_type = 'classifieds' AND ar_u < 0.4 THEN 'ar' ELSE 'en' END AS lang
    FROM obs o
    LEFT JOIN fx ON fx.day = CAST(o.scraped_at AS DATE) AND fx.cur = o.price_currency
)
SELECT
    sha256(source || '|' || url || '|' || strftime(scraped_at, '%Y-%m-%dT%H:%M:%SZ')) AS event_id,
    source, source_domain, source_type, url,
    CASE WHEN unknown_model THEN
            CASE WHEN lang = 'ar' THEN 'موبايل للبيع حالة ممتازة' ELSE 'Smart phone for sale, good condition' END
         WHEN lang = 'ar' THEN
            CASE WHEN listing_type = 'wanted' THEN 'مطلوب ' ELSE '' END || title_ar || ' ' ||
            CASE WHEN storage_gb = 1024 THEN '1 تيرا' ELSE CAST(storage_gb AS VARCHAR) || ' جيجا' END ||
            CASE condition WHEN 'new' THEN ' جديد متبرشم' WHEN 'like_new' THEN ' كسر زيرو'
                           WHEN 'used' THEN ' مستعمل' WHEN 'refurbished' THEN ' متجدد' ELSE '' END
         ELSE
            CASE WHEN listing_type = 'wanted' THEN 'Wanted: ' ELSE '' END || brand_display || ' ' || model_display ||
            ' ' || CASE WHEN storage_gb = 1024 THEN '1TB' ELSE CAST(storage_gb AS VARCHAR) || 'GB' END ||
            CASE WHEN ram_gb IS NOT NULL AND source = 'noon'
                 THEN ' ' || CAST(ram_gb AS VARCHAR) || 'GB RAM' ELSE '' END ||
            ' ' || upper(substr(color, 1, 1)) || substr(color, 2) ||
            CASE condition WHEN 'new' THEN '' WHEN 'like_new' THEN ' - Like New' WHEN 'used' THEN ' - Used'
                           WHEN 'refurbished' THEN ' (Renewed)' ELSE '' END
    END AS title,
    CASE WHEN amount IS NULL THEN CASE WHEN listing_type = 'wanted' THEN NULL ELSE 'Not Available' END
         WHEN price_currency = 'USD' THEN '$' || format('{:,.2f}', amount)
         WHEN price_currency <> 'EGP' THEN price_currency || ' ' || format('{:,}', CAST(amount AS BIGINT))
         WHEN source = 'noon' THEN 'EGP ' || format('{:,.2f}', amount)
         WHEN lang = 'ar' THEN format('{:,}', CAST(amount AS BIGINT)) || ' جنيه'
         ELSE format('{:,}', CAST(amount AS BIGINT)) || ' EGP' END AS price_text,
    CASE WHEN source_type = 'classifieds' THEN NULL ELSE price_currency END AS currency_hint,
    seller_name,
    CASE condition WHEN 'new' THEN CASE WHEN lang = 'ar' THEN 'جديد' ELSE 'New' END
                   WHEN 'like_new' THEN CASE WHEN lang = 'ar' THEN 'كسر زيرو' ELSE 'Open box' END
                   WHEN 'used' THEN CASE WHEN lang = 'ar' THEN 'حالة ممتازة' ELSE 'Very good' END
                   WHEN 'refurbished' THEN 'Renewed'
                   ELSE CASE WHEN u(o_idx, 'bat') < 0.5 THEN '90%' ELSE NULL END END AS condition_text,
    CASE WHEN source_type = 'classifieds' THEN NULL
         WHEN u(o_idx, 'oos') < 0.05 THEN 'out_of_stock' ELSE 'in_stock' END AS availability,
    scraped_at,
    '{"sku":"' || upper(substr(md5(url), 1, 10)) || '","page":"' || CAST(1 + hi(o_idx, 'page', 20) AS VARCHAR)
        || '"}' AS raw_json,
    CASE WHEN unknown_model THEN NULL ELSE brand END AS brand,
    CASE WHEN unknown_model THEN NULL ELSE model END AS model,
    CASE WHEN lang = 'ar' OR unknown_model THEN NULL ELSE color END AS color,
    condition, listing_type,
    CAST(CASE WHEN unknown_model THEN NULL ELSE storage_gb END AS INTEGER) AS storage_gb,
    CAST(CASE WHEN unknown_model OR source <> 'noon' THEN NULL ELSE ram_gb END AS INTEGER) AS ram_gb,
    CAST(CASE WHEN unknown_model THEN 0.2 ELSE 0.9 + 0.1 * u(l_idx, 'conf') END AS DOUBLE) AS confidence,
    CAST(amount AS DECIMAL(14, 2)) AS price_amount,
    CASE WHEN amount IS NULL THEN NULL ELSE price_currency END AS price_currency,
    CAST(CASE WHEN amount IS NULL THEN NULL WHEN price_currency = 'EGP' THEN amount
              WHEN fx_known THEN amount * fx_rate ELSE NULL END AS DECIMAL(14, 2)) AS price_egp,
    o_idx AS row_idx
FROM b
"""


def corrupt(con: duckdb.DuckDBPyConnection) -> None:
    """Make the newest listings file carry a negative price and an unknown condition (for quality tests)."""
    con.execute(
        """UPDATE listing_rows SET price_amount = -1500.00, price_egp = -1500.00, price_currency = 'EGP'
           WHERE row_idx = (SELECT max(row_idx) FROM listing_rows WHERE price_currency = 'EGP')"""
    )
    con.execute(
        """UPDATE listing_rows SET condition = 'broken', condition_text = 'for parts / broken screen'
           WHERE row_idx = (SELECT max(row_idx) - 1 FROM listing_rows)"""
    )


def generate(con: duckdb.DuckDBPyConnection, opts: Options) -> str:
    n_listings = max(20, opts.rows // 12)
    obs_per_listing = -(-opts.rows // n_listings)
    con.execute(
        LISTINGS_SQL.format(
            n_listings=n_listings,
            people=sql_array(PEOPLE),
            n_people=len(PEOPLE),
            stores=sql_array(STORES),
            n_stores=len(STORES),
            colors=sql_array(COLORS),
        )
    )
    con.execute(OBS_SQL.format(n_listings=n_listings, rows=opts.rows, obs_per_listing=obs_per_listing))
    con.execute(LISTING_ROWS_SQL)
    if opts.corrupt:
        corrupt(con)
    return "listing_rows"
