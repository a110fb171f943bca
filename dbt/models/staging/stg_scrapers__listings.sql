-- One row per landed copy of a listing observation (duplicates across windows are kept here and
-- removed in int_listings__deduped). Light cleaning only: trimming, casing, empty strings to null.
with landed as (
    {{ landing_scan('listings_scraped') }}
)

select
    event_id,
    lower(trim(source)) as source,
    lower(trim(source_domain)) as source_domain,
    lower(trim(source_type)) as source_type,
    trim(url) as url,
    title,
    price_text,
    upper(nullif(trim(currency_hint), '')) as currency_hint,
    nullif(trim(seller_name), '') as seller_name,
    condition_text,
    availability,
    scraped_at,
    raw_json,
    brand,
    model,
    color,
    condition,
    coalesce(listing_type, 'sale') as listing_type,
    storage_gb,
    ram_gb,
    confidence,
    price_amount,
    upper(price_currency) as price_currency,
    price_egp,
    kafka_partition,
    kafka_offset,
    schema_id,
    ingested_at,
    ingest_date
from landed
