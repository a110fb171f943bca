/**
 * Blocking entry points for DoFns (which are synchronous in the Beam TS SDK) onto the I/O worker thread.
 * Module-level functions, registered for serialization, so DoFn closures reference them by name only.
 */
import { createSyncFn } from "synckit";
import { join } from "node:path";
import type { DeadLetterRecord, SourceRecord } from "../transforms/stream/records";
import type { OffsetRead } from "../transforms/stream/offset-reads";
import type { TopicSpec } from "../schemas/catalog-model";
import { timed } from "./stage-times";

export type IoRequest =
  | { op: "schema"; registryUrl: string; id: number }
  | {
      op: "writeParquet";
      dir: string;
      fileName: string;
      jsonLines: string;
      progressFile?: string;
      windowEnd?: number;
      /** The catalog spec of the rows' contract: the file's columns and order. */
      spec: TopicSpec;
      /** Set to also load the file into Snowflake (when PHONEPIPE_SNOWFLAKE_ACCOUNT is set). */
      topic?: string;
    }
  | { op: "deadLetters"; brokers: string[]; registryUrl: string; records: DeadLetterRecord[] }
  | { op: "deadLettersToFile"; path: string; records: DeadLetterRecord[] }
  | { op: "readOffsets"; brokers: string[]; topic: string; read: OffsetRead }
  | { op: "close" };

export interface IoResponse {
  schema?: string | null;
  path?: string;
  count?: number;
  records?: SourceRecord[];
}

let syncFn: ((req: IoRequest) => IoResponse) | undefined;

/** Calls the I/O worker and waits for its answer; throws what the worker threw. */
export function callIo(req: IoRequest): IoResponse {
  syncFn ??= createSyncFn<(req: IoRequest) => Promise<IoResponse>>(join(__dirname, "io-worker.js"), {
    timeout: Number(process.env.PHONEPIPE_IO_TIMEOUT_MS || 120_000),
  });
  const fn = syncFn;
  return timed(`io.${req.op}`, () => fn(req));
}

/** Produces dead letters to `<topic>.dlq` (or appends them to a JSON-lines file) and waits until they are durable. */
export function deadLettersSync(
  records: DeadLetterRecord[],
  to: { file?: string; brokers: string[]; registryUrl: string },
): void {
  if (to.file) callIo({ op: "deadLettersToFile", path: to.file, records });
  else callIo({ op: "deadLetters", brokers: to.brokers, registryUrl: to.registryUrl, records });
}
