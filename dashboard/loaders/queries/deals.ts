// Deals page: every active listing priced under its index median that day (the page applies the threshold).
import { ACTIVE_LISTINGS, PRODUCTS } from "./common.ts";

export const dealsQueries = {
  products: PRODUCTS,
  candidates: `
    select a.url_id, a.product_id, s.source_name, a.condition, a.title, u.full_url,
           cast(a.price_egp as double precision) as price_egp,
           cast(i.median_price_egp as double precision) as index_median_price_egp,
           cast(i.n_listings as integer) as index_n_listings,
           cast(1 - a.price_egp / i.median_price_egp as double precision) as discount,
           cast(u.first_seen_at as varchar) as first_seen_at,
           cast(a.last_seen_at as varchar) as last_seen_at
    from (${ACTIVE_LISTINGS}) as a
    inner join marts.mart_market_price_index as i
      on a.product_id = i.product_id and a.condition = i.condition and a.last_scraped_date = i.index_date
    inner join marts.dim_source as s on a.source_id = s.source_id
    inner join marts.dim_listing_url as u on a.url_id = u.url_id
    where i.n_listings >= 5 and a.price_egp < i.median_price_egp
    order by discount desc, a.url_id`,
};
