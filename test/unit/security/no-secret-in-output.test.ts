/**
 * No `phonepipe` command prints a secret. Every command of the CLI's registry (cli/registry.ts) runs twice,
 * `--help` and a failing invocation (Kafka and the registry on a closed port, short timeouts), with a known
 * value in every secret variable the code reads (found by scanning the sources for *_PASSWORD, *_TOKEN,
 * *_SECRET, *_PASSPHRASE and *SASL* names); stdout, stderr and every file the command wrote under its data
 * and run dirs must contain none of them. A command without an entry in FAILING runs with no arguments.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, relative } from "node:path";
import { listCommands } from "../../../cli/registry";
import { repoRoot } from "../../../infra/fixture-site";

const ROOT = repoRoot();
const CLI = join(ROOT, "bin", "phonepipe");
/** Where secret variables are read: the TypeScript CLI and pipeline, dbt's profiles and scripts, Python helpers. */
const SOURCES = [
  "cli",
  "pipelines",
  "infra",
  "producers",
  "transforms",
  "schemas",
  "dbt",
  "airflow",
  "python",
  "pricing",
];
const SOURCE_EXTENSIONS = new Set([".ts", ".py", ".yml", ".yaml", ".sh"]);
const SECRET_NAME = /\b[A-Z][A-Z0-9_]*(?:PASSWORD|PASSPHRASE|TOKEN|SECRET|SASL_[A-Z0-9_]+)\b/g;
/** Named whether or not the scan finds them: the ones this test exists for. */
const ALWAYS = ["PHONEPIPE_SNOWFLAKE_PASSWORD", "PHONEPIPE_DBT_SERVICE_TOKEN", "PHONEPIPE_METRICS_TOKEN"];
const RUN_TIMEOUT_MS = 40_000;
const CONCURRENCY = 3;

interface Ctx {
  dir: string;
  closedPort: number;
}
interface Invocation {
  args: string[];
  stdin?: string;
}
/** A representative failing run of each command: one that reaches its error path without a broker. */
const FAILING: Record<string, (ctx: Ctx) => Invocation> = {
  backfill: () => ({
    args: ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:00:05Z", "--runner", "direct"],
  }),
  catalog: () => ({ args: ["no-such-action"] }),
  health: () => ({ args: ["--timeout-ms", "1000"] }),
  infra: () => ({ args: ["status"] }),
  "market-data": ({ dir }) => {
    const csv = join(dir, "prices.csv");
    writeFileSync(
      csv,
      "kind,product_title,retailer,price,currency,fx_base,fx_quote,fx_rate,effective_date\n" +
        "retail_price,iPhone 13 128GB,noon,30000,EGP,,,,2026-01-01\n",
    );
    return { args: ["load", csv] };
  },
  normalize: () => ({ args: [], stdin: "not json\n" }),
  pricing: () => ({ args: ["backtest"] }),
  produce: () => ({ args: ["listings.scraped"], stdin: '{"not": "a listing"}\n' }),
  schemas: () => ({ args: ["register"] }),
  scrape: ({ closedPort }) => ({
    args: ["noon", "--base-url", `http://127.0.0.1:${closedPort}`, "--max-pages", "1", "--dry-run"],
  }),
  simulate: () => ({ args: ["transactions", "--duration", "1", "--rate", "1"] }),
  // a job server that is not there: the metrics endpoint starts with its token, every cycle fails, no JVM starts
  stream: ({ closedPort }) => ({
    args: ["--metrics-port", "0", "--job-endpoint", `127.0.0.1:${closedPort}`, "--run-for-ms", "3000"],
  }),
  topics: () => ({ args: ["summary"] }),
  "worker-pool": () => ({ args: ["--port", "70000"] }),
};

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory())
      return ["node_modules", "target", "logs", "dbt_packages", "__pycache__"].includes(e.name)
        ? []
        : sourceFiles(path);
    return SOURCE_EXTENSIONS.has(extname(e.name)) ? [path] : [];
  });
}

