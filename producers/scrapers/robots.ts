import { RobotsTxtFile } from "@crawlee/utils";
import { Politeness } from "./politeness";

/** The product token robots.txt rules are matched against (`User-agent: phonepipe-scraper`). */
export const ROBOTS_AGENT = "phonepipe-scraper";

/** Pure: the Crawl-delay (ms) robots.txt asks of our agent (or of `*`), if any. */
export function crawlDelayMs(robotsTxt: string, agent = ROBOTS_AGENT): number | undefined {
  let groupAgents: string[] = [];
  let inRules = false;
  const delays = new Map<string, number>();
  for (const rawLine of robotsTxt.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (key === "user-agent") {
      if (inRules) groupAgents = [];
      inRules = false;
      groupAgents.push(value.toLowerCase());
    } else {
      inRules = true;
      if (key === "crawl-delay" && Number(value) >= 0)
        for (const a of groupAgents) delays.set(a, Number(value) * 1000);
    }
  }
  return delays.get(agent.toLowerCase()) ?? delays.get("*");
}

export interface RobotsPolicy {
  file: RobotsTxtFile;
  /** Crawl-delay for us, when robots.txt sets one. */
  crawlDelayMs?: number;
  /** How the file was obtained, for the log. */
  note: string;
}

/**
 * Fetches `<origin>/robots.txt` with our own User-Agent (crawlee's built-in fetch would send a browser-like
 * one). 404/410 and other 4xx mean no restrictions; a 5xx or a network error means "disallow everything"
 * until robots.txt can be read, which is the conservative reading.
 */
export async function fetchRobots(origin: string, p: Politeness): Promise<RobotsPolicy> {
  const url = new URL("/robots.txt", origin).href;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { "user-agent": p.userAgent, accept: "text/plain,*/*" },
      signal: AbortSignal.timeout(p.timeoutSecs * 1000),
    });
  } catch (e) {
    return {
      file: RobotsTxtFile.from(url, "User-agent: *\nDisallow: /\n"),
      note: `robots.txt unreachable (${(e as Error).message}): disallowing everything`,
    };
  }
  const text = await res.text();
  if (res.status >= 500) {
    return {
      file: RobotsTxtFile.from(url, "User-agent: *\nDisallow: /\n"),
      note: `robots.txt answered ${res.status}: disallowing everything`,
    };
  }
  if (res.status >= 400)
    return { file: RobotsTxtFile.from(url, ""), note: `robots.txt answered ${res.status}: no restrictions` };
  return { file: RobotsTxtFile.from(url, text), crawlDelayMs: crawlDelayMs(text), note: "robots.txt read" };
}

/** Per-origin cache of robots policies for one crawl. */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<RobotsPolicy>>();
  private readonly p: Politeness;

  constructor(p: Politeness) {
    this.p = p;
  }

  policy(url: string): Promise<RobotsPolicy> {
    const origin = new URL(url).origin;
    let hit = this.byOrigin.get(origin);
    if (!hit) {
      hit = fetchRobots(origin, this.p);
      this.byOrigin.set(origin, hit);
    }
    return hit;
  }
}
