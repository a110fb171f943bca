{#- Reading the landing contract (landing_contract.sql, generated from the topic catalog) on each target. -#}
{#- The contract's column types spelt for the target (DuckDB's names are the reference). -#}
{% macro landing_type(type_name) -%}
    {%- if target.type == 'postgres' and type_name == 'double' -%}double precision
    {%- elif target.type == 'snowflake' and type_name == 'double' -%}float
    {%- else -%}{{ type_name }}
    {%- endif -%}
{%- endmacro %}

{#- A relation over one landing topic with exactly the contract's columns, typed.
    duckdb: read_parquet over <landing_dir>/<topic>/ingest_date=*/ (temporary .tmp-* files ignored);
    a topic with no files yet yields an empty relation of the same shape, so a partial landing still builds.
    snowflake / postgres: the raw table the sink loads (source 'landing'). -#}
{% macro landing_scan(table_name) -%}
    {%- set rel = source('landing', table_name) -%}
    {%- set cols = landing_columns(table_name) -%}
    {%- if target.type == 'duckdb' -%}
        {%- set pattern = var('landing_dir') ~ '/' ~ landing_topic(table_name) ~ '/*/[!.]*.parquet' -%}
        {%- set ns = namespace(has_files=true, present=none) -%}
        {%- if execute -%}
            {%- set res = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
            {%- set ns.has_files = res.columns[0].values()[0] > 0 -%}
            {%- if ns.has_files -%}
                {%- set ns.present = landing_file_columns(pattern) -%}
            {%- endif -%}
        {%- endif -%}
        {%- if ns.has_files %}
    select
        {%- for name, type in cols %}
        {%- if ns.present is none or name in ns.present %}
        cast({{ name }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
        {%- else %}
        cast(null as {{ type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from read_parquet(
        '{{ pattern }}', hive_partitioning = true, union_by_name = true, hive_types = {'ingest_date': 'date'}
    )
        {%- else %}
    select
        {%- for name, type in cols %}
        cast(null as {{ landing_type(type) }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    where 1 = 0
        {%- endif -%}
    {%- else %}
    select
        {%- for name, type in cols %}
        cast({{ name }} as {{ landing_type(type) }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ rel }}
    {%- endif -%}
{%- endmacro %}

{#- The column names the landed Parquet files hold between them. Files landed under an older contract lack the
    fields added since (optional, with defaults), which then read as null. -#}
{% macro landing_file_columns(pattern) -%}
    {%- set res = run_query(
        "describe select * from read_parquet('" ~ pattern ~ "', hive_partitioning = true, union_by_name = true)"
    ) -%}
    {{- return(res.columns[0].values() | list) -}}
{%- endmacro %}

{#- Every landing column of a topic in contract order, each as is or through its cleaning expression
    (cleaned: column name -> SQL expression). A new contract field reaches staging without an edit. -#}
{% macro landing_select(table_name, cleaned={}) -%}
    {%- for name, type in landing_columns(table_name) %}
    {{ cleaned[name] ~ ' as ' ~ name if name in cleaned else name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
