// Prints the model pages' routes as a JSON array (observablehq.config.js reads it for dynamicPaths). Also the
// build's first contact with the warehouse: a missing or locked file fails here, naming the file and the fix.
import { allModels } from "./model-cache.ts";

try {
  const { results } = await allModels();
  process.stdout.write(JSON.stringify(results.products.map((p) => `/model/${p.slug}`)));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
