/** Starts, stops and reports on the local platform's services (infra/platform-services.ts). */
import { portIsFree, runningPid, stopProcess, tailOf, waitFor } from "./process";
import { PlatformError, Service, ServiceStatus } from "./platform-services";

export { APICURIO_VERSION, PlatformError } from "./platform-services";
export { KAFKA_VERSION } from "./kafka-node";
export type { Service, ServiceStatus } from "./platform-services";

export interface UpReport {
  name: string;
  action: "started" | "already running";
  seconds: number;
  endpoint: string;
}

/**
 * Starts every service that is not already running and waits until each is healthy. A second call finds
 * them running and starts nothing. Ports held by a foreign process are reported, not fought over.
 */
export async function platformUp(
  svcs: Service[],
  log: (msg: string) => void = () => {},
): Promise<UpReport[]> {
  const reports: UpReport[] = [];
  const started: Service[] = [];
  for (const svc of svcs) {
    const t0 = Date.now();
    const pid = runningPid(svc.proc);
    if (pid !== undefined) {
      const ok = await waitFor(svc.healthy, svc.startTimeoutMs, () =>
        runningPid(svc.proc) === undefined ? `${svc.proc.name} exited` : undefined,
      ).catch(() => false);
      if (!ok) {
        throw new PlatformError(
          `${svc.proc.name} (pid ${pid}) is running but not healthy; see ${svc.proc.logFile}`,
          svc.proc.logFile,
        );
      }
      await whenReady(svc, log);
      reports.push({ name: svc.proc.name, action: "already running", seconds: 0, endpoint: svc.endpoint });
      continue;
    }
    for (const port of svc.ports) {
      if (!(await portIsFree(port))) {
        throw new PlatformError(
          `port ${port} on 127.0.0.1 is already in use by another process, so ${svc.proc.name} cannot start; ` +
            `stop that process or choose other ports (PHONEPIPE_*_PORT variables)`,
        );
      }
    }
    log(`starting ${svc.proc.name} (log: ${svc.proc.logFile})`);
    try {
      svc.start();
    } catch (err) {
      await Promise.all(started.map((s) => stopProcess(s.proc)));
      throw err instanceof PlatformError ? err : new PlatformError((err as Error).message, svc.proc.logFile);
    }
    started.push(svc);
    let ok = false;
    let failure: string | undefined;
    try {
      ok = await waitFor(svc.healthy, svc.startTimeoutMs, () =>
        runningPid(svc.proc) === undefined ? `${svc.proc.name} exited during start-up` : undefined,
      );
    } catch (err) {
      failure = (err as Error).message;
    }
    if (!ok) {
      await Promise.all(started.map((s) => stopProcess(s.proc)));
      const why = failure ?? `${svc.proc.name} was not healthy within ${svc.startTimeoutMs / 1000} s`;
      throw new PlatformError(
        `${why}; log ${svc.proc.logFile} ends with:\n${tailOf(svc.proc.logFile)}`,
        svc.proc.logFile,
      );
    }
    try {
      await whenReady(svc, log);
    } catch (err) {
      await Promise.all(started.map((s) => stopProcess(s.proc)));
      throw err;
    }
    reports.push({
      name: svc.proc.name,
      action: "started",
      seconds: (Date.now() - t0) / 1000,
      endpoint: svc.endpoint,
    });
  }
  return reports;
}

async function whenReady(svc: Service, log: (msg: string) => void): Promise<void> {
  if (!svc.ready) return;
  try {
    const line = await svc.ready();
    if (line) log(`${svc.proc.name}: ${line}`);
  } catch (err) {
    throw new PlatformError(`${svc.proc.name} is healthy but its setup failed: ${(err as Error).message}`);
  }
}

/** Stops the services, the last started first. Succeeds when nothing is running. */
export async function platformDown(svcs: Service[]): Promise<Array<{ name: string; result: string }>> {
  const out: Array<{ name: string; result: string }> = [];
  for (const svc of [...svcs].reverse()) {
    out.push({ name: svc.proc.name, result: await stopProcess(svc.proc) });
  }
  return out;
}

export async function platformStatus(svcs: Service[]): Promise<ServiceStatus[]> {
  const out: ServiceStatus[] = [];
  for (const svc of svcs) {
    const pid = runningPid(svc.proc);
    out.push({
      name: svc.proc.name,
      running: pid !== undefined,
      healthy: pid !== undefined && (await svc.healthy()),
      pid,
      endpoint: svc.endpoint,
      log: svc.proc.logFile,
    });
  }
  return out;
}
