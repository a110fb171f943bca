{#- One row per day from start_date to end_date inclusive (both SQL date expressions), column date_day. -#}
{% macro calendar_days(start_date, end_date) -%}
    {%- if target.type == 'snowflake' -%}
    select dateadd(day, seq4(), cast({{ start_date }} as date)) as date_day
    from table(generator(rowcount => 20000))
    qualify date_day <= cast({{ end_date }} as date)
    {%- elif target.type == 'duckdb' -%}
    select cast(g.d as date) as date_day
    from range(cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp) + interval 1 day, interval 1 day) as g (d)
    {%- else -%}
    select cast(g.d as date) as date_day
    from generate_series(cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 day') as g (d)
    {%- endif -%}
{%- endmacro %}

{#- ISO day of week, 1 = Monday .. 7 = Sunday. -#}
{% macro iso_day_of_week(date_expr) -%}
    {%- if target.type == 'snowflake' -%}
    cast(dayofweekiso({{ date_expr }}) as integer)
    {%- else -%}
    cast(extract(isodow from {{ date_expr }}) as integer)
    {%- endif -%}
{%- endmacro %}
