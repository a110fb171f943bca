-- Deduplicated observations resolved to the star schema's keys, with a price in EGP: the landing's
-- price_egp when the stream job knew the rate, else the amount itself for EGP, else the latest market
-- FX rate of the 7 days up to the scrape date. Incremental on arrival time like the dedupe it reads.
{{
    config(
        materialized='incremental',
        unique_key='listing_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with listings as (
    select * from {{ ref('int_listings__deduped') }}
    {{ incremental_arrivals() }}
),

fx as (
    select * from {{ ref('int_fx_rates__daily') }}
),

fx_candidates as (
    select
        l.event_id,
        fx.egp_per_unit,
        row_number() over (partition by l.event_id order by fx.rate_date desc) as fx_rank
    from listings as l
    inner join fx
        on
            l.price_currency = fx.currency
            and fx.rate_date <= cast(l.scraped_at as date)
            and fx.rate_date > {{ dbt.dateadd('day', -8, 'cast(l.scraped_at as date)') }}
    where l.price_egp is null and l.price_amount is not null and l.price_currency <> 'EGP'
),

priced as (
    select
        l.*,
        case
            when l.price_egp is not null then l.price_egp
            when l.price_currency = 'EGP' then l.price_amount
            else cast(round(l.price_amount * f.egp_per_unit, 2) as decimal(14, 2))
        end as price_egp_resolved,
        case
            when l.price_egp is not null then 'landing'
            when l.price_currency = 'EGP' then 'egp'
            when f.egp_per_unit is not null then 'fx_reference'
        end as price_egp_source,
        {{ surrogate_key(['l.event_id']) }} as event_md5
    from listings as l
    left join fx_candidates as f
        on l.event_id = f.event_id and f.fx_rank = 1
)

select
    {{ uuid_from_md5('event_md5') }} as listing_id,
    event_id,
    {{ surrogate_key(['brand', 'model', 'storage_gb']) }} as product_id,
    {{ surrogate_key(['source_domain']) }} as source_id,
    {{ surrogate_key(['source_domain', 'seller_name']) }} as seller_id,
    {{ surrogate_key(['url']) }} as url_id,
    {{ date_key('cast(scraped_at as date)') }} as date_id,
    {{ date_key('ingest_date') }} as ingest_date_id,
    source,
    source_domain,
    source_type,
    url,
    seller_name,
    title,
    brand,
    model,
    storage_gb,
    ram_gb,
    scraped_at,
    cast(scraped_at as date) as scraped_date,
    ingest_date,
    ingested_at,
    price_amount,
    price_currency,
    price_egp_resolved as price_egp,
    price_egp_source,
    condition,
    listing_type,
    availability,
    confidence
from priced
