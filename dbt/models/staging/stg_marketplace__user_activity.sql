with landed as (
    {{ landing_scan('marketplace_user_activity') }}
)

select
    event_id,
    user_id,
    session_id,
    activity_type,
    listing_id,
    nullif(trim(search_query), '') as search_query,
    device,
    occurred_at,
    kafka_partition,
    kafka_offset,
    schema_id,
    ingested_at,
    ingest_date
from landed
