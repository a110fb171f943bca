select
    product_id,
    brand,
    model,
    storage_gb,
    ram_gb,
    case
        when brand is null or model is null then 'unknown product'
        else
            brand || ' ' || model
            || case when storage_gb is null then '' else ' ' || cast(storage_gb as {{ dbt.type_string() }}) || 'gb' end
    end as product_name,
    is_resolved
from {{ ref('int_products__resolved') }}
