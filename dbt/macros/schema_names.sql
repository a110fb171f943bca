{#- Use the custom schema name as-is (staging, intermediate, marts, snapshots) so analysts query
    marts.fact_used_phone_listings on every target, instead of dbt's <target>_<custom> default. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema | trim }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
