/**
 * The Beam TS worker's data sink, as patched by infra/patches/apply-patches.js (npm postinstall): a DoFn that
 * emits thousands of elements in one call must send each element's bytes once. Unpatched, every element after
 * the first MB re-sent the whole buffer, and a cycle of a few thousand listings grew to many GB.
 */
import assert from "node:assert/strict";
/* eslint-disable @typescript-eslint/no-require-imports */
// Runtime subpaths, types from the shipped .d.ts (see pipelines/beam-sdk.ts for why).
require("apache-beam");
type OperatorsModule =
  typeof import("../../../node_modules/apache-beam/dist/src/apache_beam/worker/operators");
type FnApiModule = typeof import("../../../node_modules/apache-beam/dist/src/apache_beam/proto/beam_fn_api");
const { createOperator } = require("apache-beam/worker/operators") as OperatorsModule;
const { RemoteGrpcPort } = require("apache-beam/proto/beam_fn_api") as FnApiModule;

/** Stands in for the windowed-value coder: the element's bytes, length-prefixed (varint). */
const bytesCoder = {
  encode: (w: { value: Uint8Array }, writer: { bytes(b: Uint8Array): void }) => writer.bytes(w.value),
};

describe("Beam TS worker data sink (patched)", () => {
  it("sends every element once when a single DoFn call emits far more than its 1 MB flush threshold", async () => {
    const sent: Uint8Array[] = [];
    let closed = false;
    const context = {
      descriptor: {
        transforms: {
          sink: {
            spec: {
              urn: "beam:runner:sink:v1",
              payload: RemoteGrpcPort.toBinary({
                apiServiceDescriptor: {
                  url: "data",
                  authentication: undefined,
                  oauth2ClientCredentialsGrant: undefined,
                },
                coderId: "str",
              } as never),
            },
            outputs: {},
          },
        },
      },
      getReceiver: () => undefined,
      getDataChannel: () => ({
        getSendChannel: () => ({
          // As the real channel: the write is handed over, the promise resolves later.
          sendData: (data: Uint8Array) => {
            sent.push(data);
            return new Promise<void>((r) => setImmediate(r));
          },
          close: () => {
            closed = true;
          },
        }),
      }),
      getBundleId: () => "bundle-1",
      pipelineContext: { getCoder: () => bytesCoder },
    };
    const sink = createOperator("sink", context as never) as unknown as {
      startBundle(): Promise<void>;
      process(w: unknown): unknown;
      finishBundle(): Promise<void>;
    };
    await sink.startBundle();
    const element = new Uint8Array(1000).fill(7); // ~ a landing row
    const n = 3000; // ~3 MB in one synchronous burst, as a ReadOffsets call emitting a cycle's records
    const pending: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const r = sink.process({ value: element });
      if (r) pending.push(r);
    }
    await Promise.all(pending);
    await sink.finishBundle();
    const bytes = sent.reduce((s, d) => s + d.length, 0);
    assert.ok(closed, "the channel is closed at the end of the bundle");
    assert.ok(sent.length >= 3, `flushed in several sends (got ${sent.length})`);
    // Each element: a 2-byte varint length prefix + 1000 bytes.
    assert.equal(bytes, n * 1002, `sent ${bytes} bytes for ${n} elements of 1002 encoded bytes`);
  });
});
