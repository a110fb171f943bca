{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Grain: one user interaction (event_id).
select
    event_id,
    user_id,
    session_id,
    activity_type,
    listing_id as marketplace_listing_id,
    search_query,
    device,
    {{ date_key('cast(occurred_at as date)') }} as date_id,
    occurred_at,
    ingest_date,
    ingested_at
from {{ ref('int_user_activity__deduped') }}
{{ incremental_arrivals() }}
