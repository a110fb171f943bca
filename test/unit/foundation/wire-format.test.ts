import { strict as assert } from "node:assert";
import { decodeWithSchema, AvroDecodeError } from "../../../producers/avro-decoder";
import { decodeConfluentFrame, encodeConfluent, WireFormatError } from "../../../producers/wire-format";
import { loadTopicSchema } from "../../../schemas";

describe("Confluent wire format", () => {
  it("frames a body as magic byte 0 + big-endian schema id + body", () => {
    const framed = encodeConfluent(0x01020304, Buffer.from([9, 8, 7]));
    assert.deepEqual([...framed], [0, 1, 2, 3, 4, 9, 8, 7]);
    const frame = decodeConfluentFrame(framed);
    assert.equal(frame.schemaId, 0x01020304);
    assert.deepEqual([...frame.body], [9, 8, 7]);
  });

  it("rejects empty, short and non-zero-magic frames with a reason", () => {
    assert.throws(() => decodeConfluentFrame(Buffer.alloc(0)), /empty message/);
    assert.throws(() => decodeConfluentFrame(Buffer.from([0, 0, 1])), /shorter than the 5-byte/);
    assert.throws(() => decodeConfluentFrame(Buffer.from([7, 0, 0, 0, 1, 2])), WireFormatError);
    assert.throws(() => decodeConfluentFrame(Buffer.from([7, 0, 0, 0, 1, 2])), /magic byte is 7/);
  });

  it("decodes a framed record with its writer schema and names a corrupt body", () => {
    const type = loadTopicSchema("marketplace.user_activity");
    const value = {
      event_id: "e-1",
      user_id: "u-1",
      session_id: "s-1",
      activity_type: "search",
      listing_id: null,
      search_query: "ايفون 13",
      device: "android",
      occurred_at: 1_760_000_000_000,
    };
    const framed = encodeConfluent(42, type.toBuffer(value));
    const decoded = decodeWithSchema(framed, (id) => {
      assert.equal(id, 42);
      return type;
    });
    assert.deepEqual(decoded, { schemaId: 42, value });
    const truncated = framed.subarray(0, framed.length - 3);
    assert.throws(() => decodeWithSchema(truncated, () => type), AvroDecodeError);
  });
});
