import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DeliveryError, openAvroProducer } from "../../../producers/avro-producer";
import { isAlive, portIsFree } from "../../../infra/process";

const run = promisify(execFile);
const root = resolve(__dirname, "..", "..", "..", "..");
const cli = join(root, "bin", "phonepipe");

// A second platform on its own ports and run dir, so this test can stop it without touching the shared one.
// Below the kernel's ephemeral range (32768–60999), where a client socket could hold the port.
const ports = { kafka: 17092, controller: 17093, registry: 17081, management: 17001 };
const runDir = mkdtempSync(join(tmpdir(), "phonepipe-infra-test-"));
const env = {
  ...process.env,
  PHONEPIPE_RUN_DIR: runDir,
  PHONEPIPE_KAFKA_PORT: String(ports.kafka),
  PHONEPIPE_KAFKA_CONTROLLER_PORT: String(ports.controller),
  PHONEPIPE_REGISTRY_PORT: String(ports.registry),
  PHONEPIPE_REGISTRY_MANAGEMENT_PORT: String(ports.management),
  PHONEPIPE_KAFKA_BROKERS: "",
  PHONEPIPE_REGISTRY_URL: "",
};

const phonepipe = (...args: string[]) => run(cli, args, { env, timeout: 240_000 });
function activity(eventId: string) {
  return {
    event_id: eventId,
    user_id: "u1",
    session_id: "s1",
    activity_type: "listing_view",
    listing_id: "l1",
    search_query: null,
    device: "web",
    occurred_at: Date.now(),
  };
}

const pidOf = (name: string) => Number(readFileSync(join(runDir, "pids", `${name}.pid`), "utf8"));

describe("phonepipe infra up / status / down", function () {
  this.timeout(400_000);
  after(async () => {
    await phonepipe("infra", "down").catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  });

  let pids = { kafka: 0, registry: 0 };

  it("starts once and reports both services healthy; a second up starts nothing", async () => {
    const up = await phonepipe("infra", "up");
    assert.match(up.stdout, /kafka\s+started/);
    assert.match(up.stdout, /registry\s+started/);
    pids = { kafka: pidOf("kafka"), registry: pidOf("registry") };
    assert.ok(isAlive(pids.kafka) && isAlive(pids.registry));

    const again = await phonepipe("infra", "up");
    assert.match(again.stdout, /kafka\s+already running/);
    assert.equal(pidOf("kafka"), pids.kafka, "no second broker");

    const status = await phonepipe("infra", "status", "--json");
    const st = JSON.parse(status.stdout) as Array<{ name: string; healthy: boolean }>;
    assert.deepEqual(
      st.map((s) => [s.name, s.healthy]),
      [
        ["kafka", true],
        ["registry", true],
      ],
    );
    assert.ok(existsSync(join(runDir, "logs", "kafka.log")));
  });

  it("a produce call fails within 15 s with a clear error once the broker is stopped", async () => {
    await phonepipe("schemas", "register");
    const producer = await openAvroProducer({
      brokers: [`127.0.0.1:${ports.kafka}`],
      registryUrl: `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`,
    });
    try {
      await producer.send("marketplace.user_activity", [{ key: "u1", value: activity("e1") }]);
      assert.equal(producer.sent, 1);
      process.kill(-pids.kafka, "SIGKILL"); // the broker dies; the registry stays up
      const t0 = Date.now();
      await assert.rejects(
        producer.send("marketplace.user_activity", [{ key: "u1", value: activity("e2") }]),
        (err: unknown) => err instanceof DeliveryError && /marketplace\.user_activity/.test(err.message),
      );
      assert.ok(Date.now() - t0 < 15_000 + 1_000, `took ${Date.now() - t0} ms`);
    } finally {
      await producer.close();
    }
  });

  it("down stops everything and leaves no process or port behind; a second down succeeds", async () => {
    await phonepipe("infra", "down");
    assert.ok(!isAlive(pids.kafka), "broker process gone");
    assert.ok(!isAlive(pids.registry), "registry process gone");
    for (const p of Object.values(ports)) assert.ok(await portIsFree(p), `port ${p} released`);
    const again = await phonepipe("infra", "down");
    assert.match(again.stdout, /kafka\s+not running/);
  });

  it("refuses to start on a port another process holds, naming the port and the log", async () => {
    const net = await import("node:net");
    const blocker = net.createServer().listen(ports.kafka, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    try {
      await assert.rejects(phonepipe("infra", "up"), (err: { code?: number; stderr?: string }) => {
        assert.equal(err.code, 1);
        assert.match(
          err.stderr ?? "",
          new RegExp(`port ${ports.kafka} on 127\\.0\\.0\\.1 is already in use`),
        );
        return true;
      });
    } finally {
      blocker.close();
    }
  });
});
