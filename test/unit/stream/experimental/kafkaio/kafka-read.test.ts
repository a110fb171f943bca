/** The KafkaIO external configuration: Beam row encoding of MAP / ARRAY / nullable fields. */
import assert from "node:assert/strict";
import {
  encodeKafkaReadRow,
  kafkaReadPayload,
} from "../../../../../pipelines/experimental/kafkaio/kafka-read";
import { ExternalConfigurationPayload } from "../../../../../pipelines/experimental/kafkaio/beam-external";

describe("KafkaIO read configuration", () => {
  it("encodes field count, null bitmap, ARRAY<STRING>, MAP<STRING,STRING> and INT64 as Beam rows do", () => {
    const bytes = encodeKafkaReadRow({
      topics: ["t"],
      consumerConfig: { a: "b" },
      keyDeserializer: "K",
      valueDeserializer: "V",
      startReadTime: 300,
      timestampPolicy: "CreateTime",
    });
    // Field count 10 (varint), then the null bitmap, length-prefixed: fields 4, 5 and 7 (max_num_records,
    // max_read_time, stop_read_time) in byte 0, field 8 (commit_offset_in_finalize) in byte 1.
    const expected = [10, 2, (1 << 4) | (1 << 5) | (1 << 7), 1];
    const body = [
      0,
      0,
      0,
      1,
      1,
      116, // topics: int32 count, "t"
      0,
      0,
      0,
      1,
      1,
      97,
      1,
      98, // consumer_config: int32 count, "a" → "b"
      1,
      75,
      1,
      86, // "K", "V"
      0xac,
      0x02, // start_read_time 300 as varint
      10,
      ...Buffer.from("CreateTime"),
    ];
    assert.deepEqual([...bytes], [...expected, ...body]);
  });

  it("declares the schema the Java Configuration setters expect", () => {
    const payload = ExternalConfigurationPayload.fromBinary(
      kafkaReadPayload({ topics: ["x"], consumerConfig: {} }),
    );
    const byName = Object.fromEntries(
      (payload.schema?.fields ?? []).map((f) => [f.name, f.type?.typeInfo.oneofKind]),
    );
    assert.equal(byName.consumer_config, "mapType");
    assert.equal(byName.topics, "arrayType");
    assert.equal(byName.timestamp_policy, "atomicType");
  });
});
