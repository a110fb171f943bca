// The model pages are one templated page per product; Framework runs the loader once per product. Running
// every query once and filtering per product keeps a build with ~60 model pages to one warehouse scan.
// The shared result is cached in a temp file keyed by the warehouse (path, mtime and size).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runQueries, warehouseBuiltAt } from "./page.ts";
import { withSlugs } from "./products.ts";
import { modelQueries } from "./queries/model.ts";
import { duckdbPath, openWarehouse, target, type Row } from "./warehouse.ts";

export const MODEL_PAGE = "Model page";

type Results = Record<string, Row[]>;

function cacheFile(): string | null {
  if (target() !== "duckdb") return null;
  const path = duckdbPath();
  if (!existsSync(path)) return null;
  const st = statSync(path);
  const key = createHash("sha256").update(`${path}|${st.mtimeMs}|${st.size}`).digest("hex").slice(0, 16);
  return join(tmpdir(), `phonepipe-dashboard-models-${key}.json`);
}

async function queryAll(): Promise<{ source: string; results: Results }> {
  const wh = await openWarehouse();
  try {
    return { source: wh.description, results: await runQueries(wh, MODEL_PAGE, modelQueries) };
  } finally {
    await wh.close();
  }
}

export async function allModels(): Promise<{ source: string; results: Results }> {
  const file = cacheFile();
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const data = await queryAll();
  data.results.products = withSlugs(data.results.products);
  if (file) {
    // Written whole then renamed, so a loader running beside this one never reads half a file.
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  }
  return data;
}

/** One product's slice of every result (product null when no product has that slug). */
export async function modelPage(productSlug: string): Promise<object> {
  return slice(await allModels(), productSlug);
}

function slice({ source, results }: { source: string; results: Results }, productSlug: string): object {
  const product = results.products.find((p) => p.slug === productSlug) ?? null;
  const id = product?.product_id;
  const parts = Object.fromEntries(
    Object.entries(results)
      .filter(([name]) => name !== "products")
      .map(([name, rows]) => [name, rows.filter((r) => r.product_id === id)]),
  );
  return {
    page: MODEL_PAGE,
    source,
    generated_at: new Date().toISOString(),
    warehouse_built_at: warehouseBuiltAt(),
    product,
    results: parts,
  };
}

/**
 * Writes every product's page data where Framework caches the [product] loader's output. Framework runs
 * loaders one at a time, each in a fresh tsx process (~1 s); writing all ~60 slices from one process cuts
 * the build by about a minute. scripts/build.sh clears that cache whenever the warehouse changes.
 */
export async function writeAllSlices(dir: string): Promise<Row[]> {
  const all = await allModels();
  mkdirSync(dir, { recursive: true });
  for (const p of all.results.products) {
    writeFileSync(join(dir, `${p.slug}.json`), JSON.stringify(slice(all, String(p.slug))));
  }
  return all.results.products;
}
