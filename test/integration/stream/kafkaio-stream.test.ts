/**
 * The experimental KafkaIO source (`phonepipe stream --source kafkaio`: cross-language KafkaIO on the embedded
 * Flink job server, LOOPBACK TypeScript worker) on the real broker + registry: exact deduplicated landing and
 * exact dead letters. Run by `make test-kafkaio-live`, not by `make test`
 * (docs/decisions/0001-micro-batches-over-kafkaio.md).
 */
import { randomBytes } from "node:crypto";
import { startStream, StreamHandle } from "../../../pipelines/experimental/kafkaio/run-stream";
import { setUpStreamTest, StreamTestEnv } from "../../../harness/stream";
import { assertDedupeScenarioLanded, produceDedupeScenario } from "../../../harness/stream-scenarios";

const WINDOW_S = 2;

describe("stream job on embedded Flink (KafkaIO cross-language)", function () {
  this.timeout(600_000);
  let env: StreamTestEnv;
  let handle: StreamHandle | undefined;

  before(async () => {
    env = await setUpStreamTest(2);
  });
  after(async () => {
    await handle?.stop();
    await env?.cleanup();
  });

  it("lands exactly the deduplicated observations and dead-letters exactly the bad records", async () => {
    handle = await startStream({
      topic: env.topic,
      contract: "listings.scraped",
      dataDir: env.dataDir,
      runDir: env.runDir,
      cacheDir: env.cacheDir,
      registryUrl: env.registryUrl,
      brokers: env.brokers,
      flinkMaster: "[local]",
      groupId: `it-${randomBytes(4).toString("hex")}`,
      windowSeconds: WINDOW_S,
      allowedLatenessSeconds: 30,
      shards: 2,
      parallelism: 1,
      checkpointIntervalMs: 3000,
      metricsIntervalMs: 5000,
      fxRatesToEgp: { USD: 50 },
      resume: true,
      instance: "it-flink",
    });
    const scenario = await produceDedupeScenario(env, WINDOW_S * 1000);
    await assertDedupeScenarioLanded(env, scenario, 240_000);
  });
});
