{{
    config(
        materialized='incremental',
        unique_key=landing_record_id('marketplace_transactions'),
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Marketplace order events, one row per record id: the first landed copy wins (macros/first_landed.sql).
{{ first_landed_copy('stg_marketplace__transactions', 'marketplace_transactions') }}
