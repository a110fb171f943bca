import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";

/**
 * Serves the built dashboard (dashboard/dist) on 127.0.0.1: the static site Framework writes, with its clean
 * URLs (/deals -> deals.html, /model/x -> model/x.html). `make dashboard` runs it; the browser tests and the
 * benchmark start it on an ephemeral port.
 *   node dist/infra/dashboard-site.js [DIST_DIR] [PORT]
 */
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv; charset=utf-8",
};

export interface DashboardSite {
  readonly url: string;
  close(): Promise<void>;
}

/** The file a request path maps to, or null (never outside root). */
export function resolveFile(root: string, urlPath: string): string | null {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0])).replace(/^(\.\.[/\\])+/, "");
  const base = join(root, clean);
  if (!base.startsWith(root)) return null;
  for (const candidate of [base, `${base}.html`, join(base, "index.html")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

export function serveDashboard(distDir: string, port = 0): Promise<DashboardSite> {
  const root = resolve(distDir);
  if (!existsSync(join(root, "index.html"))) {
    throw new Error(`no built dashboard in ${root}: run \`make dashboard-build\` first`);
  }
  const server: Server = createServer((req, res) => {
    const file = resolveFile(root, req.url ?? "/");
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address() as AddressInfo;
      ok({ url: `http://127.0.0.1:${p}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (require.main === module) {
  const dir = process.argv[2] ?? resolve(__dirname, "..", "..", "dashboard", "dist");
  const port = Number(process.argv[3] ?? process.env.PHONEPIPE_DASHBOARD_PORT ?? 3000);
  serveDashboard(dir, port).then(
    (site) => console.log(`dashboard: serving ${dir} at ${site.url} (Ctrl-C stops)`),
    (err: Error) => {
      console.error(`dashboard: ${err.message}`);
      process.exit(1);
    },
  );
}
