/**
 * The seed's engine as the stream benchmark's peer: bench/stream/spark_ss/peer.py (PySpark Structured
 * Streaming on local[2]) over the same topic, in its own venv, with the jars `make bootstrap-spark-ss` copied.
 * Returns its last stdout line (one JSON object), or why it did not run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface SparkPeerResult {
  events_per_s: number;
  events_in: number;
  rows_out: number;
  startup_s: number;
  jvm_peak_rss_mb: number | null;
  python_peak_rss_mb: number | null;
  [k: string]: unknown;
}

export async function runSparkPeer(
  root: string,
  o: {
    brokers: string[];
    topic: string;
    windowSeconds: number;
    watermarkSeconds: number;
    expectedRows: number;
  },
  log: (line: string) => void,
): Promise<SparkPeerResult> {
  const python = join(root, ".venv", "spark-ss", "bin", "python");
  const jars = process.env.PHONEPIPE_SPARK_SS_JARS;
  if (!existsSync(python) || !jars)
    throw new Error("the Spark peer is not bootstrapped: run make bootstrap-spark-ss");
  const work = mkdtempSync(join(tmpdir(), "pp-bench-spark-"));
  const args = [
    join(root, "bench", "stream", "spark_ss", "peer.py"),
    ...["--brokers", o.brokers.join(","), "--topic", o.topic],
    ...["--schema-file", join(root, "schemas", "avro", "listings.scraped.avsc")],
    ...["--out", join(work, "out"), "--checkpoint", join(work, "checkpoint"), "--jars-dir", jars],
    ...["--window-seconds", String(o.windowSeconds), "--watermark-seconds", String(o.watermarkSeconds)],
    ...["--expected-rows", String(o.expectedRows)],
  ];
  try {
    const child = spawn(python, args, { stdio: ["ignore", "pipe", "pipe"] });
    let last = "";
    createInterface({ input: child.stderr! }).on("line", log);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      log(line);
      if (line.startsWith("{")) last = line;
    });
    const code = await new Promise<number>((ok) => child.once("exit", (c) => ok(c ?? 1)));
    if (code !== 0 || !last)
      throw new Error(`the Spark peer exited ${code}${last ? "" : " without its JSON line"}`);
    return JSON.parse(last) as SparkPeerResult;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
