import { runPage } from "../../loaders/page.ts";
import { withSlugs } from "../../loaders/products.ts";
import { sourcesQueries } from "../../loaders/queries/sources.ts";

await runPage("Sources", sourcesQueries, (r) => ({ products: withSlugs(r.products) }));
