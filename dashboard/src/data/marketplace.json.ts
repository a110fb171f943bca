import { runPage } from "../../loaders/page.ts";
import { marketplaceQueries } from "../../loaders/queries/marketplace.ts";

await runPage("Marketplace", marketplaceQueries);
