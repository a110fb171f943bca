import { runPage } from "../../loaders/page.ts";
import { withSlugs } from "../../loaders/products.ts";
import { marketQueries } from "../../loaders/queries/market.ts";

await runPage("Market price index", marketQueries, (r) => ({ products: withSlugs(r.products) }));
