with landed as (
    {{ landing_scan('marketplace_transactions') }}
)

select
    {{ landing_select('marketplace_transactions', {
        'currency': "upper(currency)",
    }) }}
from landed