/** Every secret variable named in the sources, each with a distinct value usable as a bearer token. */
function secretEnv(): Record<string, string> {
  const names = new Set(ALWAYS);
  for (const file of SOURCES.flatMap((d) => sourceFiles(join(ROOT, d))))
    for (const m of readFileSync(file, "utf8").matchAll(SECRET_NAME)) names.add(m[0]);
  return Object.fromEntries(
    [...names]
      .sort()
      .map((name) => [name, `leakcheck-${randomBytes(12).toString("hex")}-${name.toLowerCase()}`]),
  );
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function childEnv(secrets: Record<string, string>, dir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("PHONEPIPE_") && !(k in secrets) && !(k.replace(/_FILE$/, "") in secrets)) env[k] = v;
  return {
    ...env,
    ...secrets,
    PHONEPIPE_ROOT: ROOT,
    PHONEPIPE_CACHE: process.env.PHONEPIPE_CACHE,
    PHONEPIPE_DATA_DIR: join(dir, "data"),
    PHONEPIPE_RUN_DIR: join(dir, "run"),
    PHONEPIPE_KAFKA_BROKERS: `127.0.0.1:${port}`,
    PHONEPIPE_REGISTRY_URL: `http://127.0.0.1:${port}/apis/ccompat/v7`,
    PHONEPIPE_KAFKA_PORT: String(port),
    PHONEPIPE_KAFKA_CONTROLLER_PORT: String(port),
    PHONEPIPE_REGISTRY_PORT: String(port),
    PHONEPIPE_REGISTRY_MANAGEMENT_PORT: String(port),
    PHONEPIPE_PRODUCE_TIMEOUT_MS: "2000",
    PHONEPIPE_SCRAPER_MAX_RETRIES: "0",
    PHONEPIPE_SCRAPER_TIMEOUT_S: "2",
    PHONEPIPE_SCRAPER_DELAY_MS: "0",
  };
}

interface Outcome {
  label: string;
  code: number | null;
  timedOut: boolean;
  /** Where each output came from ("stdout", "stderr", a file under the run's dir) and its text. */
  outputs: Array<[string, string]>;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

async function runCli(label: string, inv: Invocation, env: NodeJS.ProcessEnv, dir: string): Promise<Outcome> {
  const child = spawn(CLI, inv.args, { cwd: ROOT, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin.on("error", () => undefined); // a command that never reads stdin
  child.stdin.end(inv.stdin ?? "");
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-(child.pid as number), "SIGKILL");
  }, RUN_TIMEOUT_MS);
  const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  clearTimeout(timer);
  const files = filesUnder(dir).filter((f) => statSync(f).size < 5_000_000);
  const outputs: Array<[string, string]> = [
    ["stdout", stdout],
    ["stderr", stderr],
  ];
  for (const f of files) outputs.push([relative(dir, f), readFileSync(f, "latin1")]);
  return { label, code, timedOut, outputs };
}

async function inPool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

/** "<secret variable> in <where>" for every secret value an outcome contains. */
function leaks(outcome: Outcome, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of outcome.outputs)
    for (const [name, value] of Object.entries(secrets))
      if (text.includes(value)) found.push(`${name} in ${where}`);
  return found;
}

describe("no phonepipe command prints a secret", function () {
  this.timeout(180_000);
  const commands = listCommands();
  const secrets = secretEnv();
  const outcomes = new Map<string, Outcome[]>();
  let base: string;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), "phonepipe-secrets-"));
    const port = await closedPort();
    const jobs = commands.flatMap((name) =>
      (["help", "failing"] as const).map((kind) => async () => {
        const dir = join(base, `${name}-${kind}`);
        mkdirSync(dir, { recursive: true });
        const inv =
          kind === "help"
            ? { args: ["--help"] }
            : (FAILING[name] ?? (() => ({ args: [] })))({ dir, closedPort: port });
        const outcome = await runCli(
          `phonepipe ${name} ${inv.args.join(" ")}`,
          { ...inv, args: [name, ...inv.args] },
          childEnv(secrets, dir, port),
          dir,
        );
        outcomes.set(name, [...(outcomes.get(name) ?? []), outcome]);
      }),
    );
    await inPool(jobs, CONCURRENCY);
  });

  after(() => rmSync(base, { recursive: true, force: true }));

  it("covers every command of the registry and every secret variable named in the sources", () => {
    assert.ok(commands.length >= 10 && commands.includes("stream"), commands.join(" "));
    for (const name of [...ALWAYS, "SNOWFLAKE_PASSWORD", "PGPASSWORD"]) assert.ok(name in secrets, name);
  });

  for (const name of commands) {
    it(`phonepipe ${name}: --help and a failing run print no secret`, () => {
      const runs = outcomes.get(name) ?? [];
      assert.equal(runs.length, 2, `${name} ran twice`);
      for (const run of runs) {
        assert.equal(run.timedOut, false, `${run.label} ended within ${RUN_TIMEOUT_MS} ms`);
        assert.deepEqual(leaks(run, secrets), [], `${run.label} (exit ${run.code}) printed a secret`);
      }
    });
  }
});
