{{
    config(
        materialized='incremental',
        unique_key='suggestion_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Grain: one price suggested by the pricing engine (suggestion_id).
select
    suggestion_id,
    listing_id as marketplace_listing_id,
    {{ surrogate_key(['brand', 'model', 'storage_gb']) }} as product_id,
    {{ date_key('cast(generated_at as date)') }} as date_id,
    product_title,
    condition,
    suggested_price,
    currency,
    case when currency = 'EGP' then suggested_price end as suggested_price_egp,
    price_low,
    price_high,
    case when currency = 'EGP' then price_low end as price_low_egp,
    case when currency = 'EGP' then price_high end as price_high_egp,
    reason,
    confidence,
    model_version,
    generated_at,
    ingest_date,
    ingested_at
from {{ ref('int_price_suggestions__deduped') }}
{{ incremental_arrivals() }}
