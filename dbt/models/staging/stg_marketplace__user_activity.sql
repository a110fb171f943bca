with landed as (
    {{ landing_scan('marketplace_user_activity') }}
)

select
    {{ landing_select('marketplace_user_activity', {
        'search_query': "nullif(trim(search_query), '')",
    }) }}
from landed
