-- Daily market price index per product and condition: median, p25 and p75 of the EGP price over the
-- listings seen that day (each listing counted once a day, at its last price of the day), listing
-- counts per source and where it was cheapest. Sale listings only, priced, with a known condition and
-- a product match at least var('index_min_confidence') sure.
-- Incremental by day: a run recomputes only the days that received newly loaded observations.
{{
    config(
        materialized='incremental',
        unique_key='index_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with
{%- if is_incremental() %}
    affected_days as (
        select distinct scraped_date
        from {{ ref('fact_used_phone_listings') }}
        {{ incremental_arrivals('ingested_at', watermark_column='max_ingested_at') }}
    ),
{%- endif %}

obs as (
    select
        f.url_id,
        f.product_id,
        f.condition,
        f.scraped_date,
        f.date_id,
        f.scraped_at,
        f.event_id,
        f.price_egp,
        f.ingested_at,
        s.source_name,
        s.source_type
    from {{ ref('fact_used_phone_listings') }} as f
    inner join {{ ref('dim_source') }} as s on f.source_id = s.source_id
    where
        f.listing_type = 'sale'
        and f.price_egp > 0
        and f.condition is not null
        and f.confidence >= {{ var('index_min_confidence') }}
        {%- if is_incremental() %}
            and f.scraped_date in (select a.scraped_date from affected_days as a)
        {%- endif %}
),

daily as (
    {{ dedupe('select * from obs', 'url_id, scraped_date', 'scraped_at desc, event_id desc') }}
),

per_source as (
    select
        product_id,
        condition,
        scraped_date,
        source_name,
        count(*) as n_listings
    from daily
    group by product_id, condition, scraped_date, source_name
),

source_lists as (
    select
        product_id,
        condition,
        scraped_date,
        {{ dbt.listagg(
            "source_name || '=' || cast(n_listings as " ~ dbt.type_string() ~ ")",
            "';'",
            "order by source_name") }} as listings_per_source,
        count(*) as n_sources
    from per_source
    group by product_id, condition, scraped_date
),

stats as (
    select
        product_id,
        condition,
        scraped_date,
        min(date_id) as date_id,
        count(*) as n_listings,
        sum(case when source_type = 'competitor' then 1 else 0 end) as n_competitor_listings,
        sum(case when source_type = 'classifieds' then 1 else 0 end) as n_classifieds_listings,
        sum(case when source_type = 'marketplace' then 1 else 0 end) as n_marketplace_listings,
        percentile_cont(0.5) within group (order by price_egp) as median_price,
        percentile_cont(0.25) within group (order by price_egp) as p25_price,
        percentile_cont(0.75) within group (order by price_egp) as p75_price,
        min(price_egp) as min_price,
        max(price_egp) as max_price,
        max(ingested_at) as max_ingested_at
    from daily
    group by product_id, condition, scraped_date
),

-- The cheapest listing of the day: only the rows at the day's minimum price (from stats) are ranked,
-- by source and URL for ties, instead of sorting every listing of the day by price.
cheapest_candidates as (
    select
        d.product_id,
        d.condition,
        d.scraped_date,
        d.source_name,
        d.url_id
    from daily as d
    inner join stats as s
        on
            d.product_id = s.product_id
            and d.condition = s.condition
            and d.scraped_date = s.scraped_date
            and d.price_egp = s.min_price
),

cheapest as (
    select
        product_id,
        condition,
        scraped_date,
        source_name as cheapest_source,
        url_id as cheapest_url_id
    from ({{ dedupe('select * from cheapest_candidates', 'product_id, condition, scraped_date',
                    'source_name, url_id', rank_column='price_rank') }}) as c
)

select
    {{ surrogate_key(['s.product_id', 's.condition', 's.scraped_date']) }} as index_id,
    s.product_id,
    s.condition,
    s.scraped_date as index_date,
    s.date_id,
    cast(s.median_price as decimal(14, 2)) as median_price_egp,
    cast(s.p25_price as decimal(14, 2)) as p25_price_egp,
    cast(s.p75_price as decimal(14, 2)) as p75_price_egp,
    cast(s.min_price as decimal(14, 2)) as min_price_egp,
    cast(s.max_price as decimal(14, 2)) as max_price_egp,
    cast(s.n_listings as bigint) as n_listings,
    cast(s.n_competitor_listings as bigint) as n_competitor_listings,
    cast(s.n_classifieds_listings as bigint) as n_classifieds_listings,
    cast(s.n_marketplace_listings as bigint) as n_marketplace_listings,
    cast(l.n_sources as bigint) as n_sources,
    l.listings_per_source,
    c.cheapest_source,
    c.cheapest_url_id,
    s.max_ingested_at
from stats as s
inner join source_lists as l
    on s.product_id = l.product_id and s.condition = l.condition and s.scraped_date = l.scraped_date
inner join cheapest as c
    on s.product_id = c.product_id and s.condition = c.condition and s.scraped_date = c.scraped_date
