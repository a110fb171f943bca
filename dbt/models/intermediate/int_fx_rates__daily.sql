-- Ephemeral: a few hundred rows, read once (by int_listings__resolved); inlined instead of a view node.
{{ config(materialized='ephemeral') }}

-- EGP per unit of each currency for every day a market FX rate applies to: the rate of the latest
-- rate_date within the 7 days up to that day (rate_date <= day < rate_date + 8). A re-uploaded rate for
-- the same rate_date replaces the earlier one. One row per (currency, rate_day), so listings join it on
-- equality (currency, scrape date) instead of searching a date range per observation.
with fx_rows as (
    select * from {{ ref('stg_market__reference_prices') }}
    where kind = 'fx_rate' and fx_quote = 'EGP' and fx_rate > 0
),

latest as (
    {{ dedupe('select * from fx_rows', 'fx_base, effective_date', 'loaded_at desc, record_id desc') }}
),

days_after as (
    select v.n from (values (0), (1), (2), (3), (4), (5), (6), (7)) as v (n)
),

covered as (
    select
        l.fx_base as currency,
        cast({{ dbt.dateadd('day', 'd.n', 'l.effective_date') }} as date) as rate_day,
        l.effective_date as rate_date,
        l.fx_rate as egp_per_unit
    from latest as l
    cross join days_after as d
),

newest as (
    {{ dedupe('select * from covered', 'currency, rate_day', 'rate_date desc') }}
)

select
    currency,
    rate_day,
    rate_date,
    egp_per_unit
from newest
