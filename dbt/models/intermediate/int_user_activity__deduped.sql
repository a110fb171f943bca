{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- User interactions, one row per event_id: the first landed copy wins. Incremental like int_listings__deduped:
-- reads only rows landed since the newest row here and never replaces a row by a later re-sent copy.
with staged as (
    select * from {{ ref('stg_marketplace__user_activity') }}
    {{ incremental_arrivals() }}
),

deduped as (
    {{ dedupe_mostly_unique('select * from staged', 'event_id',
                             'ingested_at, ingest_date, kafka_partition, kafka_offset') }}
)

select
    event_id,
    user_id,
    session_id,
    activity_type,
    listing_id,
    search_query,
    device,
    occurred_at,
    ingested_at,
    ingest_date
from deduped
{%- if is_incremental() %}
    where not exists (
            select 1 from {{ this }} as loaded
            where loaded.event_id = deduped.event_id and loaded.ingested_at < deduped.ingested_at
        )
{%- endif %}
