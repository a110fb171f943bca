// Market price index page: the current index, per-source quartiles today, 30-day trend (movers come from it).
import { DAILY_OBSERVATIONS, PRODUCTS } from "./common.ts";

const LATEST = `(select max(index_date) from marts.mart_market_price_index)`;

/**
 * The current index: each product and condition at its newest index day within 3 days (the deals' active
 * window), so a day that has only just started does not hide yesterday's full index.
 */
const CURRENT = `
  select i.* from marts.mart_market_price_index as i
  inner join (
    select product_id, condition, max(index_date) as index_date from marts.mart_market_price_index
    where index_date > ${LATEST} - interval '3 days'
    group by product_id, condition
  ) as c on i.product_id = c.product_id and i.condition = c.condition and i.index_date = c.index_date`;

export const marketQueries = {
  products: PRODUCTS,
  index_today: `
    select i.product_id, i.condition, cast(i.index_date as varchar) as index_date,
           cast(i.median_price_egp as double precision) as median_price_egp,
           cast(i.p25_price_egp as double precision) as p25_price_egp,
           cast(i.p75_price_egp as double precision) as p75_price_egp,
           cast(i.n_listings as integer) as n_listings, i.cheapest_source
    from (${CURRENT}) as i`,
  by_source_today: `
    select d.product_id, d.condition, d.source_name,
           cast(percentile_cont(0.5) within group (order by d.price_egp) as double precision) as median_price_egp,
           cast(percentile_cont(0.25) within group (order by d.price_egp) as double precision) as p25_price_egp,
           cast(percentile_cont(0.75) within group (order by d.price_egp) as double precision) as p75_price_egp,
           cast(count(*) as integer) as n_listings
    from (${DAILY_OBSERVATIONS}) as d
    inner join (${CURRENT}) as i
      on d.product_id = i.product_id and d.condition = i.condition and d.scraped_date = i.index_date
    group by d.product_id, d.condition, d.source_name`,
  trend: `
    select i.product_id, i.condition, cast(i.index_date as varchar) as index_date,
           cast(i.median_price_egp as double precision) as median_price_egp,
           cast(i.n_listings as integer) as n_listings
    from marts.mart_market_price_index as i
    where i.index_date > ${LATEST} - interval '30 days'
    order by i.index_date`,
};
