/** Runs bench/stream/stream-phase.js as a child process and follows what it reports. */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { waitFor } from "../../infra/process";
import type { StreamPhaseArgs } from "./stream-args";

export interface StreamDone {
  landed_rows: number;
  node_peak_rss_mb: number | null;
  job_server_peak_rss_mb: number | null;
  stage_ms: Record<string, { calls: number; ms: number }>;
}

export interface StreamChild {
  /** Rows landed so far (from the child's progress lines). */
  landedRows(): number;
  /** Resolves once the job server is up. */
  started: Promise<void>;
  /** Resolves with ms from start to `expectRows` landed, and the stage times then. */
  landed(): Promise<{ ms: number; stage_ms: StreamDone["stage_ms"] }>;
  /** Waits until `rows` rows have landed or `timeoutMs` passed; whether they did. */
  waitLanded(rows: number, timeoutMs: number): Promise<boolean>;
  /** Stops the stream (closes its stdin) and resolves with its final report. */
  stop(): Promise<StreamDone>;
}

export function startStreamChild(args: StreamPhaseArgs, logFile: (line: string) => void): StreamChild {
  const child = spawn(process.execPath, [join(__dirname, "stream-phase.js"), JSON.stringify(args)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let rows = 0;
  let jobServerPid: number | undefined;
  let done: StreamDone | undefined;
  const exited = new Promise<number>((ok) => child.once("exit", (code) => ok(code ?? 1)));
  const failed = exited.then((code) => {
    throw new Error(`stream benchmark child exited ${code} (log above)`);
  });
  failed.catch(() => undefined);
  let onStarted: () => void = () => undefined;
  let onLanded: (v: { ms: number; stage_ms: StreamDone["stage_ms"] }) => void = () => undefined;
  const started = new Promise<void>((ok) => (onStarted = ok));
  const landed = new Promise<{ ms: number; stage_ms: StreamDone["stage_ms"] }>((ok) => (onLanded = ok));
  createInterface({ input: child.stderr! }).on("line", logFile);
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.startsWith("{")) return; // the Beam SDK prints to stdout too
    const m = JSON.parse(line) as { event: string } & Record<string, unknown>;
    if (m.event === "started") {
      jobServerPid = (m.job_server_pid as number | null) ?? undefined;
      onStarted();
    } else if (m.event === "progress") rows = m.landed_rows as number;
    else if (m.event === "landed") onLanded(m as never);
    else if (m.event === "done") done = m as unknown as StreamDone;
  });
  return {
    landedRows: () => rows,
    started: Promise.race([started, failed]).then(() => undefined),
    landed: () => Promise.race([landed, failed]),
    waitLanded: (n, timeoutMs) => waitFor(async () => rows >= n, timeoutMs, undefined, 100),
    stop: async () => {
      child.stdin!.end();
      // A stream stuck in a cycle must not hang the benchmark: kill it, and its detached job server, after 2 min.
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        if (jobServerPid) process.kill(jobServerPid, "SIGKILL");
      }, 120_000);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0 || !done) throw new Error(`stream benchmark child exited ${code} without its report`);
      return done;
    },
  };
}
