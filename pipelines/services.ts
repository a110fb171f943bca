/**
 * The Beam job servers the pipelines use, started and stopped by the project: Flink (embedded `[local]` Flink or
 * a remote `--flink-master`) for the stream, Spark 3 for backfills. Each runs from a classpath folder that
 * `make bootstrap-beam` resolves with mvn (the registry this project reaches does not serve the shaded
 * "*-job-server" jars), with the Java-17 patch jar first. Pid files under <runDir>/stream let a restart after
 * kill -9 end an orphan first; owner files keep one phonepipe process per service and run dir.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { freePorts } from "./free-ports";
import {
  isAlive,
  ManagedProcess,
  portAcceptsConnections,
  runningPid,
  startDetached,
  stopProcess,
  tailOf,
  waitFor,
} from "../infra/process";

export const BEAM_VERSION = "2.49.0";

/** JDK 17 module opens Flink, Spark and Beam's code generation need. */
export const JDK17_OPENS = [
  "java.base/java.util",
  "java.base/java.lang",
  "java.base/java.lang.reflect",
  "java.base/java.lang.invoke",
  "java.base/java.io",
  "java.base/java.nio",
  "java.base/sun.nio.ch",
  "java.base/java.net",
  "java.base/java.util.concurrent",
  "java.base/java.util.concurrent.atomic",
  "java.base/java.text",
  "java.base/java.time",
  "java.base/sun.nio.cs",
  "java.base/sun.security.action",
  "java.base/sun.util.calendar",
].map((m) => `--add-opens=${m}=ALL-UNNAMED`);

/** A Java service run from a classpath folder of the Beam cache. */
export interface JavaServiceSpec {
  /** Names its pid, log and owner files under <runDir>/stream. */
  name: string;
  /** Its classpath folder under the Beam cache. */
  dir: string;
  main: string;
  /** -Xmx unless ServiceOptions.heap says otherwise. */
  heap: string;
  /** `sidePorts`: free ports for listeners beside the main one, bound to loopback like it. */
  args(port: number, o: ServiceOptions, sidePorts: number[]): string[];
}

export type ServiceKind = "flink" | "spark";

const JOB_SERVERS: Record<ServiceKind, JavaServiceSpec> = {
  flink: {
    name: "flink",
    dir: "flink-1.15-job-server",
    main: "org.apache.beam.runners.flink.FlinkJobServerDriver",
    heap: "1g",
    args: (port, o, side) =>
      jobServerArgs(["--flink-master", o.flinkMaster ?? "[local]"], [port, ...side], o),
  },
  spark: {
    name: "spark",
    dir: "spark-3-job-server",
    main: "org.apache.beam.runners.spark.SparkJobServerDriver",
    heap: "1g",
    args: (port, o, side) =>
      jobServerArgs(["--spark-master-url", o.sparkMaster ?? "local[2]"], [port, ...side], o),
  },
};

export function beamCacheDir(cacheDir: string): string {
  return join(cacheDir, `beam-${BEAM_VERSION}`);
}

/** The patch jar that goes first on every Beam JVM's classpath (Java 17 support in Beam's code generation). */
export function java17PatchJar(cacheDir: string): string {
  return join(beamCacheDir(cacheDir), "beam-java17-patch.jar");
}

export function classpathFor(cacheDir: string, spec: Pick<JavaServiceSpec, "dir">): string {
  const base = beamCacheDir(cacheDir);
  const dir = join(base, spec.dir);
  if (!existsSync(dir)) {
    throw new Error(
      `${dir} is missing: run 'make bootstrap-beam' first (resolves the Beam ${BEAM_VERSION} services with mvn)`,
    );
  }
  return [java17PatchJar(cacheDir), `${dir}/*`].join(":");
}

export interface RunningService {
  /** The service's name (flink, spark, ...). */
  kind: string;
  /** host:port of its gRPC endpoint. */
  endpoint: string;
  pid: number;
  proc: ManagedProcess;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  cacheDir: string;
  runDir: string;
  port?: number;
  /** Flink: "[local]" (embedded) or host:port of a cluster's JobManager REST endpoint. */
  flinkMaster?: string;
  /** Spark: "local[2]" or spark://host:7077. */
  sparkMaster?: string;
  /** Flink checkpoints / artifacts live here. */
  workDir?: string;
  startTimeoutMs?: number;
  heap?: string;
  /** A name to tell several instances apart in the run dir (tests). */
  instance?: string;
  /** JVM flags before the main class, e.g. `-Dspark.*` settings for a standalone Spark master. */
  jvmArgs?: string[];
  /** Added to the service's environment. */
  env?: Record<string, string>;
}

/**
 * The Beam job servers take the same flags but for the one naming their cluster. The expansion service binds
 * --job-host; the job and artifact services listen on every interface whatever it says (Beam 2.49's server
 * factory binds by port only), so the job server belongs on a host no untrusted network reaches.
 */
function jobServerArgs(
  masterFlag: string[],
  [job, artifact, expansion]: number[],
  o: ServiceOptions,
): string[] {
  return [
    ...masterFlag,
    "--job-host",
    "127.0.0.1",
    "--job-port",
    String(job),
    "--artifact-port",
    String(artifact),
    "--expansion-port",
    String(expansion),
    ...(o.workDir ? ["--artifacts-dir", join(o.workDir, "artifacts")] : []),
  ];
}

