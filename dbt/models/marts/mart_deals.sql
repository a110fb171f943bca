-- Active listings priced well below the market: each listing URL at its latest observation (from
-- int_listing_prices__current, maintained incrementally), seen in stock within var('deal_active_days') days
-- of the newest scrape, priced at least var('deal_threshold') below the median of the index for its product,
-- condition and day (an index resting on at least var('deal_min_index_listings') listings).
with latest as (
    select * from {{ ref('int_listing_prices__current') }}
    where price_egp > 0 and condition is not null
),

newest as (
    select max(last_seen_at) as newest_scrape_at from {{ ref('int_listing_prices__current') }}
),

active as (
    select latest.*
    from latest
    cross join newest
    where
        coalesce(latest.availability, 'in_stock') <> 'out_of_stock'
        and latest.last_seen_at
        >= {{ dbt.dateadd('day', -1 * var('deal_active_days') | int, 'newest.newest_scrape_at') }}
)

select
    a.url_id,
    a.last_listing_id as listing_id,
    a.product_id,
    a.source_id,
    a.seller_id,
    a.last_date_id as date_id,
    a.condition,
    a.price_egp,
    i.median_price_egp as index_median_price_egp,
    i.p25_price_egp as index_p25_price_egp,
    cast(i.n_listings as bigint) as index_n_listings,
    cast(round(1 - a.price_egp / i.median_price_egp, 4) as decimal(6, 4)) as discount_pct,
    a.last_seen_at,
    a.url as full_url
from active as a
inner join {{ ref('mart_market_price_index') }} as i
    on a.product_id = i.product_id and a.condition = i.condition and a.last_scraped_date = i.index_date
where
    i.n_listings >= {{ var('deal_min_index_listings') }}
    and a.price_egp <= i.median_price_egp * (1 - {{ var('deal_threshold') }})
