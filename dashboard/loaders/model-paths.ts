// Prints the model pages' routes as a JSON array (observablehq.config.js reads it for dynamicPaths) and
// writes their data into Framework's loader cache. Also the build's first contact with the warehouse: a
// missing or locked file fails here, naming the file and the fix.
import { join } from "node:path";
import { writeAllSlices } from "./model-cache.ts";

try {
  const products = await writeAllSlices(
    join(import.meta.dirname, "..", "src", ".observablehq", "cache", "data", "model"),
  );
  process.stdout.write(JSON.stringify(products.map((p) => `/model/${p.slug}`)));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
