"""Generator of marketplace user activity: sessions of views, searches, favourites and seller contacts."""

from __future__ import annotations

import duckdb

from sample_landing.options import Options
from sample_landing.reference_data import PRODUCTS

DUP_PCT = 0.01
LATE_PCT = 0.01


def generate(con: duckdb.DuckDBPyConnection, opts: Options) -> str:
    n = max(50, opts.rows // 4)
    con.execute(
        f"""CREATE TABLE activity AS
        SELECT i AS row_idx, uuid_of('act|' || i) AS event_id,
               'user_' || lpad(CAST(hash(i // 7, 'au') % 9000 AS VARCHAR), 4, '0') AS user_id,
               uuid_of('sess|' || (i // 7)) AS session_id,
               CASE WHEN u(i, 'at') < 0.62 THEN 'listing_view' WHEN u(i, 'at') < 0.82 THEN 'search'
                    WHEN u(i, 'at') < 0.93 THEN 'favourite_added' ELSE 'seller_contacted' END AS activity_type,
               CASE WHEN u(i, 'at') >= 0.62 AND u(i, 'at') < 0.82 THEN NULL
                    ELSE 'mkt-' || lpad(CAST(hash(i, 'al') % 50000 AS VARCHAR), 6, '0') END AS listing_id,
               CASE WHEN u(i, 'at') >= 0.62 AND u(i, 'at') < 0.82 THEN
                    (SELECT lower(model_display) FROM products WHERE product_idx = hash(i, 'aq') % {len(PRODUCTS)})
                    ELSE NULL END AS search_query,
               CASE WHEN u(i // 7, 'dev') < 0.6 THEN 'android' WHEN u(i // 7, 'dev') < 0.85 THEN 'ios'
                    ELSE 'web' END AS device,
               -- sessions (7 events each) fall on days by demand: weekly and seasonal waves
               CAST(t0() + to_seconds(CAST(d.day_idx * 86400 + u(i // 7, 'asd') * (86400 - 3600) AS BIGINT)
                    + (i % 7) * 40) AS TIMESTAMP) AS occurred_at
        FROM range(0, {n}) r(i)
        JOIN demand({opts.days}) d ON u(i // 7, 'as') * d.total >= d.lo AND u(i // 7, 'as') * d.total < d.hi
        ORDER BY i"""
    )
    return "activity"