/** Ends a service left running by a previous (killed) run of the same instance. */
export async function stopStale(kind: string, o: ServiceOptions): Promise<void> {
  const proc = managed(kind, o);
  if (runningPid(proc) !== undefined) await stopProcess(proc, 10_000);
}

function managed(kind: string, o: ServiceOptions): ManagedProcess {
  const name = `${kind}${o.instance ? `-${o.instance}` : ""}`;
  return {
    name,
    pidFile: join(o.runDir, "stream", `${name}.pid`),
    logFile: join(o.runDir, "stream", `${name}.log`),
  };
}

/** Another live phonepipe process already runs this service in the same run dir. */
export class ServiceInUseError extends Error {}

function ownerFile(kind: string, o: ServiceOptions): string {
  return join(o.runDir, "stream", `${managed(kind, o).name}.owner`);
}

function ownerPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims the service's slot in the run dir for this process. Without it a second phonepipe process on the same
 * run dir would take the first one's service for an orphan (stopStale) and end it mid-job. The owner file holds
 * the pid of the Node process that started the service; a dead owner (kill -9) leaves the slot free, so a
 * restart still ends the orphan as before.
 */
export function claimService(kind: string, o: ServiceOptions): void {
  const file = ownerFile(kind, o);
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" }); // exclusive: two starters cannot both win
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = ownerPid(file);
    if (owner === process.pid) return;
    if (owner !== undefined && isAlive(owner)) {
      throw new ServiceInUseError(
        `another phonepipe process (pid ${owner}) runs the ${managed(kind, o).name} service in ${o.runDir}; ` +
          `stop it first, or give this run its own run dir (PHONEPIPE_RUN_DIR)`,
      );
    }
    rmSync(file, { force: true }); // its owner is gone: take the slot over
  }
  throw new ServiceInUseError(`could not claim ${file}: another process claimed it at the same time`);
}

/** Gives the slot back if this process holds it. */
export function releaseService(kind: string, o: ServiceOptions): void {
  const file = ownerFile(kind, o);
  if (ownerPid(file) === process.pid) rmSync(file, { force: true });
}

export async function startService(kind: ServiceKind, o: ServiceOptions): Promise<RunningService> {
  return startJavaService(JOB_SERVERS[kind], o);
}

/** Starts `spec` for this process, refusing while another live process runs it in the same run dir. */
export async function startJavaService(spec: JavaServiceSpec, o: ServiceOptions): Promise<RunningService> {
  claimService(spec.name, o);
  try {
    return await startOnFreePort(spec, o);
  } catch (err) {
    releaseService(spec.name, o);
    throw err;
  }
}

/**
 * A port freePorts() released can be taken before the service binds it (by the service's own port-0
 * listeners, or a client socket): when we chose the port and the service could not bind it, try another.
 */
async function startOnFreePort(spec: JavaServiceSpec, o: ServiceOptions): Promise<RunningService> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startClaimedService(spec, o);
    } catch (err) {
      const lostPort = /BindException|Address already in use|Failed to bind/.test((err as Error).message);
      if (o.port !== undefined || !lostPort || attempt >= 3) throw err;
    }
  }
}

/** Stops every service in `services`, the last started first. */
export async function stopServices(services: RunningService[]): Promise<void> {
  for (const s of services.reverse()) await s.stop().catch(() => undefined);
}

async function startClaimedService(spec: JavaServiceSpec, o: ServiceOptions): Promise<RunningService> {
  const kind = spec.name;
  await stopStale(kind, o);
  const [chosen, ...sidePorts] = await freePorts(3);
  const port = o.port ?? chosen;
  const proc = managed(kind, o);
  const env = {
    ...process.env,
    ...o.env,
    JDK_JAVA_OPTIONS: [process.env.JDK_JAVA_OPTIONS ?? "", ...JDK17_OPENS].join(" ").trim(),
  };
  const javaArgs = [
    `-Xmx${o.heap ?? spec.heap}`,
    "-XX:+UseSerialGC",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-Dorg.slf4j.simpleLogger.log.org.apache.beam.runners.jobsubmission=info",
    ...(o.jvmArgs ?? []),
    "-cp",
    classpathFor(o.cacheDir, spec),
    spec.main,
    ...spec.args(port, o, sidePorts),
  ];
  const pid = startDetached(proc, "java", javaArgs, { env });
  const ok = await waitFor(
    () => portAcceptsConnections(port),
    o.startTimeoutMs ?? 120_000,
    () =>
      runningPid(proc) === undefined
        ? `${kind} service exited during start-up:\n${tailOf(proc.logFile)}`
        : undefined,
    300,
  );
  if (!ok) {
    await stopProcess(proc, 5_000);
    throw new Error(`${kind} service did not open port ${port} in time:\n${tailOf(proc.logFile)}`);
  }
  return {
    kind,
    endpoint: `127.0.0.1:${port}`,
    pid,
    proc,
    stop: async () => {
      await stopProcess(proc, 15_000);
      releaseService(kind, o);
    },
  };
}
