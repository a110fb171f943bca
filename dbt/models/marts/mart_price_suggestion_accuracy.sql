-- How good the pricing engine's suggestions were: each suggestion for a marketplace listing that later sold,
-- beside the realized sale price. Only suggestions made before the sale count (a later one is no forecast).
-- Group by model, condition or model_version for the error of each.
with suggestions as (
    select
        suggestion_id,
        marketplace_listing_id,
        product_id,
        condition,
        model_version,
        suggested_price_egp,
        price_low_egp,
        price_high_egp,
        confidence,
        generated_at
    from {{ ref('fct_price_suggestions') }}
    where marketplace_listing_id is not null and suggested_price_egp is not null
)

select
    s.suggestion_id,
    s.marketplace_listing_id,
    s.product_id,
    p.brand,
    p.model,
    s.condition,
    s.model_version,
    s.confidence,
    s.generated_at,
    r.sold_at,
    s.suggested_price_egp,
    s.price_low_egp,
    s.price_high_egp,
    r.sale_price_egp,
    cast(s.suggested_price_egp - r.sale_price_egp as decimal(14, 2)) as error_egp,
    cast(abs(s.suggested_price_egp - r.sale_price_egp) / r.sale_price_egp as double) as abs_pct_error,
    case
        when s.price_low_egp is null or s.price_high_egp is null then null
        else r.sale_price_egp between s.price_low_egp and s.price_high_egp
    end as within_interval
from suggestions as s
inner join {{ ref('int_marketplace_sales__realized') }} as r
    on s.marketplace_listing_id = r.marketplace_listing_id
left join {{ ref('dim_product') }} as p on s.product_id = p.product_id
where s.generated_at <= r.sold_at
