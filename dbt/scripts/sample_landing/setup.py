"""The DuckDB session every topic generator shares: random-number macros, sources, products, daily FX rates."""

from __future__ import annotations

import duckdb

from sample_landing import trends
from sample_landing.options import Options
from sample_landing.reference_data import PRODUCTS, RELEASE_YEARS, SOURCES_SQL


def sql_list(values: list) -> str:
    out = []
    for v in values:
        if isinstance(v, str):
            out.append("'" + v.replace("'", "''") + "'")
        elif isinstance(v, list):
            out.append("[" + ", ".join(str(x) for x in v) + "]")
        else:
            out.append(str(v))
    return "(" + ", ".join(out) + ")"


def sql_array(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def setup(con: duckdb.DuckDBPyConnection, opts: Options) -> None:
    seed, start, days = opts.seed, opts.start, opts.days
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET TimeZone = 'UTC'")
    # u(i, salt): a uniform number in [0, 1) derived from the row, the seed and a salt.
    con.execute(f"CREATE MACRO u(i, salt) AS (hash(i, salt, {seed}) % 1000003) / 1000003.0")
    con.execute(f"CREATE MACRO hi(i, salt, n) AS CAST(hash(i, salt, {seed}) % CAST(n AS UBIGINT) AS INTEGER)")
    con.execute(f"CREATE MACRO t0() AS TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}'")
    con.execute(f"CREATE MACRO span_s() AS {days * 86400}")
    con.execute(f"CREATE MACRO gen_end() AS TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' + INTERVAL {days} DAY")
    con.execute(
        "CREATE MACRO uuid_of(s) AS lower(substr(md5(s), 1, 8) || '-' || substr(md5(s), 9, 4) || '-4' || "
        "substr(md5(s), 14, 3) || '-a' || substr(md5(s), 18, 3) || '-' || substr(md5(s), 21, 12))"
    )
    con.execute(f"CREATE TABLE sources AS {SOURCES_SQL}")
    con.execute(
        "CREATE TABLE sources_w AS SELECT *, sum(weight) OVER (ORDER BY source_domain) - weight AS lo, "
        "sum(weight) OVER (ORDER BY source_domain) AS hi_w FROM sources"
    )
    rows = ",\n".join(sql_list([i, *p, RELEASE_YEARS[p[2]]]) for i, p in enumerate(PRODUCTS))
    con.execute(
        "CREATE TABLE products AS SELECT * FROM (VALUES " + rows + ") AS t(product_idx, brand, brand_display, "
        "model, model_display, title_ar, storages, ram_gb, new_price, weight, release_year)"
    )
    con.execute(
        "CREATE TABLE products_w AS SELECT *, sum(weight) OVER (ORDER BY product_idx) - weight AS lo, "
        "sum(weight) OVER (ORDER BY product_idx) AS hi_w FROM products"
    )
    trends.create(con, opts)
    # Daily FX rates (EGP per unit, at the level of the last day: lower before a devaluation); about one day
    # in ten has no USD rate known to the stream job.
    con.execute(
        f"""CREATE TABLE fx AS
        SELECT d::DATE AS day, c.cur,
               round(c.base * (1 + 0.02 * sin(i / 5.0) + 0.004 * (u(i, 'fx' || c.cur) - 0.5)) * deval(d), 4)
                   AS rate,
               u(i, 'fxknown' || c.cur) >= 0.1 AS known_to_stream
        FROM range(0, {days + 2}) r(i)
        CROSS JOIN (VALUES ('USD', 48.6), ('AED', 13.23), ('SAR', 12.95)) c(cur, base)
        CROSS JOIN LATERAL (SELECT t0() + INTERVAL 1 DAY * (i - 1) AS d)"""
    )


def product_title_sql(alias: str = "p") -> str:
    """A marketplace-style product title (brand, model, storage) from a products row joined as ``alias``."""
    return (
        f"{alias}.brand_display || ' ' || {alias}.model_display || ' ' || "
        f"CASE WHEN st = 1024 THEN '1TB' ELSE CAST(st AS VARCHAR) || 'GB' END"
    )
