-- The realized price of each sold marketplace listing: its latest completed sale (a listing sold twice,
-- after a refund, counts at its last sale). Read by the suggestion accuracy mart.
with sales as (
    select
        marketplace_listing_id,
        product_id,
        condition,
        amount_egp as sale_price_egp,
        occurred_at as sold_at,
        transaction_event_id
    from {{ ref('fct_transactions') }}
    where
        event_type = 'sale_completed'
        and marketplace_listing_id is not null
        and amount_egp > 0
)

{{ dedupe('select * from sales', 'marketplace_listing_id', 'sold_at desc, transaction_event_id desc') }}
