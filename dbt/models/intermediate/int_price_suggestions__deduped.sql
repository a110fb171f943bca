{{
    config(
        materialized='incremental',
        unique_key=landing_record_id('pricing_suggestions'),
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Price suggestions, one row per record id: the first landed copy wins (macros/first_landed.sql).
{{ first_landed_copy('stg_pricing__suggestions', 'pricing_suggestions') }}
