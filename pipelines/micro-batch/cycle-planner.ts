/**
 * Plans one cycle for one topic: reads the clock and the partitions' end offsets, decides the offset ranges
 * (a pending cycle is replayed as saved), reads the records and hands them to the pure planner
 * (transforms/stream/micro-batch.ts), which decides what lands now and what is held.
 */
import { topicSpec } from "../../schemas/catalog";
import { readOffsetRanges } from "../kafka-range";
import { writerSchemaSync } from "../schema-cache";
import { eventTimeOf } from "../../transforms/stream/decode";
import { fromB64, SourceRecord } from "../../transforms/stream/records";
import {
  closeBoundary,
  cycleRanges,
  MicroBatchPlan,
  MicroBatchState,
  PlannedRecord,
  planMicroBatch,
} from "../../transforms/stream/micro-batch";
import type { AdminCalls } from "./kafka-admin";
import { contractOf, MicroBatchRunOptions } from "./options";
import { catchUpClose, cycleReadRanges, hasWork, isCapped, overrun, PartitionEnds } from "./progress";

/** The saved offsets do not fit the topic: retrying cannot help, so the stream stops with this message. */
export class StateMismatchError extends Error {
  name = "StateMismatchError";
}

/** What one topic contributes to a cycle, before its records are read. */
export interface TopicCycle {
  topic: string;
  state: MicroBatchState;
  readTo: Record<string, number>;
  close: number;
  /** Some partition was read only up to the per-cycle cap. */
  capped: boolean;
}

/** A topic's cycle with its plan; `close` is the boundary the plan used. */
export interface PlannedCycle extends TopicCycle {
  plan: MicroBatchPlan<PlannedRecord & SourceRecord>;
}

export type PlannerOptions = Pick<
  MicroBatchRunOptions,
  "brokers" | "registryUrl" | "contracts" | "graceMs" | "windowSeconds" | "maxRecordsPerPartition"
>;

export class CyclePlanner {
  constructor(
    private readonly o: PlannerOptions,
    private readonly admin: AdminCalls,
    private readonly stateFiles: Record<string, string>,
    private readonly log: (line: string) => void,
  ) {}

  /** The cycle's ranges and clock for one topic, or undefined when it has nothing to do yet. */
  async prepare(topic: string, state: MicroBatchState): Promise<TopicCycle | undefined> {
    // The clock is read before the end offsets: a record appended after the read has an event time later
    // than (clock − grace) unless its producer was slower than the grace period.
    const close = closeBoundary(Date.now(), this.o.graceMs, this.o.windowSeconds * 1000);
    const ends: PartitionEnds[] = (await this.admin.use((admin) => admin.fetchTopicOffsets(topic))).map(
      (p) => ({
        partition: p.partition,
        low: Number(p.low),
        high: Number(p.high),
      }),
    );
    const over = overrun(state, ends);
    if (over)
      throw new StateMismatchError(
        `${this.stateFiles[topic]} says partition ${over.partition} of ${topic} was read up to offset ` +
          `${over.seen}, but the topic ends at ${over.high}: it was recreated, or the state belongs to another ` +
          `cluster. Move the state file away (or run with --no-resume) to start from the consumer group's offsets.`,
      );
    if (state.pending)
      return {
        topic,
        state,
        readTo: state.pending.read_to,
        close: state.pending.close_before,
        capped: false,
      };
    const { readTo, partitions, gaps } = cycleRanges(state, ends, this.o.maxRecordsPerPartition);
    for (const g of gaps) this.log(JSON.stringify({ event: "retention_gap", topic, ...g }));
    if (!hasWork(state, readTo, close)) return undefined;
    return { topic, state: { ...state, partitions }, readTo, close, capped: isCapped(ends, readTo) };
  }

  /** Reads the cycle's records and plans which land now. */
  async plan(c: TopicCycle): Promise<PlannedCycle> {
    const windowMs = this.o.windowSeconds * 1000;
    const read = await readOffsetRanges(this.o.brokers, c.topic, cycleReadRanges(c.state, c.readTo));
    const field = topicSpec(contractOf(this.o, c.topic)).eventTime;
    const registryUrl = this.o.registryUrl;
    const planned = read.map((r) => ({
      ...r,
      eventTime: eventTimeOf(fromB64(r.valueB64), (id) => writerSchemaSync(registryUrl, id), field),
    }));
    // Catching up: a partition read only partly must not have its later records' windows closed.
    const close = c.capped ? catchUpClose(planned, c.close, windowMs) : c.close;
    return { ...c, close, plan: planMicroBatch(c.state, planned, c.readTo, close, windowMs) };
  }
}
