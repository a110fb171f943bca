import { DLQ_SUFFIX, TOPICS } from "./index";

/**
 * Topic layout, chosen deliberately:
 * - listings are keyed by URL hash and are the busiest stream: 6 partitions so a Flink job can scale out;
 * - marketplace and pricing topics: 3 partitions, ordered per natural key (order id, user id);
 * - reference prices are tiny manual uploads: 1 partition keeps them in upload order;
 * - dead letters: 1 partition each, kept 30 days so someone can inspect and replay them.
 * Retention lets a restarted or backfilling job re-read a week of data from Kafka.
 */
export interface TopicSpec {
  topic: string;
  partitions: number;
  retentionMs: number;
}

const DAY = 86_400_000;

const DATA_TOPICS: Record<(typeof TOPICS)[number], { partitions: number; retentionDays: number }> = {
  "listings.scraped": { partitions: 6, retentionDays: 7 },
  "marketplace.transactions": { partitions: 3, retentionDays: 14 },
  "marketplace.user_activity": { partitions: 3, retentionDays: 7 },
  "pricing.suggestions": { partitions: 3, retentionDays: 7 },
  "market.reference_prices": { partitions: 1, retentionDays: 30 },
};

export function topicSpecs(): TopicSpec[] {
  const out: TopicSpec[] = [];
  for (const t of TOPICS) {
    const s = DATA_TOPICS[t];
    out.push({ topic: t, partitions: s.partitions, retentionMs: s.retentionDays * DAY });
    out.push({ topic: `${t}${DLQ_SUFFIX}`, partitions: 1, retentionMs: 30 * DAY });
  }
  return out;
}
