import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  emptyWarehouse,
  generateWarehouse,
  mustBuildDashboard,
  RUN_DIR,
  warehouseFile,
} from "../../harness/dashboard";

/**
 * One generated warehouse and two dashboard builds (over it, and over an empty copy) shared by every
 * dashboard test file in the mocha run: generating and building take about a minute each.
 */
export interface Fixture {
  dir: string;
  dataDir: string;
  warehouse: string;
  site: string;
  emptyDataDir: string;
  emptySite: string;
  screenshots: string;
}

let pending: Promise<Fixture> | undefined;

export function fixture(): Promise<Fixture> {
  pending ??= (async () => {
    const dir = join(RUN_DIR, "dashboard-test");
    const dataDir = join(dir, "data");
    const days = Number(process.env.PHONEPIPE_DASHBOARD_TEST_DAYS ?? 30);
    const rows = Number(process.env.PHONEPIPE_DASHBOARD_TEST_ROWS ?? 20000);
    // PHONEPIPE_DASHBOARD_TEST_REUSE=1 keeps the last run's generated warehouse (faster local iterations).
    if (process.env.PHONEPIPE_DASHBOARD_TEST_REUSE !== "1" || !existsSync(warehouseFile(dataDir))) {
      generateWarehouse(dataDir, days, rows);
    }
    const site = join(dir, "site");
    mustBuildDashboard(dataDir, site);
    const emptyDataDir = join(dir, "empty-data");
    await emptyWarehouse(warehouseFile(dataDir), emptyDataDir);
    const emptySite = join(dir, "empty-site");
    mustBuildDashboard(emptyDataDir, emptySite);
    return {
      dir,
      dataDir,
      warehouse: warehouseFile(dataDir),
      site,
      emptyDataDir,
      emptySite,
      screenshots: join(dir, "screenshots"),
    };
  })();
  return pending;
}
