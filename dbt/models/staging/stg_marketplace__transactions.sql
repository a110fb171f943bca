with landed as (
    {{ landing_scan('marketplace_transactions') }}
)

select
    event_id,
    transaction_id,
    event_type,
    listing_id,
    buyer_id,
    seller_id,
    product_title,
    condition,
    amount,
    upper(currency) as currency,
    payment_method,
    occurred_at,
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
