/**
 * Commits each topic's landed offsets to the consumer group, so Kafka tools show the stream's lag. The state
 * files, not the group, are the stream's resume point: a failed commit is logged and not retried.
 */
import type { MicroBatchState } from "../../transforms/stream/micro-batch";
import type { AdminCalls } from "./kafka-admin";
import { groupOffsets } from "./progress";

/**
 * Commits run in the background, one at a time, newest offsets per topic: kafkajs commits for an empty group
 * by joining it (seconds each), and two joins of one group at once rebalance for minutes.
 */
export class OffsetCommitter {
  private readonly queue = new Map<string, MicroBatchState>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly admin: AdminCalls,
    private readonly groupId: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Queues `state`'s offsets for `topic`, replacing any not yet committed. */
  schedule(topic: string, state: MicroBatchState): void {
    this.queue.set(topic, state);
    this.running ??= this.drain();
  }

  /** Waits for the queued commits, at most `timeoutMs` (the lag they show is informative only). */
  async settle(timeoutMs: number): Promise<void> {
    await Promise.race([this.running, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.entries().next(); !next.done; next = this.queue.entries().next()) {
      const [topic, state] = next.value;
      this.queue.delete(topic);
      await this.commit(topic, state).catch((err: unknown) =>
        this.log(JSON.stringify({ event: "offset_commit_failed", topic, error: (err as Error).message })),
      );
    }
    this.running = undefined;
  }

  private commit(topic: string, state: MicroBatchState): Promise<void> {
    return this.admin.use((admin) =>
      admin.setOffsets({ groupId: this.groupId, topic, partitions: groupOffsets(state) }),
    );
  }
}
