-- Sellers are named per source (the same store name on two sites is two sellers); a listing without
-- a seller name maps to its source's "unknown seller" row.
select
    seller_id,
    max(seller_name) as seller_name,
    max(source_id) as source_id,
    max(case when seller_name is null then 1 else 0 end) = 1 as is_unknown
from {{ ref('int_listings__resolved') }}
group by seller_id
