with landed as (
    {{ landing_scan('pricing_suggestions') }}
)

select
    {{ landing_select('pricing_suggestions', {
        'currency': "upper(currency)",
    }) }}
from landed
