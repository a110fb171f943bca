with landed as (
    {{ landing_scan('market_reference_prices') }}
)

select
    record_id,
    kind,
    product_title,
    retailer,
    price,
    upper(currency) as currency,
    upper(fx_base) as fx_base,
    upper(fx_quote) as fx_quote,
    fx_rate,
    effective_date,
    source_file,
    source_line,
    loaded_at,
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
