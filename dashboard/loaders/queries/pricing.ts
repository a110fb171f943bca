// Pricing engine page: how good the engine's suggestions were against the realized sale prices
// (mart_price_suggestion_accuracy), per model version, condition, product and sale week, beside how many
// suggestions each version made (fct_price_suggestions). Medians and shares are computed here, in the
// warehouse; the page only picks a version and formats.
import { PRODUCTS } from "./common.ts";

/** Accuracy of a group of matched suggestions (rows of the accuracy mart as `a`). */
const ACCURACY = `
  cast(count(*) as integer) as matched_suggestions,
  cast(count(distinct a.marketplace_listing_id) as integer) as matched_sales,
  cast(percentile_cont(0.5) within group (order by a.abs_pct_error) as double precision) as mdape,
  cast(sum(case when a.within_interval then 1 else 0 end) as double precision)
    / nullif(count(a.within_interval), 0) as in_interval_share,
  cast(count(a.within_interval) as integer) as with_interval`;

/** Every suggestion (matched or not) grouped by `dims`, with the accuracy of its matched ones. */
function accuracyBy(dims: string[]): { base: string; keys: string } {
  const sel = (t: string) => dims.map((d) => `coalesce(${t}.${d}, 'unknown') as ${d}`).join(", ");
  const grp = (t: string) => dims.map((d) => `coalesce(${t}.${d}, 'unknown')`).join(", ");
  const base = `
    select s.*, coalesce(a.matched_suggestions, 0) as matched_suggestions,
           coalesce(a.matched_sales, 0) as matched_sales, a.mdape, a.in_interval_share,
           coalesce(a.with_interval, 0) as with_interval
    from (
      select ${sel("f")}, cast(count(*) as integer) as suggestions,
             cast(min(f.generated_at) as varchar) as first_generated_at,
             cast(max(f.generated_at) as varchar) as last_generated_at
      from marts.fct_price_suggestions as f
      group by ${grp("f")}
    ) as s
    left join (
      select ${sel("a")}, ${ACCURACY}
      from marts.mart_price_suggestion_accuracy as a
      group by ${grp("a")}
    ) as a on ${dims.map((d) => `s.${d} = a.${d}`).join(" and ")}`;
  return { base, keys: dims.map((d) => `b.${d}`).join(", ") };
}

const byVersion = accuracyBy(["model_version"]);
const byCondition = accuracyBy(["model_version", "condition"]);
const byProduct = accuracyBy(["model_version", "product_id"]);

/** Products shown per version: the most suggested ones. */
export const TOP_PRODUCTS = 12;

export const pricingQueries = {
  products: PRODUCTS,
  // Newest first: the version whose latest suggestion is the latest.
  versions: `
    select b.* from (${byVersion.base}) as b
    order by b.last_generated_at desc, b.model_version desc`,
  by_condition: `
    select b.* from (${byCondition.base}) as b
    order by ${byCondition.keys}`,
  by_product: `
    select r.* from (
      select b.*, cast(row_number() over (
        partition by b.model_version order by b.suggestions desc, b.product_id) as integer) as suggestion_rank
      from (${byProduct.base}) as b
    ) as r
    where r.suggestion_rank <= ${TOP_PRODUCTS}
    order by r.model_version, r.suggestion_rank`,
  // The error over time: each version's matched suggestions by the week their listing sold.
  by_week: `
    select coalesce(a.model_version, 'unknown') as model_version,
           cast(cast(date_trunc('week', a.sold_at) as date) as varchar) as week, ${ACCURACY}
    from marts.mart_price_suggestion_accuracy as a
    group by coalesce(a.model_version, 'unknown'), cast(date_trunc('week', a.sold_at) as date)
    order by model_version, week`,
};
