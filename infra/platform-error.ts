/**
 * The platform's start-up error and artifact check, in a module of their own: kafka-node.ts needs them and
 * platform-services.ts needs kafka-node.ts, and the closure transform reads imports at load time, so the two
 * must not import each other.
 */
import { existsSync } from "node:fs";

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

export function requireArtifact(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new PlatformError(`${what} not found at ${path}: run 'make bootstrap' (it resolves it with mvn)`);
  }
}
