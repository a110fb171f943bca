{{
    config(
        materialized='incremental',
        unique_key='suggestion_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- AI price suggestions, one row per suggestion_id: the first landed copy wins. Incremental like int_listings__deduped:
-- reads only rows landed since the newest row here and never replaces a row by a later re-sent copy.
with staged as (
    select * from {{ ref('stg_pricing__suggestions') }}
    {{ incremental_arrivals() }}
),

deduped as (
    {{ dedupe_mostly_unique('select * from staged', 'suggestion_id',
                             'ingested_at, ingest_date, kafka_partition, kafka_offset') }}
)

select
    suggestion_id,
    listing_id,
    product_title,
    condition,
    suggested_price,
    currency,
    confidence,
    model_version,
    generated_at,
    brand,
    model,
    storage_gb,
    ram_gb,
    ingested_at,
    ingest_date
from deduped
{%- if is_incremental() %}
    where not exists (
            select 1 from {{ this }} as loaded
            where loaded.suggestion_id = deduped.suggestion_id and loaded.ingested_at < deduped.ingested_at
        )
{%- endif %}
