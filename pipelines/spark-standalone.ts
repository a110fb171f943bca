/**
 * What the Beam Spark job server (the Spark driver of a backfill) needs besides `--spark-master-url`: the master
 * URL read and checked, and for a standalone master the Spark settings its executors need, passed to the job
 * server as JVM system properties (Spark's SparkConf reads every `spark.*` property).
 */
import { JDK17_OPENS } from "./services";

/** Heap of the one executor a backfill asks for: the worker's SPARK_WORKER_MEMORY (1536m) must hold it. */
export const SPARK_EXECUTOR_MEMORY = "1g";

export type SparkMaster = { kind: "local" } | { kind: "standalone"; host: string; port: number; url: string };

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** `local`, `local[N]`, `local[*]` or `spark://host:port`; anything else is a usage error naming the value. */
export function parseSparkMaster(url: string): SparkMaster {
  if (/^local(\[(\d+|\*)(,\d+)?\])?$/.test(url)) return { kind: "local" };
  const m = /^spark:\/\/([^:/,]+|\[[^\]]+\]):(\d+)\/?$/.exec(url);
  if (m) {
    const port = Number(m[2]);
    if (port > 0 && port < 65536) return { kind: "standalone", host: m[1], port, url };
  }
  throw new Error(
    `Spark master URL '${url}' is not local[N] or spark://host:port ` +
      `(--spark-master-url or PHONEPIPE_SPARK_MASTER_URL)`,
  );
}

/** The master URL a backfill uses: the option, else PHONEPIPE_SPARK_MASTER_URL, else local[2]. */
export function sparkMasterFrom(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return option ?? (env.PHONEPIPE_SPARK_MASTER_URL || "local[2]");
}

export function isLoopback(master: SparkMaster): boolean {
  return master.kind === "local" || LOOPBACK.has(master.host);
}

/**
 * JVM flags of the job server for a standalone master:
 * - executor memory, so the executor fits the worker's offer (Spark's default of 1g could change);
 * - the Java 17 opens for executors: Spark 3.3 adds its own list, Beam's coders also need java.text/java.time;
 * - the Java-17 patch jar first on the executors' classpath, as on the job server's;
 * - with the master on this machine, the driver's address (executors connect back to it and fetch the
 *   staged jars from it) is 127.0.0.1, so nothing listens on other interfaces.
 */
export function standaloneDriverJvmArgs(master: SparkMaster, patchJar: string): string[] {
  if (master.kind !== "standalone") return [];
  return [
    `-Dspark.executor.memory=${SPARK_EXECUTOR_MEMORY}`,
    `-Dspark.executor.extraJavaOptions=${JDK17_OPENS.join(" ")}`,
    `-Dspark.executor.extraClassPath=${patchJar}`,
    ...(isLoopback(master) ? ["-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"] : []),
  ];
}

/**
 * Pipeline options for the Spark runner. To a non-local master Beam stages every jar of the job server's
 * classpath unless told which files (232 jars, 254 MB copied into each application's work dir). A master on
 * this machine is the cluster profile's, whose executors already run from that classpath folder
 * ($SPARK_HOME/jars), so only the patch jar is staged there; a remote cluster gets Beam's default.
 */
export function sparkPipelineOptions(master: SparkMaster, patchJar: string): { filesToStage?: string[] } {
  return master.kind === "standalone" && isLoopback(master) ? { filesToStage: [patchJar] } : {};
}

/** The job server's Spark UI binds SPARK_LOCAL_IP, else every interface. */
export function driverEnv(master: SparkMaster): Record<string, string> {
  return isLoopback(master) ? { SPARK_LOCAL_IP: "127.0.0.1" } : {};
}
