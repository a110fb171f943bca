// SQL shared by several pages. Written in the subset DuckDB, Snowflake and PostgreSQL share: ordered-set
// percentile_cont, row_number windows, interval literals, casts to double precision / integer / varchar
// (so every backend hands the pages plain numbers and strings).

/** Index rules (mart_market_price_index): sale listings, priced, known condition, product match >= 0.5. */
export const INDEXED_OBSERVATIONS = `
  select f.url_id, f.product_id, f.condition, f.scraped_date, f.scraped_at, f.event_id, f.price_egp,
         s.source_name, s.source_type
  from marts.fact_used_phone_listings as f
  inner join marts.dim_source as s on f.source_id = s.source_id
  where f.listing_type = 'sale' and f.price_egp > 0 and f.condition is not null and f.confidence >= 0.5`;

/** Each listing once a day, at its last price of the day (how the index counts it). */
export const DAILY_OBSERVATIONS = `
  select * from (
    select o.*, row_number() over (
      partition by o.url_id, o.scraped_date order by o.scraped_at desc, o.event_id desc) as rn
    from (${INDEXED_OBSERVATIONS}) as o
  ) as d where d.rn = 1`;

/**
 * Active listings (as mart_deals defines them): each URL at its latest observation, not out of stock, seen
 * within 3 days of the newest scrape.
 */
export const ACTIVE_LISTINGS = `
  select l.* from (
    select f.url_id, f.listing_id, f.product_id, f.source_id, f.seller_id, f.condition, f.price_egp,
           f.availability, f.title, f.scraped_at as last_seen_at, f.scraped_date as last_scraped_date,
           row_number() over (partition by f.url_id order by f.scraped_at desc, f.event_id desc) as rn
    from marts.fact_used_phone_listings as f
    where f.listing_type = 'sale'
  ) as l
  cross join (select max(scraped_at) as newest_at from marts.fact_used_phone_listings) as n
  where l.rn = 1 and l.price_egp > 0 and l.condition is not null
    and coalesce(l.availability, 'in_stock') <> 'out_of_stock'
    and l.last_seen_at >= n.newest_at - interval '3 days'`;

export const PRODUCTS = `
  select product_id, brand, model, cast(storage_gb as integer) as storage_gb, product_name
  from marts.dim_product
  where brand is not null and model is not null
  order by brand, model, storage_gb`;
