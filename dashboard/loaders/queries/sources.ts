// Sources page: coverage per source, the Noon vs Mobile Masr gap per model, new and removed listings per day.
import { DAILY_OBSERVATIONS, PRODUCTS } from "./common.ts";

const NEWEST = `(select max(scraped_date) from marts.fact_used_phone_listings)`;

export const sourcesQueries = {
  products: PRODUCTS,
  coverage: `
    select s.source_name, s.source_type, s.source_domain,
           cast(count(distinct f.url_id) as integer) as listings,
           cast(count(distinct f.product_id) as integer) as products,
           cast(count(*) as integer) as observations,
           cast(min(f.scraped_at) as varchar) as first_scraped_at,
           cast(max(f.scraped_at) as varchar) as last_scraped_at
    from marts.fact_used_phone_listings as f
    inner join marts.dim_source as s on f.source_id = s.source_id
    group by s.source_name, s.source_type, s.source_domain
    order by listings desc`,
  daily_listings: `
    select s.source_name, cast(f.scraped_date as varchar) as day,
           cast(count(distinct f.url_id) as integer) as listings
    from marts.fact_used_phone_listings as f
    inner join marts.dim_source as s on f.source_id = s.source_id
    where f.scraped_date > ${NEWEST} - interval '90 days'
    group by s.source_name, f.scraped_date
    order by s.source_name, f.scraped_date`,
  // Median over the last 7 days of each source's daily prices, per product and condition.
  source_medians_7d: `
    select d.product_id, d.condition, d.source_name,
           cast(percentile_cont(0.5) within group (order by d.price_egp) as double precision) as median_price_egp,
           cast(count(*) as integer) as n_listings
    from (${DAILY_OBSERVATIONS}) as d
    where d.source_name in ('noon', 'mobilemasr') and d.scraped_date > ${NEWEST} - interval '7 days'
    group by d.product_id, d.condition, d.source_name`,
  new_per_day: `
    select s.source_name, cast(cast(u.first_seen_at as date) as varchar) as day,
           cast(count(*) as integer) as listings
    from marts.dim_listing_url as u
    inner join marts.dim_source as s on u.source_id = s.source_id
    group by s.source_name, cast(u.first_seen_at as date)`,
  // A listing counts as removed on the day it was last seen, once unseen for 3 days (the deals' active window).
  removed_per_day: `
    select s.source_name, cast(cast(u.last_seen_at as date) as varchar) as day,
           cast(count(*) as integer) as listings
    from marts.dim_listing_url as u
    inner join marts.dim_source as s on u.source_id = s.source_id
    cross join (select max(last_seen_at) as newest_at from marts.dim_listing_url) as n
    where u.last_seen_at < n.newest_at - interval '3 days'
    group by s.source_name, cast(u.last_seen_at as date)`,
};
