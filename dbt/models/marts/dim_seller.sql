-- Sellers are named per source (the same store name on two sites is two sellers); a listing without
-- a seller name maps to its source's "unknown seller" row. Keys are computed once per distinct
-- (source_domain, seller_name), the same md5s the fact computes per observation.
with sellers as (
    select
        source_domain,
        seller_name
    from {{ ref('int_listings__deduped') }}
    group by source_domain, seller_name
)

select
    {{ surrogate_key(['source_domain', 'seller_name']) }} as seller_id,
    max(seller_name) as seller_name,
    max({{ surrogate_key(['source_domain']) }}) as source_id,
    max(case when seller_name is null then 1 else 0 end) = 1 as is_unknown
from sellers
group by {{ surrogate_key(['source_domain', 'seller_name']) }}
