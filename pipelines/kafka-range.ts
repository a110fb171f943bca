/**
 * Bounded read of a time range of a topic, for backfills and replays: per partition, the offsets Kafka's time
 * index gives for `from` and `to`, then every record in between (kafkajs, no consumer group, nothing committed).
 * The records become a bounded PCollection (beam.create) of the same pipeline the stream job runs, so the
 * portable Spark runner (bounded pipelines only) and the DirectRunner can replay any range.
 */
import { randomUUID } from "node:crypto";
import { kafkaClient } from "../infra/kafka-client";
import { RANGE_GROUP_PREFIX } from "../infra/kafka-groups";
import { SourceRecord, toB64 } from "../transforms/stream/records";

export interface OffsetRange {
  partition: number;
  start: number;
  /** exclusive */
  end: number;
}

export async function offsetRangesForTimes(
  brokers: string[],
  topic: string,
  fromMs: number,
  toMs: number,
): Promise<OffsetRange[]> {
  const kafka = kafkaClient(brokers, "phonepipe-range");
  const admin = kafka.admin();
  await admin.connect();
  try {
    const latest = await admin.fetchTopicOffsets(topic);
    const starts = await admin.fetchTopicOffsetsByTimestamp(topic, fromMs);
    const ends = await admin.fetchTopicOffsetsByTimestamp(topic, toMs);
    return latest
      .map((p) => {
        const high = Number(p.high);
        const s = Number(starts.find((x) => x.partition === p.partition)?.offset ?? high);
        const e = Number(ends.find((x) => x.partition === p.partition)?.offset ?? high);
        // -1 / past the end means "no record at or after that time": the range runs to the high watermark.
        return { partition: p.partition, start: s < 0 ? high : s, end: e < 0 ? high : Math.min(e, high) };
      })
      .filter((r) => r.end > r.start)
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

export async function readOffsetRanges(
  brokers: string[],
  topic: string,
  ranges: OffsetRange[],
  timeoutMs = 120_000,
): Promise<SourceRecord[]> {
  if (ranges.length === 0) return [];
  const kafka = kafkaClient(brokers, "phonepipe-range");
  // A throwaway group per read (unique even for concurrent reads): nothing is committed to it.
  const consumer = kafka.consumer({ groupId: `${RANGE_GROUP_PREFIX}${process.pid}-${randomUUID()}` });
  const out: SourceRecord[] = [];
  const remaining = new Map(ranges.map((r) => [r.partition, r]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const r = remaining.get(partition);
        const off = Number(message.offset);
        if (!r) {
          // A partition with nothing (more) to read: stop fetching it instead of reading it to its end.
          consumer.pause([{ topic, partitions: [partition] }]);
          return;
        }
        if (off >= r.start && off < r.end) {
          out.push({
            topic,
            partition,
            offset: off,
            timestamp: Number(message.timestamp),
            keyB64: toB64(message.key),
            valueB64: toB64(message.value),
          });
        }
        if (off >= r.end - 1) {
          remaining.delete(partition);
          if (remaining.size === 0) resolveDone();
        }
      },
    });
    for (const r of ranges) consumer.seek({ topic, partition: r.partition, offset: String(r.start) });
    const timer = new Promise<never>((_, rej) =>
      setTimeout(
        () =>
          rej(
            new Error(`read of ${topic} offsets ${JSON.stringify(ranges)} timed out after ${timeoutMs} ms`),
          ),
        timeoutMs,
      ).unref(),
    );
    await Promise.race([done, timer]);
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
