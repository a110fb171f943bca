import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CdpSession } from "../infra/chromium";

/** A page is rendered when its last cell (the data-source line) is on screen and no cell is still loading. */
export const RENDERED =
  "!!document.querySelector('.page-source') && !document.querySelector('observablehq-loading')";

export interface Visit {
  /** Console errors, uncaught exceptions, failed loads and cell errors seen while the page rendered. */
  errors: string[];
  /** Requests to anything but the dashboard's own server. */
  external: string[];
  ms: number;
}

/** Watches one tab: errors and requests, reset on each visit. */
export class PageDriver {
  private errors: string[] = [];
  private requests: string[] = [];
  private loaded: (() => void) | null = null;

  private constructor(readonly session: CdpSession) {
    session.on("Runtime.exceptionThrown", (p) =>
      this.errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`),
    );
    session.on("Runtime.consoleAPICalled", (p) => {
      if (p.type === "error") this.errors.push(`console.error: ${JSON.stringify(p.args)}`);
    });
    session.on("Log.entryAdded", (p) => {
      const e = p.entry as { level: string; text: string; url?: string };
      if (e.level === "error") this.errors.push(`log: ${e.text} ${e.url ?? ""}`);
    });
    session.on("Network.requestWillBeSent", (p) =>
      this.requests.push(String((p.request as { url: string }).url)),
    );
    session.on("Page.loadEventFired", () => this.loaded?.());
  }

  static async attach(session: CdpSession): Promise<PageDriver> {
    for (const domain of ["Runtime", "Log", "Network", "Page"]) await session.send(`${domain}.enable`);
    return new PageDriver(session);
  }

  /** Opens url and waits (in the page, no fixed sleeps) until `until` holds; fails after timeoutMs. */
  async visit(url: string, until = RENDERED, timeoutMs = 30000): Promise<Visit> {
    this.errors = [];
    this.requests = [];
    const t0 = performance.now();
    const loaded = new Promise<void>((ok) => (this.loaded = ok));
    await this.session.send("Page.navigate", { url });
    await loaded;
    await this.waitFor(until, timeoutMs);
    const ms = performance.now() - t0;
    const cellErrors = await this.session.evaluate<string[]>(
      "[...document.querySelectorAll('.observablehq--error')].map((e) => e.textContent)",
    );
    const origin = new URL(url).origin;
    return {
      errors: [...this.errors, ...cellErrors.map((t) => `cell error: ${t}`)],
      external: this.requests.filter((u) => !u.startsWith(origin) && !/^(data|blob|about):/.test(u)),
      ms,
    };
  }

  waitFor(condition: string, timeoutMs = 30000): Promise<boolean> {
    return this.session.evaluate<boolean>(`new Promise((ok, fail) => {
      const t0 = performance.now();
      const tick = () => {
        let v = false;
        try { v = (${condition}); } catch (e) { v = false; }
        if (v) ok(true);
        else if (performance.now() - t0 > ${timeoutMs}) fail(new Error(${JSON.stringify(`timed out waiting for ${condition}`)}));
        else requestAnimationFrame(tick);
      };
      tick();
    })`);
  }

  async screenshot(dir: string, name: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    const r = await this.session.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
    });
    writeFileSync(join(dir, `${name}.png`), Buffer.from(String(r.data), "base64"));
  }
}
