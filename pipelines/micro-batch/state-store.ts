/**
 * The stream's state files, one per topic under <dataDir>/state: what each partition has landed and read,
 * and the pending cycle. Written atomically (temp file, fsync, rename), so a crash leaves the old state or
 * the new one, never a torn file.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { MicroBatchState, parseMicroBatchState } from "../../transforms/stream/micro-batch";
import { withPending } from "./progress";
import { writeFailure } from "../write-error";

export function stateFileFor(dataDir: string, topic: string): string {
  return join(dataDir, "state", `${topic}.micro-batch.json`);
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    const fd = openSync(tmp, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeFailure("stream state file", file, err);
  }
}

export class StateStore {
  /** State file per topic. */
  readonly files: Record<string, string> = {};

  constructor(dataDir: string, topics: string[]) {
    for (const t of topics) this.files[t] = stateFileFor(dataDir, t);
  }

  /** The saved state, or undefined when there is none; a damaged file throws, naming the file. */
  read(topic: string): MicroBatchState | undefined {
    const file = this.files[topic];
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
    return parseMicroBatchState(text, topic, file);
  }

  exists(topic: string): boolean {
    return existsSync(this.files[topic]);
  }

  write(topic: string, state: MicroBatchState): void {
    writeAtomically(this.files[topic], JSON.stringify(state) + "\n");
  }

  /** Records the cycle about to run, so a restart after a crash replays it exactly. */
  writePending(
    topic: string,
    state: MicroBatchState,
    readTo: Record<string, number>,
    closeBefore: number,
  ): void {
    this.write(topic, withPending(state, readTo, closeBefore));
  }
}
