with sources as (
    select
        source_domain,
        source,
        source_type,
        row_number() over (partition by source_domain order by count(*) desc, source) as name_rank
    from {{ ref('int_listings__deduped') }}
    group by source_domain, source, source_type
)

select
    {{ surrogate_key(['source_domain']) }} as source_id,
    source_domain,
    source as source_name,
    source_type
from sources
where name_rank = 1
