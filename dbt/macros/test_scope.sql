{#- Scheduled builds test what they added: with the var test_ingest_dates (a list of landing partition dates;
    or PHONEPIPE_TEST_INGEST_DATES, comma-separated), set by the dbt_build DAG to the partitions that arrived, every data test on a model that has an
    ingest_date column reads only those partitions' rows, so its cost follows the new rows, not the table.
    Models without the column (dimensions, the price index) are tested whole. Without the var nothing is
    scoped: the data_quality DAG, `make dbt-build` and CI run every test on every row. What a scoped run
    cannot see (a duplicate key between an old and a new partition) the incremental models' unique_key
    merges already prevent, and the full suite in data_quality checks before the dashboard is published.
    This overrides dbt's own get_where_subquery, which applies a test's `where` config the same way. -#}
{% macro get_where_subquery(relation) -%}
    {%- set clauses = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}{%- do clauses.append('(' ~ where ~ ')') -%}{%- endif -%}
    {%- set scope = test_ingest_scope(relation) -%}
    {%- if scope -%}{%- do clauses.append(scope) -%}{%- endif -%}
    {%- if clauses -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ clauses | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- "ingest_date in (...)" when test_ingest_dates names dates and the tested model declares an ingest_date
    column; otherwise none (an empty list scopes nothing). -#}
{% macro test_ingest_scope(relation) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set dates = var('test_ingest_dates', none) -%}
    {#- The same list from the environment: a changed --vars makes a cold dbt process parse the whole project
        again (seconds), an environment variable read only while tests execute does not. -#}
    {%- if dates is none -%}{%- set dates = env_var('PHONEPIPE_TEST_INGEST_DATES', '') -%}{%- endif -%}
    {%- if dates is string -%}{%- set dates = dates.split(',') | map('trim') | reject('equalto', '') | list -%}{%- endif -%}
    {%- if dates | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type in ['model', 'snapshot']
            and (node.alias or node.name) | lower == (relation.identifier or '') | lower
            and 'ingest_date' in node.columns -%}
            {%- set quoted = [] -%}
            {%- for d in dates -%}{%- do quoted.append("date '" ~ (d | string) ~ "'") -%}{%- endfor -%}
            {{ return('ingest_date in (' ~ quoted | join(', ') ~ ')') }}
        {%- endif -%}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}
