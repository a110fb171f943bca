-- Incremental by URL: a run re-aggregates only the URLs that received newly loaded observations.
-- Reads int_listings__deduped (one row per observation, with the URL text) and computes url_id and
-- source_id, the same md5s the fact computes, once per URL.
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
        select distinct url
        from {{ ref('int_listings__deduped') }}
        {{ incremental_arrivals('ingested_at', watermark_column='max_ingested_at') }}
    ),
{%- endif %}

obs as (
    select
        url,
        source_domain,
        scraped_at,
        ingested_at
    from {{ ref('int_listings__deduped') }}
    {%- if is_incremental() %}
        where url in (select t.url from touched as t)
    {%- endif %}
),

per_url as (
    select
        url,
        max({{ surrogate_key(['source_domain']) }}) as source_id,
        min(scraped_at) as first_seen_at,
        max(scraped_at) as last_seen_at,
        cast(count(*) as bigint) as n_observations,
        max(ingested_at) as max_ingested_at
    from obs
    group by url
)

select
    {{ surrogate_key(['url']) }} as url_id,
    url as full_url,
    source_id,
    first_seen_at,
    last_seen_at,
    n_observations,
    max_ingested_at
from per_url
