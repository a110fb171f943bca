{#- Stable surrogate key: md5 over the natural key columns, nulls spelt out so (a, null) <> (null, a). -#}
{% macro surrogate_key(columns) -%}
    md5(
    {%- for col in columns %}
        coalesce(cast({{ col }} as {{ dbt.type_string() }}), '_null_'){{ " || '|' ||" if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{#- An md5 hex string (e.g. a surrogate_key computed once in a CTE) written as a UUID (8-4-4-4-12),
    for keys the model calls UUIDs. -#}
{% macro uuid_from_md5(h) -%}
    substr({{ h }}, 1, 8) || '-' || substr({{ h }}, 9, 4) || '-' || substr({{ h }}, 13, 4) || '-'
    || substr({{ h }}, 17, 4) || '-' || substr({{ h }}, 21, 12)
{%- endmacro %}

{#- dim_date key: yyyymmdd as an integer (readable, stable, and the same on every target). -#}
{% macro date_key(date_expr) -%}
    cast(
        extract(year from {{ date_expr }}) * 10000
        + extract(month from {{ date_expr }}) * 100
        + extract(day from {{ date_expr }}) as integer
    )
{%- endmacro %}

{#- Keep one row per key: the first by order_by. Portable (no QUALIFY, which PostgreSQL lacks). -#}
{% macro dedupe(relation_sql, partition_by, order_by, rank_column='dedupe_rank') -%}
    select * from (
        select
            deduped_src.*,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as {{ rank_column }}
        from ({{ relation_sql }}) as deduped_src
    ) as ranked
    where {{ rank_column }} = 1
{%- endmacro %}

{#- Incremental filter on arrival time: rows landed at or after the newest already loaded (minus a
    configurable lookback). The watermark is read first and inlined as a literal, so the Parquet reader
    can skip row groups by their statistics. Rows at the boundary are reloaded by delete+insert on the
    unique key, so a run without new data changes nothing. -#}
{% macro incremental_watermark(column='ingested_at') -%}
    {%- set ns = namespace(value=none) -%}
    {%- if execute and is_incremental() -%}
        {%- set res = run_query("select cast(max(" ~ column ~ ") as " ~ dbt.type_string() ~ ") from " ~ this) -%}
        {%- set ns.value = res.columns[0].values()[0] -%}
    {%- endif -%}
    {{- return(ns.value) -}}
{%- endmacro %}

{% macro incremental_arrivals(column='ingested_at', watermark_column=none) -%}
    {%- if is_incremental() %}
        {%- set mark = incremental_watermark(watermark_column or column) %}
    where {{ column }} >= {{ dbt.dateadd('hour', -1 * var('incremental_lookback_hours') | int,
                                         "cast('" ~ (mark or '1900-01-01 00:00:00') ~ "' as timestamp)") }}
    {%- endif -%}
{%- endmacro %}

{#- Keep one row per key (the first by order_by) when almost every key occurs once, as in the landing
    (a few percent re-sent or late copies). Same rows as dedupe(): keys seen once pass straight through
    (a hash aggregate and a hash anti-join), and only the rows of repeated keys go through the window sort,
    which is by far the most expensive step on wide rows. A null key is one key, as in dedupe(). -#}
{% macro dedupe_mostly_unique(relation_sql, key, order_by, rank_column='dedupe_rank') -%}
    select * from (
        with dedupe_input as (
            {{ relation_sql }}
        ),

        repeated_keys as (
            select {{ key }} as repeated_key
            from dedupe_input
            group by {{ key }}
            having count(*) > 1
        )

        select
            once.*,
            cast(1 as bigint) as {{ rank_column }}
        from dedupe_input as once
        where not exists (
            select 1 from repeated_keys as r
            where r.repeated_key is not distinct from once.{{ key }}
        )

        union all

        select * from (
            select
                copies.*,
                row_number() over (partition by {{ key }} order by {{ order_by }}) as {{ rank_column }}
            from dedupe_input as copies
            where exists (
                select 1 from repeated_keys as r
                where r.repeated_key is not distinct from copies.{{ key }}
            )
        ) as ranked
        where {{ rank_column }} = 1
    ) as deduped_once
{%- endmacro %}
