import { runPage } from "../../loaders/page.ts";
import { withSlugs } from "../../loaders/products.ts";
import { dealsQueries } from "../../loaders/queries/deals.ts";

await runPage("Deals", dealsQueries, (r) => ({ products: withSlugs(r.products) }));
