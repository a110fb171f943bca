{{
    config(
        materialized='incremental',
        unique_key=landing_record_id('marketplace_user_activity'),
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- User interactions, one row per record id: the first landed copy wins (macros/first_landed.sql).
{{ first_landed_copy('stg_marketplace__user_activity', 'marketplace_user_activity') }}
