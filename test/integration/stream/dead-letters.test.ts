/**
 * Dead letters reach `<topic>.dlq` through the I/O worker's long-lived producer (real broker and registry),
 * also after a DLQ topic that producer once wrote to was deleted: kafkajs then fails every later send with
 * "This server does not host this topic-partition" unless the producer is replaced.
 */
import assert from "node:assert/strict";
import { callIo } from "../../../pipelines/io-sync";
import type { DeadLetterRecord } from "../../../transforms/stream/records";
import { readDlq, setUpStreamTest, StreamTestEnv } from "../../../harness/stream";

const deadLetter = (topic: string, offset: number): DeadLetterRecord => ({
  original_topic: topic,
  partition: 0,
  offset,
  original_key_b64: null,
  original_value_b64: Buffer.from("not avro").toString("base64"),
  stage: "decode",
  error: "bad frame",
  error_type: "bad_frame",
  failed_at: Date.now(),
  pipeline: "phonepipe-stream",
});

describe("dead-letter producer", function () {
  this.timeout(120_000);
  let retired: StreamTestEnv | undefined;
  let live: StreamTestEnv | undefined;
  after(async () => {
    await retired?.cleanup();
    await live?.cleanup();
  });

  it("still delivers after a DLQ topic it wrote to before was deleted", async () => {
    retired = await setUpStreamTest(1);
    live = await setUpStreamTest(1);
    const brokers = retired.brokers;
    const registryUrl = retired.registryUrl;
    callIo({ op: "deadLetters", brokers, registryUrl, records: [deadLetter(retired.topic, 1)] });
    assert.equal((await readDlq(retired, 1, 30_000)).length, 1);
    await retired.cleanup(); // deletes the topic and its .dlq
    retired = undefined;

    const { count } = callIo({
      op: "deadLetters",
      brokers,
      registryUrl,
      records: [deadLetter(live.topic, 7), deadLetter(live.topic, 8)],
    });
    assert.equal(count, 2);
    const got = await readDlq(live, 2, 30_000);
    assert.deepEqual(
      got.map((d) => [d.offset, d.stage, d.error_type]),
      [
        [7, "decode", "bad_frame"],
        [8, "decode", "bad_frame"],
      ],
    );
  });
});
