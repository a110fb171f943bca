import { existsSync, readFileSync } from "node:fs";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";

/**
 * A replay of the recorded competitor sites (test/fixtures/sites/<site>/) on 127.0.0.1, on an ephemeral port:
 * the request URLs the scrapers make are mapped to recorded files, so the demo, the scraper benchmark and the
 * scraper tests run without the network. A scenario (test/fixtures/sites/<site>/scenarios/<name>/) overlays
 * files and may inject faults (faults.json: status codes for matching requests, a given number of times).
 */
export type SiteName = "noon" | "mobilemasr";

export interface RequestLogEntry {
  method: string;
  url: string;
  status: number;
  headers: IncomingMessage["headers"];
  at: number;
}

export interface FixtureSite {
  readonly baseUrl: string;
  /** Every request served, in order. */
  readonly requests: RequestLogEntry[];
  /** Switches the overlay (null = the base recording) and resets fault counters. */
  setScenario(name: string | null): void;
  close(): Promise<void>;
}

interface Fault {
  path: string;
  query?: Record<string, string>;
  status: number;
  /** How many times to answer with the fault; -1 = always. */
  times: number;
  headers?: Record<string, string>;
  body?: string;
}

/** The repository root: the nearest folder above `from` with a package.json and test/fixtures (dist/ has neither). */
export function repoRoot(from = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "test", "fixtures"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${from}`);
    dir = up;
  }
}

export function fixtureSitesDir(): string {
  return join(repoRoot(), "test", "fixtures", "sites");
}

/** `q=iphone 13` -> `q-iphone-13`: the folder a query's pages are recorded under. */
export function queryFolder(q: string): string {
  return (
    "q-" +
    q
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
  );
}

/** Maps a request to a fixture file (relative to the site folder), or a status when there is none. */
export function routeFor(
  site: SiteName,
  u: URL,
  headers: IncomingMessage["headers"],
): { file: string } | { status: number } {
  const path = decodeURIComponent(u.pathname);
  if (path === "/robots.txt") return { file: "robots.txt" };
  if (site === "mobilemasr") {
    if (path === "/search")
      return {
        file: `search/${queryFolder(u.searchParams.get("q") ?? "")}/page-${u.searchParams.get("page") ?? "1"}.html`,
      };
    const m = /^\/products\/show\/(.+)$/.exec(path);
    if (m) return { file: `products/${m[1].split("-").pop()}.html` };
    return { status: 404 };
  }
  // Noon: HTML pages are bot-protected; the catalog API wants the front end's headers.
  if (!path.startsWith("/_svc/catalog/api/v3/u/")) return { status: 403 };
  if (!headers["x-locale"] || !headers["x-platform"]) return { status: 403 };
  const rest = path.slice("/_svc/catalog/api/v3/u/".length);
  if (rest === "search")
    return {
      file: `search/${queryFolder(u.searchParams.get("q") ?? "")}/page-${u.searchParams.get("page") ?? "1"}.json`,
    };
  const m = /^(.+)\/([A-Z0-9]+)\/p\/?$/.exec(rest);
  if (m) return { file: `products/${m[2]}.json` };
  return { status: 404 };
}

function contentType(file: string): string {
  if (file.endsWith(".json")) return "application/json; charset=utf-8";
  if (file.endsWith(".html")) return "text/html; charset=utf-8";
  return "text/plain; charset=utf-8";
}

export async function startFixtureSite(
  site: SiteName,
  opts: { scenario?: string | null; root?: string } = {},
): Promise<FixtureSite> {
  const siteDir = join(opts.root ?? fixtureSitesDir(), site);
  if (!existsSync(siteDir)) throw new Error(`no fixture site at ${siteDir}`);
  // Mutable state lives in an object: the project's closure transform boxes reassigned captured `let`s.
  const state: { scenario: string | null; faults: (Fault & { used: number })[] } = {
    scenario: null,
    faults: [],
  };
  const requests: RequestLogEntry[] = [];

  const setScenario = (name: string | null) => {
    state.scenario = name;
    state.faults = [];
    if (name) {
      const dir = join(siteDir, "scenarios", name);
      if (!existsSync(dir)) throw new Error(`no scenario '${name}' for ${site} (${dir})`);
      const f = join(dir, "faults.json");
      if (existsSync(f))
        state.faults = (JSON.parse(readFileSync(f, "utf8")) as Fault[]).map((x) => ({ ...x, used: 0 }));
    }
  };
  setScenario(opts.scenario ?? null);

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (
      status: number,
      type: string,
      body: string | Buffer,
      headers: Record<string, string> = {},
    ) => {
      requests.push({
        method: req.method ?? "GET",
        url: u.pathname + u.search,
        status,
        headers: req.headers,
        at: Date.now(),
      });
      res.writeHead(status, { "content-type": type, ...headers });
      res.end(body);
    };
    const path = decodeURIComponent(u.pathname);
    for (const f of state.faults) {
      const queryOk = Object.entries(f.query ?? {}).every(([k, v]) => u.searchParams.get(k) === v);
      if (path.startsWith(f.path) && queryOk && (f.times < 0 || f.used < f.times)) {
        f.used++;
        const json = site === "noon";
        const body =
          f.body ??
          (json
            ? JSON.stringify({ error: `fault ${f.status}` })
            : `<html><body><h1>${f.status}</h1></body></html>`);
        return send(
          f.status,
          json ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
          body,
          f.headers,
        );
      }
    }
    const route = routeFor(site, u, req.headers);
    if ("status" in route) {
      const json = site === "noon" && path.startsWith("/_svc/");
      return send(
        route.status,
        json ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
        json
          ? JSON.stringify({ error: route.status === 403 ? "Forbidden" : "Not Found" })
          : `<html><body>${route.status}</body></html>`,
      );
    }
    const candidates = [
      state.scenario ? join(siteDir, "scenarios", state.scenario, route.file) : null,
      join(siteDir, route.file),
    ];
    for (const c of candidates) {
      if (c && existsSync(c)) return send(200, contentType(c), readFileSync(c));
    }
    return send(404, "text/html; charset=utf-8", "<html><body>404</body></html>");
  };

  const server = createServer(answer);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    setScenario,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * `node dist/infra/fixture-site.js <noon|mobilemasr> [scenario]` serves one fixture site until killed and
 * prints its base URL as the only stdout line (for the demo: `phonepipe scrape ... --base-url <that>`).
 */
if (require.main === module) {
  const [site, scenario] = process.argv.slice(2);
  if (site !== "noon" && site !== "mobilemasr") {
    console.error("usage: node dist/infra/fixture-site.js <noon|mobilemasr> [scenario]");
    process.exitCode = 2;
  } else {
    startFixtureSite(site, { scenario: scenario ?? null }).then(
      (s) => {
        console.log(s.baseUrl);
        const stop = () => void s.close().then(() => process.exit(0));
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      },
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : String(err));
        process.exitCode = 1;
      },
    );
  }
}
