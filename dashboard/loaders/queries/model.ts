// Model pages: one product's price history (SCD2 snapshot), index trend, current spread and listings, and
// marketplace sales vs competitors' asking prices. Every query is grouped by product so one run serves all
// model pages (see ../model-cache.ts).
import { ACTIVE_LISTINGS, PRODUCTS } from "./common.ts";

export const modelQueries = {
  products: PRODUCTS,
  // One row per snapshot version: a point each time a listing's price changed.
  history: `
    select h.product_id, h.url_id, s.source_name, h.condition,
           cast(h.price_egp as double precision) as price_egp,
           cast(h.dbt_valid_from as varchar) as valid_from, cast(h.dbt_valid_to as varchar) as valid_to
    from snapshots.snap_listing_prices as h
    inner join marts.dim_source as s on h.source_id = s.source_id
    where h.price_egp > 0
    order by h.dbt_valid_from`,
  index_trend: `
    select i.product_id, i.condition, cast(i.index_date as varchar) as index_date,
           cast(i.median_price_egp as double precision) as median_price_egp
    from marts.mart_market_price_index as i
    order by i.index_date`,
  current: `
    select a.product_id, a.url_id, s.source_name, s.source_type, a.condition, a.title, u.full_url,
           cast(a.price_egp as double precision) as price_egp, cast(a.last_seen_at as varchar) as last_seen_at
    from (${ACTIVE_LISTINGS}) as a
    inner join marts.dim_source as s on a.source_id = s.source_id
    inner join marts.dim_listing_url as u on a.url_id = u.url_id
    order by a.price_egp`,
  realized: `
    select t.product_id, cast(cast(t.occurred_at as date) as varchar) as day, t.condition,
           cast(t.amount_egp as double precision) as price_egp
    from marts.fct_transactions as t
    where t.event_type = 'sale_completed' and t.amount_egp > 0`,
  competitor_daily: `
    select f.product_id, cast(f.scraped_date as varchar) as day,
           cast(percentile_cont(0.5) within group (order by f.price_egp) as double precision) as median_price_egp
    from marts.fact_used_phone_listings as f
    inner join marts.dim_source as s on f.source_id = s.source_id
    where s.source_type = 'competitor' and f.listing_type = 'sale' and f.price_egp > 0
    group by f.product_id, f.scraped_date
    order by f.product_id, f.scraped_date`,
};
