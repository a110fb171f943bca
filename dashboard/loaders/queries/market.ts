// Market price index page: today's index, per-source quartiles today, 30-day trend (movers come from it).
import { DAILY_OBSERVATIONS, PRODUCTS } from "./common.ts";

const LATEST = `(select max(index_date) from marts.mart_market_price_index)`;

export const marketQueries = {
  products: PRODUCTS,
  index_today: `
    select i.product_id, i.condition, cast(i.index_date as varchar) as index_date,
           cast(i.median_price_egp as double precision) as median_price_egp,
           cast(i.p25_price_egp as double precision) as p25_price_egp,
           cast(i.p75_price_egp as double precision) as p75_price_egp,
           cast(i.n_listings as integer) as n_listings, i.cheapest_source
    from marts.mart_market_price_index as i
    where i.index_date = ${LATEST}`,
  by_source_today: `
    select d.product_id, d.condition, d.source_name,
           cast(percentile_cont(0.5) within group (order by d.price_egp) as double precision) as median_price_egp,
           cast(percentile_cont(0.25) within group (order by d.price_egp) as double precision) as p25_price_egp,
           cast(percentile_cont(0.75) within group (order by d.price_egp) as double precision) as p75_price_egp,
           cast(count(*) as integer) as n_listings
    from (${DAILY_OBSERVATIONS}) as d
    where d.scraped_date = ${LATEST}
    group by d.product_id, d.condition, d.source_name`,
  trend: `
    select i.product_id, i.condition, cast(i.index_date as varchar) as index_date,
           cast(i.median_price_egp as double precision) as median_price_egp,
           cast(i.n_listings as integer) as n_listings
    from marts.mart_market_price_index as i
    where i.index_date > ${LATEST} - interval '30 days'
    order by i.index_date`,
};
