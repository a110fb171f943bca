with landed as (
    {{ landing_scan('market_reference_prices') }}
)

select
    {{ landing_select('market_reference_prices', {
        'currency': "upper(currency)",
        'fx_base': "upper(fx_base)",
        'fx_quote': "upper(fx_quote)",
    }) }}
from landed
