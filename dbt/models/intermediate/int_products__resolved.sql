-- Ephemeral: read once (by dim_product); inlined instead of a view node.
{{ config(materialized='ephemeral') }}

-- Product resolution: every canonical (brand, model, storage_gb) seen in any topic becomes one product,
-- whichever source or title it came from. RAM is an attribute, not part of the key (sources state it
-- inconsistently): the most often stated value wins. Unknown models (brand or model null) resolve to
-- their own product rows and are kept, never dropped.
with observed as (
    select
        brand,
        model,
        storage_gb,
        ram_gb
    from {{ ref('int_listings__deduped') }}
    union all
    select
        brand,
        model,
        storage_gb,
        ram_gb
    from {{ ref('int_transactions__deduped') }}
    union all
    select
        brand,
        model,
        storage_gb,
        ram_gb
    from {{ ref('int_price_suggestions__deduped') }}
    union all
    select
        brand,
        model,
        storage_gb,
        ram_gb
    from {{ ref('stg_market__reference_prices') }}
    where kind = 'retail_price'
),

products as (
    select
        brand,
        model,
        storage_gb,
        count(*) as n_observations
    from observed
    group by brand, model, storage_gb
),

ram_votes as (
    select
        brand,
        model,
        storage_gb,
        ram_gb,
        row_number() over (
            partition by brand, model, storage_gb order by count(*) desc, ram_gb desc
        ) as vote_rank
    from observed
    where ram_gb is not null
    group by brand, model, storage_gb, ram_gb
)

select
    {{ surrogate_key(['p.brand', 'p.model', 'p.storage_gb']) }} as product_id,
    p.brand,
    p.model,
    p.storage_gb,
    r.ram_gb,
    p.n_observations,
    p.brand is not null and p.model is not null as is_resolved
from products as p
left join ram_votes as r
    on
        p.brand is not distinct from r.brand
        and p.model is not distinct from r.model
        and p.storage_gb is not distinct from r.storage_gb
        and r.vote_rank = 1
