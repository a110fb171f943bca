with landed as (
    {{ landing_scan('pricing_suggestions') }}
)

select
    suggestion_id,
    listing_id,
    product_title,
    condition,
    suggested_price,
    upper(currency) as currency,
    confidence,
    model_version,
    generated_at,
    brand,
    model,
    storage_gb,
    ram_gb,
    kafka_partition,
    kafka_offset,
    schema_id,
    ingested_at,
    ingest_date
from landed
