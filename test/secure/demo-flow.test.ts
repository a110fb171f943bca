/**
 * The demo end to end on the secure profile (infra/demo.sh with PHONEPIPE_DEMO_PROFILE=secure): scrape,
 * simulate, load, stream, dbt, the quality checkpoint and the dashboard. Every command reaches Kafka as its own
 * principal, and the broker's audit log (every authorization decision) shows who wrote and read what.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../infra/config";
import { loadSecureConfig } from "../../infra/secure/config";
import { loadCatalog } from "../../schemas/catalog";
import { DLQ_SUFFIX } from "../../schemas/index";
import { requireSecureEnv } from "./secure-support";

const ROOT = resolve(__dirname, "..", "..", "..");
const AUDIT_LINE =
  /Principal = User:(\S+) is (Allowed|Denied) operation = (\w+) from host = \S+ on resource = (\w+):\w+:(\S+) for request = (\w+)/;

interface Decision {
  principal: string;
  allowed: boolean;
  operation: string;
  resourceType: string;
  resource: string;
  request: string;
}

const auditLog = (): string => join(loadSecureConfig(loadConfig()).runDir, "logs", "kafka-audit.log");

/** The authorization decisions logged after byte `from` of the audit log (other tests' come before). */
function auditDecisions(from: number): Decision[] {
  return readFileSync(auditLog())
    .subarray(from)
    .toString("utf8")
    .split("\n")
    .map((line) => AUDIT_LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, principal, verdict, operation, resourceType, resource, request]) => ({
      principal,
      allowed: verdict === "Allowed",
      operation,
      resourceType,
      resource,
      request,
    }));
}

/** principal → the topics it was allowed `operation` on. */
function topicsBy(decisions: Decision[], operation: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of decisions)
    if (d.allowed && d.operation === operation && d.resourceType === "Topic")
      out.set(d.principal, (out.get(d.principal) ?? new Set()).add(d.resource));
  return out;
}

describe("secure profile: the demo flow with each component as its own principal", function () {
  this.timeout(900_000);
  let dir: string;
  before(() => {
    requireSecureEnv();
    dir = mkdtempSync(join(tmpdir(), "pp-secure-demo-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("scrapes, simulates, loads, streams and builds the warehouse; each writes only its topics", () => {
    const auditFrom = existsSync(auditLog()) ? statSync(auditLog()).size : 0;
    const run = spawnSync(join(ROOT, "infra", "demo.sh"), [], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 840_000,
      env: {
        ...process.env,
        PHONEPIPE_DEMO_PROFILE: "secure",
        PHONEPIPE_DEMO_KEEP_PLATFORM: "1",
        PHONEPIPE_DATA_DIR: join(dir, "data"),
        PHONEPIPE_RUN_DIR: join(dir, "run"),
        PHONEPIPE_DASHBOARD_OUT: join(dir, "dashboard"),
      },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, output.slice(-4000));
    for (const step of [
      "scrape-mobilemasr",
      "simulate-marketplace",
      "market-data-load",
      "stream-flink",
      "dbt-build",
    ])
      assert.match(run.stdout, new RegExp(`== ${step} +ok`), `step ${step}: ${output.slice(-2000)}`);

    const decisions = auditDecisions(auditFrom);
    assert.deepEqual(
      decisions.filter((d) => !d.allowed),
      [],
      "no component was refused anything it needed",
    );
    const writes = topicsBy(decisions, "WRITE");
    const reads = topicsBy(decisions, "READ");
    const producerOf = new Map(loadCatalog().map((s) => [s.topic, s.producer]));
    for (const [principal, topics] of writes)
      for (const topic of topics) {
        const own = producerOf.get(topic) === principal;
        const deadLetter = principal === "stream" && topic.endsWith(DLQ_SUFFIX);
        assert.ok(own || deadLetter, `${principal} wrote ${topic}, which is not its topic`);
      }
    const produced = [
      "listings.scraped",
      "marketplace.transactions",
      "marketplace.user_activity",
      "market.reference_prices",
    ];
    for (const topic of produced) {
      const producer = producerOf.get(topic) ?? "";
      assert.ok(writes.get(producer)?.has(topic), `${producer} wrote ${topic} as itself`);
      assert.ok(reads.get("stream")?.has(topic), `the stream read ${topic} as itself`);
    }
    assert.ok(!writes.has("admin") && !reads.has("admin"), "the admin principal touched no data topic");
  });
});
