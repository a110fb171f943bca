import { runPage } from "../../loaders/page.ts";
import { withSlugs } from "../../loaders/products.ts";
import { pricingQueries } from "../../loaders/queries/pricing.ts";

await runPage("Pricing engine", pricingQueries, (r) => ({ products: withSlugs(r.products) }));
