{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Listing observations with duplicates across windows and replays collapsed on the landing key
-- (event_id). The first landed copy wins (earliest ingested_at). Incremental: only rows landed since
-- the newest row already here are read (the Parquet reader skips older files by their statistics), and
-- an observation already here is never replaced by a copy re-sent later, so an incremental load ends
-- in the same state as a full rebuild.
{#- The observation's columns kept here (everything staged but raw_json and the Kafka position); the
    staged input adds the Kafka position, which only orders the dedupe. One list serves both selects. -#}
{%- set kept = [
    'event_id', 'source', 'source_domain', 'source_type', 'url', 'title', 'price_text', 'currency_hint',
    'seller_name', 'condition_text', 'availability', 'scraped_at', 'brand', 'model', 'color', 'condition',
    'listing_type', 'storage_gb', 'ram_gb', 'confidence', 'price_amount', 'price_currency', 'price_egp',
    'ingested_at', 'ingest_date',
] %}

with staged as (
    -- only the kept columns and the dedupe order (not raw_json): the dedupe reads this input more than
    -- once, so DuckDB materialises it
    select
        {{ (kept + ['kafka_partition', 'kafka_offset']) | join(',\n        ') }}
    from {{ ref('stg_scrapers__listings') }}
    {{ incremental_arrivals() }}
),

deduped as (
    {{ dedupe_mostly_unique('select * from staged', 'event_id',
              'ingested_at, ingest_date, kafka_partition, kafka_offset') }}
)

select
    {{ kept | join(',\n    ') }}
from deduped
{%- if is_incremental() %}
    where not exists (
            select 1 from {{ this }} as loaded
            where loaded.event_id = deduped.event_id and loaded.ingested_at < deduped.ingested_at
        )
{%- endif %}
