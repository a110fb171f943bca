/**
 * The Beam SDK entry points the pipelines use that "apache-beam" itself does not re-export.
 * apache-beam publishes them through package.json "exports" ("./*" → dist/src/apache_beam/*.js), which
 * TypeScript's `moduleResolution: node` (this repo's tsconfig) does not read; so the values come from the
 * runtime subpaths and the types from the shipped .d.ts files. `typeof import()` rather than
 * `import type`: ts-closure-transform turns even type-only imports into runtime requires.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
// Load the package entry first: its subpath modules have import cycles that only resolve in this order.
require("apache-beam");

type DirectRunnerModule =
  typeof import("../node_modules/apache-beam/dist/src/apache_beam/runners/direct_runner");
type PortableRunnerModule =
  typeof import("../node_modules/apache-beam/dist/src/apache_beam/runners/portable_runner/runner");
type SerializationModule = typeof import("../node_modules/apache-beam/dist/src/apache_beam/serialization");

export const { directRunner } = require("apache-beam/runners/direct_runner") as DirectRunnerModule;
export const { PortableRunner } =
  require("apache-beam/runners/portable_runner/runner") as PortableRunnerModule;
export const { requireForSerialization } = require("apache-beam/serialization") as SerializationModule;

type StandardCodersModule =
  typeof import("../node_modules/apache-beam/dist/src/apache_beam/coders/standard_coders");
const { VarIntCoder } = require("apache-beam/coders/standard_coders") as StandardCodersModule;

/**
 * apache-beam 2.49.0's VarIntCoder (beam:coder:varint:v1, also used for INT32/INT64 row fields) reads and
 * writes only 32-bit varints: a Java INT64 such as a Kafka offset or an epoch-ms timestamp (> 2^31) makes
 * protobufjs skip bytes and the whole row decode fails ("index out of range: 290 + 10 > 290"). Reading and
 * writing 64-bit varints gives identical bytes for every 32-bit value, so patch it once, in this process
 * (LOOPBACK runs the TS worker in the submitting process; a remote worker pool imports this module too).
 */
interface VarintReader {
  int64(): number | { toNumber(): number };
}
interface VarintWriter {
  int64(v: number): unknown;
}
const varIntProto = VarIntCoder.prototype as unknown as {
  encode(el: number, w: VarintWriter): void;
  decode(r: VarintReader): number;
  __phonepipeInt64?: boolean;
};
if (!varIntProto.__phonepipeInt64) {
  varIntProto.encode = function (element: number, writer: VarintWriter): void {
    writer.int64(element);
  };
  varIntProto.decode = function (reader: VarintReader): number {
    const v = reader.int64();
    return typeof v === "number" ? v : v.toNumber();
  };
  varIntProto.__phonepipeInt64 = true;
}

type RunnerApiModule =
  typeof import("../node_modules/apache-beam/dist/src/apache_beam/proto/beam_runner_api");
export const runnerApi = require("apache-beam/proto/beam_runner_api") as RunnerApiModule;

/**
 * The SDK worker opens gRPC streams to the runner (control, data, state) without an 'error' listener, so when
 * the job server goes away (cancel, shutdown, crash) Node raises an uncaught exception and the process dies
 * before it can stop cleanly. Attach a listener that reports the error as one line: the job's own state
 * (waitUntilFinish) says whether the job failed.
 */
type FnApiClients = Record<string, { prototype: Record<string, unknown> }>;
const fnApiClients =
  require("apache-beam/proto/org/apache/beam/model/fn_execution/v1/beam_fn_api.grpc-client") as FnApiClients;
for (const [cls, method] of [
  ["BeamFnControlClient", "control"],
  ["BeamFnDataClient", "data"],
  ["BeamFnStateClient", "state"],
] as const) {
  const proto = fnApiClients[cls].prototype as Record<string, unknown> & { __phonepipeGuard?: boolean };
  if (proto.__phonepipeGuard) continue;
  const original = proto[method] as (...args: unknown[]) => {
    on(ev: string, fn: (e: Error) => void): unknown;
  };
  proto[method] = function (this: unknown, ...args: unknown[]) {
    const stream = original.apply(this, args);
    // The SDK's own listeners print a stack trace for CANCELLED (code 1), which is how every bounded job's
    // streams end: pass them only real errors.
    const on = stream.on.bind(stream);
    stream.on = (ev: string, fn: (e: Error) => void) =>
      on(
        ev,
        ev === "error"
          ? (e: Error) => {
              if ((e as Error & { code?: number }).code !== 1) fn(e);
            }
          : fn,
      );
    stream.on("error", (e: Error & { code?: number }) => {
      if (e.code !== 1) console.warn(`beam worker ${method} channel closed: ${e.message.split("\n")[0]}`);
    });
    return stream;
  };
  proto.__phonepipeGuard = true;
}

type JobApiModule = typeof import("../node_modules/apache-beam/dist/src/apache_beam/proto/beam_job_api");
const { JobState_Enum } = require("apache-beam/proto/beam_job_api") as JobApiModule;

/** "DONE", "FAILED", ... for the numeric job state the portable runner reports. */
export function jobStateName(state: unknown): string {
  return typeof state === "number" ? String(JobState_Enum[state] ?? state) : String(state);
}

const TERMINAL_STATES = new Set(["DONE", "FAILED", "CANCELLED", "UPDATED", "DRAINED"]);

/**
 * A portable job's final state, polled every `pollMs`. The SDK's waitUntilFinish multiplies its poll interval
 * by 1.2 each time, so a finished job is noticed up to a fifth of its run time late: a second on a 5 s job.
 */
export async function finalJobState(
  result: { getState(): Promise<{ state: unknown }> },
  pollMs = 50,
): Promise<string> {
  for (;;) {
    const name = jobStateName((await result.getState()).state);
    if (TERMINAL_STATES.has(name)) return name;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * The SDK worker and portable runner print every control instruction and several lines per job to stdout;
 * the micro-batch stream runs a job every few seconds, which would bury the metrics lines. Drop exactly that
 * chatter unless PHONEPIPE_BEAM_VERBOSE=1.
 */
const SDK_CHATTER =
  /^(Processing |Starting loopback workers|Server bound on port|Preparing job\.|Staging artifacts|Running job\.)/;
if (
  process.env.PHONEPIPE_BEAM_VERBOSE !== "1" &&
  !(console as { __phonepipeQuiet?: boolean }).__phonepipeQuiet
) {
  for (const level of ["log", "debug", "info"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const first = args[0];
      if (typeof first === "string" && SDK_CHATTER.test(first)) return;
      if (args.length <= 2 && first && typeof first === "object" && "instructionId" in first) return;
      original(...args);
    };
  }
  (console as { __phonepipeQuiet?: boolean }).__phonepipeQuiet = true;
}
