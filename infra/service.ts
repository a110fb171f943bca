/** The shape of a platform service (a detached process with ports and a health check) and its errors. */
import { existsSync } from "node:fs";
import { ManagedProcess } from "./process";

/** A failure to start the platform, with the log the user should read. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}

export interface ServiceStatus {
  name: string;
  running: boolean;
  healthy: boolean;
  pid?: number;
  endpoint: string;
  log: string;
}

export interface Service {
  proc: ManagedProcess;
  endpoint: string;
  ports: number[];
  healthy(): Promise<boolean>;
  start(): void;
  startTimeoutMs: number;
  /**
   * Runs once the service is healthy, at every `up` (it must be idempotent): setup that needs the running
   * service, such as the secure Kafka's ACLs. Resolves to a line for the log, if any.
   */
  ready?(): Promise<string | void>;
}

export function requireArtifact(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new PlatformError(`${what} not found at ${path}: run 'make bootstrap' (it resolves it with mvn)`);
  }
}

/** A health check over HTTP: `url` answers 2xx within two seconds. */
export async function answersOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
