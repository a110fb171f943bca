import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../../infra/chromium";
import { serveDashboard } from "../../infra/dashboard-site";
import { generateWarehouse, mustBuildDashboard, ROOT, RUN_DIR, warehouseFile } from "../../harness/dashboard";
import { PageDriver } from "../../harness/dashboard-pages";

/**
 * make bench-dashboard: the dashboard's build time and each page's time to rendered in headless chromium
 * (navigation start to every cell displayed), on a demo-like warehouse (90 days, 100,000 listing
 * observations; PHONEPIPE_BENCH_DASHBOARD_DATA_DIR reuses an existing data dir). Ends with one JSON line.
 */
const TARGET_BUILD_S = 90;
const TARGET_PAGE_MS = 2000;
const RUNS = Number(process.env.PHONEPIPE_BENCH_DASHBOARD_RUNS ?? 7);
const MODEL_PAGES = Number(process.env.PHONEPIPE_BENCH_DASHBOARD_MODEL_PAGES ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function prepareWarehouse(dir: string): string {
  const given = process.env.PHONEPIPE_BENCH_DASHBOARD_DATA_DIR;
  if (given) return given;
  const dataDir = join(dir, "data");
  console.log("generating a 90-day sample landing (100,000 observations) and building the warehouse");
  generateWarehouse(dataDir, 90, 100_000);
  return dataDir;
}

async function timePages(
  site: string,
  paths: string[],
): Promise<Record<string, { p50_ms: number; p95_ms: number }>> {
  const server = await serveDashboard(site);
  const browser = await launchChromium();
  try {
    const page = await PageDriver.attach(await browser.newPage());
    const out: Record<string, { p50_ms: number; p95_ms: number }> = {};
    for (const path of paths) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const v = await page.visit(new URL(path === "index" ? "" : path, server.url).href);
        if (v.errors.length) throw new Error(`${path}: ${v.errors.join("; ")}`);
        times.push(v.ms);
      }
      times.sort((a, b) => a - b);
      out[path] = { p50_ms: Math.round(percentile(times, 50)), p95_ms: Math.round(percentile(times, 95)) };
      console.log(
        `${path.padEnd(44)} p50 ${String(out[path].p50_ms).padStart(6)} ms   p95 ${String(out[path].p95_ms).padStart(6)} ms`,
      );
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const dir = join(RUN_DIR, "bench-dashboard");
  const dataDir = prepareWarehouse(dir);
  if (!existsSync(warehouseFile(dataDir))) throw new Error(`no warehouse at ${warehouseFile(dataDir)}`);
  // A cold build: no cached loader output.
  rmSync(join(ROOT, "dashboard", "src", ".observablehq", "cache", "data"), { recursive: true, force: true });
  const site = join(dir, "site");
  const build = mustBuildDashboard(dataDir, site);
  const buildS = Math.round(build.ms / 100) / 10;
  const models = readdirSync(join(site, "model")).map((f) => `model/${f.replace(/\.html$/, "")}`);
  console.log(`build: ${buildS} s (${models.length} model pages + 6 pages); each page opened ${RUNS} times`);
  const pages = await timePages(site, [
    "index",
    "deals",
    "sources",
    "marketplace",
    "pricing",
    "pipeline",
    ...models.slice(0, MODEL_PAGES),
  ]);
  const maxP95 = Math.max(...Object.values(pages).map((p) => p.p95_ms));
  const ok = buildS <= TARGET_BUILD_S && maxP95 <= TARGET_PAGE_MS;
  console.log(
    JSON.stringify({
      bench: "dashboard",
      warehouse: warehouseFile(dataDir),
      build_s: buildS,
      model_pages: models.length,
      runs_per_page: RUNS,
      pages,
      max_page_p95_ms: maxP95,
      targets: { build_s: TARGET_BUILD_S, page_ms: TARGET_PAGE_MS },
      ok,
    }),
  );
}

main().catch((err: Error) => {
  console.error(`bench-dashboard: ${err.message}`);
  process.exit(1);
});
