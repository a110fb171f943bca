{{
    config(
        materialized='incremental',
        unique_key='listing_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        cluster_by=['ingest_date'] if target.type == 'snowflake' else none,
        indexes=[{'columns': ['ingest_date']}, {'columns': ['product_id', 'scraped_date']}]
            if target.type == 'postgres' else [],
    )
}}

-- Grain: one observation of a listing at a scrape (event_id), loaded once. Incremental on arrival
-- time: rows landed since the newest loaded row; dedupe keeps each observation's first landed copy,
-- so an observation already loaded is never reloaded from a later re-sent copy. int_listings__resolved
-- is ephemeral: the arrival filter below reaches the int_listings__deduped scan, and the resolution
-- (keys, EGP price) runs only on the rows being loaded.
select
    listing_id,
    event_id,
    date_id,
    ingest_date_id,
    product_id,
    source_id,
    seller_id,
    url_id,
    scraped_at,
    scraped_date,
    ingest_date,
    ingested_at,
    title,
    price_amount,
    price_currency,
    price_egp,
    price_egp_source,
    condition,
    listing_type,
    availability,
    confidence
from {{ ref('int_listings__resolved') }}
{{ incremental_arrivals() }}
