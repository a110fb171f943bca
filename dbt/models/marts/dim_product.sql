select
    p.product_id,
    p.brand,
    p.model,
    p.storage_gb,
    p.ram_gb,
    m.release_year,
    case
        when p.brand is null or p.model is null then 'unknown product'
        else
            p.brand || ' ' || p.model
            || case
                when p.storage_gb is null then '' else ' ' || cast(p.storage_gb as {{ dbt.type_string() }}) || 'gb'
            end
    end as product_name,
    p.is_resolved
from {{ ref('int_products__resolved') }} as p
left join {{ ref('stg_reference__phone_models') }} as m on p.brand = m.brand and p.model = m.model
