/** Input of the Flink cluster tests: listings of closed (past) windows, each URL observed several times. */
import { produce, encodeListing, StreamTestEnv } from "../../harness/stream";
import { scenarioListing } from "../../harness/stream-scenarios";

/**
 * Produces `urls` × `observations` listings with event times in windows that closed a minute ago, every
 * observation of a URL in its own or a shared window, and the first observation of each URL sent twice.
 * Resolves with every value produced (duplicates included).
 */
export async function producePastListings(
  env: StreamTestEnv,
  tag: string,
  urls: number,
  observations: number,
  windowMs: number,
): Promise<Array<Record<string, unknown>>> {
  const base = Math.floor((Date.now() - 60_000) / windowMs) * windowMs;
  const values: Array<Record<string, unknown>> = [];
  for (let u = 0; u < urls; u++) {
    for (let o = 0; o < observations; o++) {
      // Every other observation shares its window with the previous one: dedupe keeps the later.
      const at = base + Math.floor((o + 1) / 2) * windowMs + (u % 7) * 100 + o * 10;
      values.push(
        scenarioListing(`https://noon.com/${tag}/${u}`, at, { price_text: `EGP ${8000 + u * 10 + o}` }),
      );
    }
    values.push(values[values.length - observations]);
  }
  await produce(
    env,
    values.map((v) => ({
      key: String(v.url),
      value: encodeListing(env.schemaId, v),
      timestamp: String(v.scraped_at),
    })),
  );
  return values;
}
