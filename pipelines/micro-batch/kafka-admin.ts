/** The stream loop's Kafka admin calls: end offsets, committed group offsets, group commits. */
import type { Admin, Kafka } from "kafkajs";
import { startOffsets } from "./progress";

/** Runs admin calls on one connection that lives as long as the stream. */
export interface AdminCalls {
  use<T>(fn: (admin: Admin) => Promise<T>): Promise<T>;
}

/**
 * One admin connection for the stream's life (end offsets and group commits every cycle), connected on first
 * use; a failed call drops it so the next one reconnects.
 */
export class SharedAdmin implements AdminCalls {
  private admin: Promise<Admin> | undefined;

  constructor(private readonly kafka: Kafka) {}

  async use<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    this.admin ??= (async () => {
      const a = this.kafka.admin();
      await a.connect();
      return a;
    })();
    const pending = this.admin;
    try {
      return await fn(await pending);
    } catch (err) {
      if (this.admin === pending) this.admin = undefined;
      void pending.then((a) => a.disconnect()).catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.admin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}

/** Where a run without a state file starts: the group's committed offsets, else the earliest offsets. */
export async function startingOffsets(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    return startOffsets(
      ends.map((p) => ({ partition: p.partition, low: Number(p.low) })),
      (committed[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset) })),
    );
  } finally {
    await admin.disconnect();
  }
}
