// Pipeline health page, warehouse side: what each topic's fact has loaded, and when it was landed.
export const pipelineQueries = {
  loaded: `
    select 'listings.scraped' as topic, 'fact_used_phone_listings' as model,
           cast(count(*) as integer) as rows_loaded, cast(max(ingested_at) as varchar) as newest_ingested_at
    from marts.fact_used_phone_listings
    union all
    select 'marketplace.transactions', 'fct_transactions', cast(count(*) as integer), cast(max(ingested_at) as varchar)
    from marts.fct_transactions
    union all
    select 'marketplace.user_activity', 'fct_user_activity', cast(count(*) as integer), cast(max(ingested_at) as varchar)
    from marts.fct_user_activity
    union all
    select 'pricing.suggestions', 'fct_price_suggestions', cast(count(*) as integer), cast(max(ingested_at) as varchar)
    from marts.fct_price_suggestions`,
};
