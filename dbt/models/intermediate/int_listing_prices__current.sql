-- Incremental by listing: a run recomputes only the URLs that received newly loaded observations.
{{
    config(
        materialized='incremental',
        unique_key='url_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Current price of every listing URL (sale listings), with the time its current price was first seen:
-- the source of the SCD2 snapshot snap_listing_prices (timestamp strategy on price_changed_at, so a
-- new version starts exactly when the price changed, and re-scrapes at the same price add nothing).
with
{%- if is_incremental() %}
    touched as (
        select distinct url_id
        from {{ ref('int_listings__resolved') }}
        {{ incremental_arrivals('ingested_at', watermark_column='max_ingested_at') }}
    ),
{%- endif %}

obs as (
    select * from {{ ref('int_listings__resolved') }}
    where
        listing_type = 'sale'
        {%- if is_incremental() %}
            and url_id in (select t.url_id from touched as t)
        {%- endif %}
),

marks as (
    select
        url_id,
        max(ingested_at) as max_ingested_at
    from obs
    group by url_id
),

latest as (
    {{ dedupe('select * from obs', 'url_id', 'scraped_at desc, event_id desc') }}
),

last_other_price as (
    select
        o.url_id,
        max(o.scraped_at) as last_other_price_at
    from obs as o
    inner join latest as l on o.url_id = l.url_id
    where
        o.price_amount is distinct from l.price_amount
        or o.price_currency is distinct from l.price_currency
    group by o.url_id
),

current_run as (
    select
        o.url_id,
        min(o.scraped_at) as price_changed_at,
        count(*) as observations_at_price
    from obs as o
    left join last_other_price as d on o.url_id = d.url_id
    where d.last_other_price_at is null or o.scraped_at > d.last_other_price_at
    group by o.url_id
)

select
    l.url_id,
    l.url,
    l.source_id,
    l.product_id,
    l.seller_id,
    l.condition,
    l.price_amount,
    l.price_currency,
    l.price_egp,
    l.availability,
    r.price_changed_at,
    r.observations_at_price,
    l.scraped_at as last_seen_at,
    l.event_id as last_event_id,
    l.listing_id as last_listing_id,
    l.date_id as last_date_id,
    l.scraped_date as last_scraped_date,
    m.max_ingested_at
from latest as l
inner join current_run as r on l.url_id = r.url_id
inner join marks as m on l.url_id = m.url_id
