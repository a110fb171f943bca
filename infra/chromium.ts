import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Headless Debian `chromium` driven over the Chrome DevTools Protocol with Node's built-in WebSocket client
 * (node --experimental-websocket on Node 20), so the browser tests and the dashboard benchmark need no npm
 * browser package and download nothing.
 */
interface MinimalWebSocket {
  send(data: string): void;
  close(): void;
  addEventListener(type: "message", cb: (ev: { data: unknown }) => void): void;
  addEventListener(type: "open" | "close" | "error", cb: (ev: unknown) => void): void;
}
type WebSocketCtor = new (url: string) => MinimalWebSocket;

type Json = Record<string, unknown>;
type Listener = (params: Json) => void;

export class CdpSession {
  private nextId = 1;
  private pending = new Map<number, { ok: (v: Json) => void; fail: (e: Error) => void }>();
  private listeners = new Map<string, Listener[]>();

  private constructor(private readonly ws: MinimalWebSocket) {
    ws.addEventListener("message", (ev) => this.onMessage(String(ev.data)));
  }

  static connect(url: string): Promise<CdpSession> {
    const Ctor = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!Ctor)
      throw new Error("no global WebSocket: run node with --experimental-websocket (Node 20) or Node >= 22");
    const ws = new Ctor(url);
    return new Promise((ok, fail) => {
      ws.addEventListener("open", () => ok(new CdpSession(ws)));
      ws.addEventListener("error", () => fail(new Error(`cannot connect to ${url}`)));
    });
  }

  send(method: string, params: Json = {}): Promise<Json> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) => this.pending.set(id, { ok, fail }));
  }

  on(method: string, cb: Listener): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), cb]);
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    const ex = r.exceptionDetails as Json | undefined;
    if (ex)
      throw new Error(
        `page evaluation failed: ${JSON.stringify((ex.exception as Json)?.description ?? ex.text)}`,
      );
    return (r.result as Json).value as T;
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      method?: string;
      params?: Json;
      result?: Json;
      error?: Json;
    };
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.fail(new Error(`CDP ${JSON.stringify(msg.error)}`));
      else p?.ok(msg.result ?? {});
    } else if (msg.method) {
      for (const cb of this.listeners.get(msg.method) ?? []) cb(msg.params ?? {});
    }
  }
}

export interface Browser {
  /** A new tab, attached: its CDP session. */
  newPage(): Promise<CdpSession>;
  close(): Promise<void>;
}

export async function launchChromium(
  binary = process.env.PHONEPIPE_CHROMIUM ?? "chromium",
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "phonepipe-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    `--user-data-dir=${profile}`,
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "about:blank",
  ];
  // Own process group: chromium's helpers (zygote, crashpad) go down with it and stop writing the profile.
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const endpoint = await devtoolsEndpoint(child);
  const httpBase = endpoint.replace(/^ws:/, "http:").replace(/\/devtools\/browser\/.*$/, "");
  const opened: CdpSession[] = [];
  return {
    async newPage(): Promise<CdpSession> {
      const res = await fetch(`${httpBase}/json/new?about:blank`, { method: "PUT" });
      const target = (await res.json()) as { webSocketDebuggerUrl: string };
      const s = await CdpSession.connect(target.webSocketDebuggerUrl);
      opened.push(s);
      return s;
    },
    async close(): Promise<void> {
      for (const s of opened) s.close();
      const exited = new Promise((done) => child.once("exit", done));
      killGroup(child, "SIGTERM");
      await exited;
      killGroup(child, "SIGKILL");
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function devtoolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((ok, fail) => {
    let err = "";
    child.once("error", (e) =>
      fail(new Error(`cannot start chromium (${e.message}): make bootstrap-dashboard installs it`)),
    );
    child.once("exit", (code) =>
      fail(new Error(`chromium exited (${code}) before DevTools was up: ${err.slice(-500)}`)),
    );
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) ok(m[1]);
    });
  });
}
