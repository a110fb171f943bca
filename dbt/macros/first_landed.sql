{#- One row per record id of a landing topic: the first landed copy wins (a re-sent or replayed copy lands
    later and is dropped). Incremental: reads only rows landed since the newest row here (incremental_arrivals)
    and never replaces a loaded row by a later copy. The columns are the topic's landing contract without the
    Kafka lineage, so a new contract field reaches the model without an edit. -#}
{% macro first_landed_copy(staging_model, table_name) -%}
    {%- set key = landing_record_id(table_name) -%}
    {%- set lineage_only = ['kafka_partition', 'kafka_offset', 'schema_id'] -%}
with staged as (
    select * from {{ ref(staging_model) }}
    {{ incremental_arrivals() }}
),

deduped as (
    {{ dedupe_mostly_unique('select * from staged', key,
                             'ingested_at, ingest_date, kafka_partition, kafka_offset') }}
)

select
    {%- for name, type in landing_columns(table_name) if name not in lineage_only %}
    {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
from deduped
{%- if is_incremental() %}
    where not exists (
            select 1 from {{ this }} as loaded
            where loaded.{{ key }} = deduped.{{ key }} and loaded.ingested_at < deduped.ingested_at
        )
{%- endif %}
{%- endmacro %}
