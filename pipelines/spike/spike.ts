/**
 * Spike: the smallest pipeline that exercises what the stream job relies on, on each runner.
 *   node dist/pipelines/spike/spike.js direct
 *   node dist/pipelines/spike/spike.js flink   <jobEndpoint>
 *   node dist/pipelines/spike/spike.js kafka   <jobEndpoint> <brokers> <topic> <expansionAddress>
 * Evidence and outcomes are recorded in README.md (stream section, "Spike").
 */
import * as beam from "apache-beam";
import {
  directRunner,
  PortableRunner,
  readFromKafkaWithMetadata,
  requireForSerialization,
} from "../beam-sdk";
import { readKafkaWithMetadata } from "../kafka-read";
import * as fs from "node:fs";
import Long from "long";

// The SDK only registers what is passed: requireForSerialization(name) alone registers nothing.
requireForSerialization("node:fs", fs);
requireForSerialization("long", { Long });
requireForSerialization("node:buffer", { Buffer });

const outFile = process.env.SPIKE_OUT || "/tmp/pp-stream/spike-out.jsonl";

function windowedCounts(root: beam.Root): beam.PCollection<unknown> {
  return root
    .apply(
      beam.create([
        { url: "a", t: 1000 },
        { url: "a", t: 2000 },
        { url: "b", t: 7000 },
      ]),
    )
    .apply(beam.assignTimestamps((e: { t: number }) => Long.fromNumber(e.t)))
    .apply(beam.windowInto(beam.fixedWindows(5)))
    .apply(beam.groupBy((e: { url: string }) => e.url))
    .map(function (kv: { key: string; value: Iterable<unknown> }) {
      const line = JSON.stringify({ url: kv.key, n: Array.from(kv.value).length });
      fs.appendFileSync(outFile, line + "\n");
      return line;
    });
}

async function main(): Promise<void> {
  const [mode, endpoint, brokers, topic, expansion] = process.argv.slice(2);
  if (mode === "direct") {
    await directRunner().run((root: beam.Root) => windowedCounts(root));
  } else if (mode === "flink") {
    const runner = new PortableRunner({ jobEndpoint: endpoint, environmentType: "LOOPBACK" });
    await runner.run((root: beam.Root) => windowedCounts(root));
  } else if (mode === "kafka") {
    process.env.BEAM_SERVICE_OVERRIDES = JSON.stringify({
      "sdks:java:io:expansion-service:shadowJar": expansion,
    });
    const runner = new PortableRunner({
      jobEndpoint: endpoint,
      environmentType: "LOOPBACK",
      streaming: true,
      checkpointingInterval: 5000,
    } as never);
    const result = await runner.runAsync(async (root: beam.Root) =>
      (
        (await root.applyAsync(
          process.env.SPIKE_SDK_READ
            ? readFromKafkaWithMetadata(
                { "bootstrap.servers": brokers, "auto.offset.reset": "earliest", "group.id": "spike" },
                [topic],
              )
            : readKafkaWithMetadata(
                {
                  topics: [topic],
                  consumerConfig: {
                    "bootstrap.servers": brokers,
                    "auto.offset.reset": "earliest",
                    "group.id": "spike",
                  },
                  maxNumRecords: Number(process.env.SPIKE_MAX_RECORDS || 0) || undefined,
                  commitOffsetInFinalize: true,
                },
                expansion,
              ),
        )) as beam.PCollection<unknown>
      ).map(function (rec: unknown) {
        fs.appendFileSync(
          outFile,
          JSON.stringify(rec, (_k, v) =>
            v instanceof Uint8Array ? Buffer.from(v).toString("hex") : typeof v === "bigint" ? String(v) : v,
          ) + "\n",
        );
        return 1;
      }),
    );
    console.log(
      "submitted; waiting",
      await result.waitUntilFinish(Number(process.env.SPIKE_WAIT_MS || 120000)),
    );
  } else {
    throw new Error("usage: spike.js direct|flink|kafka ...");
  }
  console.log("spike done:", mode);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
