{{
    config(
        materialized='incremental',
        unique_key='transaction_event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- Grain: one step of one marketplace order (event_id): placed, paid, completed or refunded.
select
    event_id as transaction_event_id,
    transaction_id,
    event_type,
    listing_id as marketplace_listing_id,
    buyer_id,
    seller_id as marketplace_seller_id,
    {{ surrogate_key(['brand', 'model', 'storage_gb']) }} as product_id,
    {{ date_key('cast(occurred_at as date)') }} as date_id,
    product_title,
    condition,
    amount,
    currency,
    case when currency = 'EGP' then amount end as amount_egp,
    case
        when event_type = 'sale_completed' then amount
        when event_type = 'refund_issued' then -amount
        else cast(0 as decimal(14, 2))
    end as net_revenue_amount,
    payment_method,
    occurred_at,
    ingest_date,
    ingested_at
from {{ ref('int_transactions__deduped') }}
{{ incremental_arrivals() }}
