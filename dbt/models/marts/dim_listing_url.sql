-- Incremental by URL: a run re-aggregates only the URLs that received newly loaded observations.
{{
    config(
        materialized='incremental',
        unique_key='url_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with
{%- if is_incremental() %}
    touched as (
        select distinct url_id
        from {{ ref('int_listings__resolved') }}
        {{ incremental_arrivals('ingested_at', watermark_column='max_ingested_at') }}
    ),
{%- endif %}

obs as (
    select * from {{ ref('int_listings__resolved') }}
    {%- if is_incremental() %}
        where url_id in (select t.url_id from touched as t)
    {%- endif %}
)

select
    url_id,
    url as full_url,
    max(source_id) as source_id,
    min(scraped_at) as first_seen_at,
    max(scraped_at) as last_seen_at,
    cast(count(*) as bigint) as n_observations,
    max(ingested_at) as max_ingested_at
from obs
group by url_id, url
