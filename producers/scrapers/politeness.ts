/**
 * How hard the scrapers may hit a site. Defaults are polite for the live sites; tests and the benchmark
 * pass smaller delays explicitly. Every value can be set from the environment (see docs/sources.md).
 */
export interface Politeness {
  /** Sent on every request; names the project and a contact URL. */
  userAgent: string;
  /** Minimum pause between two requests to the same domain. */
  delayMs: number;
  /** Retries of one request after a 429, a 5xx or a network error. */
  maxRetries: number;
  /** First retry waits about this long; each further retry doubles it (with jitter). */
  backoffBaseMs: number;
  /** Upper bound of one backoff wait, also applied to a server's Retry-After. */
  backoffMaxMs: number;
  /** Per-request timeout. */
  timeoutSecs: number;
}

export const DEFAULT_CONTACT_URL = "https://github.com/phonepipe/phonepipe#scraping";

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name}=${raw} is not a number >= ${min}`);
  return n;
}

export function userAgentFor(version: string, contactUrl: string): string {
  return `phonepipe-scraper/${version} (+${contactUrl})`;
}

export function politenessFromEnv(env: NodeJS.ProcessEnv = process.env, version = "0.1.0"): Politeness {
  const contact = env.PHONEPIPE_SCRAPER_CONTACT_URL || DEFAULT_CONTACT_URL;
  return {
    userAgent: env.PHONEPIPE_SCRAPER_USER_AGENT || userAgentFor(version, contact),
    delayMs: num(env, "PHONEPIPE_SCRAPER_DELAY_MS", 2000),
    maxRetries: Math.floor(num(env, "PHONEPIPE_SCRAPER_MAX_RETRIES", 4)),
    backoffBaseMs: num(env, "PHONEPIPE_SCRAPER_BACKOFF_MS", 2000),
    backoffMaxMs: num(env, "PHONEPIPE_SCRAPER_BACKOFF_MAX_MS", 60000),
    timeoutSecs: num(env, "PHONEPIPE_SCRAPER_TIMEOUT_S", 30, 1),
  };
}

/**
 * Pure: how long to wait before retry number `attempt` (1-based). Exponential with "equal jitter"
 * (half fixed, half random), capped; a server's Retry-After wins when present, within the cap.
 */
export function backoffMs(
  p: Politeness,
  attempt: number,
  retryAfterHeader?: string,
  random = Math.random,
): number {
  const ra = parseRetryAfter(retryAfterHeader);
  if (ra !== undefined) return Math.min(ra, p.backoffMaxMs);
  const exp = Math.min(p.backoffMaxMs, p.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Retry-After in delta-seconds or HTTP-date form, as milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(h: string | undefined, now = Date.now()): number | undefined {
  if (!h) return undefined;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const t = Date.parse(h);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
