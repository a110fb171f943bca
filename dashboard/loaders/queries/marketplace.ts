// Marketplace page: GMV, orders, refunds and payment mix per day, and the funnel from searches to orders.
export const marketplaceQueries = {
  daily: `
    select cast(cast(t.occurred_at as date) as varchar) as day,
           cast(sum(case when t.event_type = 'sale_completed' then t.amount_egp else 0 end) as double precision) as gmv_egp,
           cast(sum(case when t.event_type = 'refund_issued' then t.amount_egp else 0 end) as double precision) as refunds_egp,
           cast(sum(case when t.event_type = 'order_placed' then 1 else 0 end) as integer) as orders,
           cast(sum(case when t.event_type = 'sale_completed' then 1 else 0 end) as integer) as sales,
           cast(sum(case when t.event_type = 'refund_issued' then 1 else 0 end) as integer) as refunds
    from marts.fct_transactions as t
    group by cast(t.occurred_at as date)
    order by day`,
  payment_mix: `
    select cast(cast(t.occurred_at as date) as varchar) as day, t.payment_method,
           cast(count(*) as integer) as sales, cast(sum(t.amount_egp) as double precision) as gmv_egp
    from marts.fct_transactions as t
    where t.event_type = 'sale_completed'
    group by cast(t.occurred_at as date), t.payment_method
    order by day`,
  funnel: `
    select cast(cast(a.occurred_at as date) as varchar) as day, a.activity_type as step,
           cast(count(*) as integer) as events
    from marts.fct_user_activity as a
    group by cast(a.occurred_at as date), a.activity_type
    union all
    select cast(cast(t.occurred_at as date) as varchar) as day, 'order_placed' as step,
           cast(count(*) as integer) as events
    from marts.fct_transactions as t
    where t.event_type = 'order_placed'
    group by cast(t.occurred_at as date)
    order by day, step`,
};
