"""How prices and demand move over the generated period, as DuckDB macros the topic generators share.

- Depreciation: each product loses ``depreciation_pct`` a month (0.5x to 1.5x of it, per product and seed);
  prices are anchored at the last day, so earlier days are dearer and a later batch continues without a jump.
- EGP devaluation: from ``devaluation_date`` on, EGP prices and the EGP rate of every currency are
  ``devaluation_pct`` higher than before (prices in other currencies stay put). Anchored at the last day too.
- New-model launches: each brand launches on one day of the period (per seed); from then on its models
  released before its newest year are ``launch_drop_pct`` cheaper (anchored at the last day like the rest).
- Source bias: Noon and Mobile Masr disagree on each product by up to ``source_bias_pct`` either way (one
  dearer, the other cheaper by the same share).
- Demand: marketplace activity and orders follow a weekly pattern (busiest on the Egyptian weekend, Thursday
  to Saturday) and a yearly wave of +-``SEASONAL_AMPLITUDE``.

- Seller bias and time to sell: see marketplace_transactions.py (each seller's own bias; a listing priced
  above the market sells later, at a discount, or is withdrawn).

Everything is a function of the seed, the dates and the row: deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb

from sample_landing.options import Options
from sample_landing.reference_data import PRODUCTS, RELEASE_YEARS

# ISO day of week (1 = Monday) -> relative demand.
WEEKLY_DEMAND = {1: 0.95, 2: 0.95, 3: 1.0, 4: 1.15, 5: 1.3, 6: 1.2, 7: 0.95}
SEASONAL_AMPLITUDE = 0.15
# Demand peaks around this day of the year (late summer: back to school, year-end bonuses come later).
SEASONAL_PEAK_DOY = 240


def launch_dates(opts: Options) -> dict[str, dt.date]:
    """Each brand's launch day, a quarter to three quarters into the period (a hash of the brand and seed)."""
    out = {}
    for brand in sorted({p[0] for p in PRODUCTS}):
        frac = int(hashlib.sha256(f"{brand}|{opts.seed}".encode()).hexdigest()[:8], 16) / 2**32
        out[brand] = opts.start.date() + dt.timedelta(days=int(opts.days * (0.25 + 0.5 * frac)))
    return out


def launch_sql(opts: Options) -> str:
    """SQL of the launch factor of product p at ts: 1 after its brand's launch, dearer before (older models)."""
    newest = {}
    for p in PRODUCTS:
        newest[p[0]] = max(newest.get(p[0], 0), RELEASE_YEARS[p[2]])
    dates, before = launch_dates(opts), 1 / (1 - opts.launch_drop_pct / 100)
    cases = [
        f"WHEN {i} THEN CASE WHEN CAST(ts AS DATE) < DATE '{dates[p[0]]:%Y-%m-%d}' THEN {before!r} ELSE 1.0 END"
        for i, p in enumerate(PRODUCTS)
        if RELEASE_YEARS[p[2]] < newest[p[0]]
    ]
    return f"CASE p {' '.join(cases)} ELSE 1.0 END" if cases and opts.launch_drop_pct else "1.0"


def create(con: duckdb.DuckDBPyConnection, opts: Options) -> None:
    end = f"DATE '{opts.end_date:%Y-%m-%d}'"
    monthly = opts.depreciation_pct / 100
    # depr(p, ts): price factor of product p at ts relative to the last day (>= 1 before it): monthly loss
    # and the step when its brand launched a newer model
    con.execute(
        f"CREATE MACRO depr(p, ts) AS power(1 + {monthly} * (0.5 + u(p, 'depr')), "
        f"greatest(datediff('day', CAST(ts AS DATE), {end}), 0) / 30.0) * ({launch_sql(opts)})"
    )
    con.execute("CREATE MACRO mkt_listing_id(i) AS 'mkt-' || lpad(CAST(i AS VARCHAR), 8, '0')")
    if opts.devaluation_date is None or opts.devaluation_pct == 0:
        con.execute("CREATE MACRO deval(ts) AS 1.0")
    else:
        step = 1 + opts.devaluation_pct / 100
        con.execute(
            f"CREATE MACRO deval(ts) AS CASE WHEN CAST(ts AS DATE) >= DATE '{opts.devaluation_date:%Y-%m-%d}' "
            f"THEN 1.0 ELSE {1 / step!r} END"
        )
    bias = opts.source_bias_pct / 100
    con.execute(
        f"CREATE MACRO src_bias(source, p) AS CASE source "
        f"WHEN 'noon' THEN 1 + {bias} * (2 * u(p, 'srcbias') - 1) "
        f"WHEN 'mobilemasr' THEN 1 - {bias} * (2 * u(p, 'srcbias') - 1) ELSE 1.0 END"
    )
    weekly = " ".join(f"WHEN {d} THEN {w}" for d, w in WEEKLY_DEMAND.items())
    con.execute(
        f"""CREATE TABLE demand_days AS
        SELECT i AS day_idx, (CASE isodow(d) {weekly} END)
                   * (1 + {SEASONAL_AMPLITUDE} * cos(2 * pi() * (dayofyear(d) - {SEASONAL_PEAK_DOY}) / 365.0))
                   AS w
        FROM range(0, {opts.days}) r(i) CROSS JOIN LATERAL (SELECT CAST(t0() AS DATE) + CAST(i AS INTEGER) AS d)"""
    )
    # demand(n): the first n days with their cumulative demand, to pick a day for x in [0, 1) by
    # JOIN demand(n) d ON x * d.total >= d.lo AND x * d.total < d.hi
    con.execute(
        """CREATE MACRO demand(n) AS TABLE
        SELECT day_idx, sum(w) OVER (ORDER BY day_idx) - w AS lo, sum(w) OVER (ORDER BY day_idx) AS hi,
               sum(w) OVER () AS total
        FROM demand_days WHERE day_idx < n"""
    )
