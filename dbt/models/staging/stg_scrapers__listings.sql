-- One row per landed copy of a listing observation (duplicates across windows are kept here and
-- removed in int_listings__deduped). Light cleaning only: trimming, casing, empty strings to null.
with landed as (
    {{ landing_scan('listings_scraped') }}
)

select
    {{ landing_select('listings_scraped', {
        'source': "lower(trim(source))",
        'source_domain': "lower(trim(source_domain))",
        'source_type': "lower(trim(source_type))",
        'url': "trim(url)",
        'currency_hint': "upper(nullif(trim(currency_hint), ''))",
        'seller_name': "nullif(trim(seller_name), '')",
        'listing_type': "coalesce(listing_type, 'sale')",
        'price_currency': "upper(price_currency)",
    }) }}
from landed
