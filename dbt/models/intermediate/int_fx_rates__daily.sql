-- Ephemeral: a few hundred rows, read once (by int_listings__resolved); inlined instead of a view node.
{{ config(materialized='ephemeral') }}

-- EGP per unit of each currency per day, from the fx_rate rows of the market data upload
-- (a re-uploaded rate for the same day replaces the earlier one).
with fx_rows as (
    select * from {{ ref('stg_market__reference_prices') }}
    where kind = 'fx_rate' and fx_quote = 'EGP' and fx_rate > 0
),

latest as (
    {{ dedupe('select * from fx_rows', 'fx_base, effective_date', 'loaded_at desc, record_id desc') }}
)

select
    fx_base as currency,
    effective_date as rate_date,
    fx_rate as egp_per_unit
from latest
