import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { dirname } from "node:path";

/** A background process started by phonepipe: its pid lives in a file so later commands can find it. */
export interface ManagedProcess {
  name: string;
  pidFile: string;
  logFile: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readPid(p: ManagedProcess): number | undefined {
  if (!existsSync(p.pidFile)) return undefined;
  const pid = Number(readFileSync(p.pidFile, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Pid of the process if it is running, else undefined (and a stale pid file is removed). */
export function runningPid(p: ManagedProcess): number | undefined {
  const pid = readPid(p);
  if (pid === undefined) return undefined;
  if (isAlive(pid)) return pid;
  rmSync(p.pidFile, { force: true });
  return undefined;
}

/**
 * Starts `command` detached in its own process group, output appended to the log file, and records its pid.
 * The group lets `stopProcess` end the JVM and anything it forked.
 */
export function startDetached(
  p: ManagedProcess,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): number {
  mkdirSync(dirname(p.logFile), { recursive: true });
  mkdirSync(dirname(p.pidFile), { recursive: true });
  const fd = openSync(p.logFile, "a");
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${p.name} (${command})`);
    child.unref();
    writeFileSync(p.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Polls `check` until it is true or `timeoutMs` passes; `failFast` stops early (e.g. the process died). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  failFast: () => string | undefined = () => undefined,
  intervalMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    const reason = failFast();
    if (reason) throw new Error(reason);
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopProcess(p: ManagedProcess, graceMs = 30_000): Promise<"stopped" | "not running"> {
  const pid = runningPid(p);
  if (pid === undefined) return "not running";
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signalGroup("SIGTERM");
  const exited = await waitFor(async () => !isAlive(pid), graceMs);
  if (!exited) {
    signalGroup("SIGKILL");
    await waitFor(async () => !isAlive(pid), 10_000);
  }
  rmSync(p.pidFile, { force: true });
  return "stopped";
}

export function portAcceptsConnections(port: number, host = "127.0.0.1", timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

/** True when nothing listens on the port (we can bind it ourselves). */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** Last lines of a log, to show next to a failure. */
export function tailOf(file: string, lines = 15): string {
  if (!existsSync(file)) return "(no log written)";
  const text = readFileSync(file, "utf8").trimEnd().split("\n");
  return text.slice(-lines).join("\n");
}
