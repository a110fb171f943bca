-- A real calendar, one row per day from var('calendar_start') to var('calendar_end'), widened to cover
-- every scrape, event and ingestion date in the data. Scraped and ingestion dates both join to it.
with bounds as (
    select
        min(d) as min_day,
        max(d) as max_day
    from (
        select cast('{{ var("calendar_start") }}' as date) as d
        union all
        select cast('{{ var("calendar_end") }}' as date)
        union all
        select min(cast(scraped_at as date)) from {{ ref('int_listings__deduped') }}
        union all
        select max(cast(scraped_at as date)) from {{ ref('int_listings__deduped') }}
        union all
        select min(ingest_date) from {{ ref('int_listings__deduped') }}
        union all
        select max(ingest_date) from {{ ref('int_listings__deduped') }}
        union all
        select min(cast(occurred_at as date)) from {{ ref('int_transactions__deduped') }}
        union all
        select max(cast(occurred_at as date)) from {{ ref('int_transactions__deduped') }}
        union all
        select min(cast(occurred_at as date)) from {{ ref('int_user_activity__deduped') }}
        union all
        select max(cast(occurred_at as date)) from {{ ref('int_user_activity__deduped') }}
        union all
        select min(cast(generated_at as date)) from {{ ref('int_price_suggestions__deduped') }}
        union all
        select max(cast(generated_at as date)) from {{ ref('int_price_suggestions__deduped') }}
    ) as all_days
    where d is not null
),

days as (
    {{ calendar_days('(select min_day from bounds)', '(select max_day from bounds)') }}
),

parts as (
    select
        date_day,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        cast(extract(day from date_day) as integer) as day_of_month,
        {{ iso_day_of_week('date_day') }} as iso_day_of_week
    from days
)

select
    {{ date_key('date_day') }} as date_id,
    date_day,
    year_number,
    quarter_number,
    month_number,
    case month_number
        when 1 then 'January' when 2 then 'February' when 3 then 'March' when 4 then 'April'
        when 5 then 'May' when 6 then 'June' when 7 then 'July' when 8 then 'August'
        when 9 then 'September' when 10 then 'October' when 11 then 'November' else 'December'
    end as month_name,
    day_of_month,
    iso_day_of_week,
    case iso_day_of_week
        when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday' when 4 then 'Thursday'
        when 5 then 'Friday' when 6 then 'Saturday' else 'Sunday'
    end as day_name,
    cast({{ dbt.dateadd('day', '1 - iso_day_of_week', 'date_day') }} as date) as week_start_date,
    -- Egypt's weekend is Friday and Saturday
    iso_day_of_week in (5, 6) as is_weekend
from parts
