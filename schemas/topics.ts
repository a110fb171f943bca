import { DLQ_SUFFIX } from "./index";
import { loadCatalog } from "./catalog";

/**
 * Kafka topic layout: partitions and retention of each data topic come from its catalog entry; dead letters
 * get 1 partition each and are kept 30 days so someone can inspect and replay them.
 */
export interface TopicLayout {
  topic: string;
  partitions: number;
  retentionMs: number;
}

const DAY = 86_400_000;

export function topicSpecs(): TopicLayout[] {
  const out: TopicLayout[] = [];
  for (const s of loadCatalog()) {
    out.push({ topic: s.topic, partitions: s.partitions, retentionMs: s.retentionDays * DAY });
    out.push({ topic: `${s.topic}${DLQ_SUFFIX}`, partitions: 1, retentionMs: 30 * DAY });
  }
  return out;
}
