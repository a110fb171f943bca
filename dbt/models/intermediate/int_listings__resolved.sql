-- Ephemeral: read only by fact_used_phone_listings, which applies the incremental filter on ingested_at
-- (pushed down to the int_listings__deduped scan). Inlined there instead of materialising a second
-- 1M-row copy of the observations next to the fact.
{{ config(materialized='ephemeral') }}

-- Deduplicated observations resolved to the star schema's keys, with a price in EGP: the landing's
-- price_egp when the stream job knew the rate, else the amount itself for EGP, else the latest market
-- FX rate of the 7 days up to the scrape date.
with priced as (
    select
        l.*,
        case
            when l.price_egp is not null then l.price_egp
            when l.price_currency = 'EGP' then l.price_amount
            else cast(round(l.price_amount * fx.egp_per_unit, 2) as decimal(14, 2))
        end as price_egp_resolved,
        case
            when l.price_egp is not null then 'landing'
            when l.price_currency = 'EGP' then 'egp'
            when fx.egp_per_unit is not null then 'fx_reference'
        end as price_egp_source,
        {{ surrogate_key(['l.event_id']) }} as event_md5
    from {{ ref('int_listings__deduped') }} as l
    left join {{ ref('int_fx_rates__daily') }} as fx
        on
            l.price_egp is null
            and l.price_amount is not null
            and l.price_currency <> 'EGP'
            and l.price_currency = fx.currency
            and cast(l.scraped_at as date) = fx.rate_day
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
