import { parseArgs } from "node:util";
import { modelPage } from "../../../loaders/model-cache.ts";

const { values } = parseArgs({ options: { product: { type: "string" } } });
try {
  process.stdout.write(JSON.stringify(await modelPage(values.product ?? "")));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
