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
-- Reads the fact (keys and EGP price already resolved). The window that orders each URL's observations
-- carries only the columns the price logic needs; the other columns of each URL's latest observation are
-- joined back by listing_id (a window over every column of ~1M rows costs a third more).
with
{%- if is_incremental() %}
    touched as (
        select distinct url_id
        from {{ ref('fact_used_phone_listings') }}
        {{ incremental_arrivals('ingested_at', watermark_column='max_ingested_at') }}
    ),
{%- endif %}

obs as (
    select
        url_id,
        listing_id,
        event_id,
        scraped_at,
        ingested_at,
        price_amount,
        price_currency
    from {{ ref('fact_used_phone_listings') }}
    where
        listing_type = 'sale'
        {%- if is_incremental() %}
            and url_id in (select t.url_id from touched as t)
        {%- endif %}
),

-- One window pass (the same partition and order three times: by URL, newest first) gives each
-- observation its rank and the URL's current price; the URL's last observation at another price then
-- bounds the current price's run.
ranked as (
    select
        o.*,
        row_number() over (
            partition by o.url_id order by o.scraped_at desc, o.event_id desc
        ) as recency_rank,
        first_value(o.price_amount) over (
            partition by o.url_id order by o.scraped_at desc, o.event_id desc
        ) as current_price_amount,
        first_value(o.price_currency) over (
            partition by o.url_id order by o.scraped_at desc, o.event_id desc
        ) as current_price_currency
    from obs as o
),

per_url as (
    select
        url_id,
        max(
            case
                when
                    price_amount is distinct from current_price_amount
                    or price_currency is distinct from current_price_currency
                    then scraped_at
            end
        ) as last_other_price_at,
        max(ingested_at) as max_ingested_at,
        max(case when recency_rank = 1 then listing_id end) as last_listing_id
    from ranked
    group by url_id
),

current_run as (
    select
        r.url_id,
        min(r.scraped_at) as price_changed_at,
        count(*) as observations_at_price
    from ranked as r
    inner join per_url as p on r.url_id = p.url_id
    where p.last_other_price_at is null or r.scraped_at > p.last_other_price_at
    group by r.url_id
),

-- The other columns of each URL's latest observation, by its listing_id (per_url already applied the
-- sale and touched-URL filters).
latest as (
    select
        listing_id,
        event_id,
        url_id,
        product_id,
        source_id,
        seller_id,
        date_id,
        scraped_at,
        scraped_date,
        condition,
        availability,
        price_amount,
        price_currency,
        price_egp
    from {{ ref('fact_used_phone_listings') }}
    where listing_id in (select pu.last_listing_id from per_url as pu)
)

select
    p.url_id,
    u.full_url as url,
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
    p.max_ingested_at
from per_url as p
inner join latest as l on p.last_listing_id = l.listing_id
inner join current_run as r on p.url_id = r.url_id
inner join {{ ref('dim_listing_url') }} as u on p.url_id = u.url_id
