/**
 * The stream loop. Each cycle plans every topic, runs one job for the topics with records to land, then
 * persists: state files first (the resume point), then the consumer group's offsets in the background. A
 * failing cycle is retried with backoff from what the state files hold (the pending cycle, replayed exactly);
 * stop() lets the running cycle finish.
 */
import type { Kafka } from "kafkajs";
import { counters } from "../metrics";
import { addStageTime } from "../stage-times";
import { initialState, MicroBatchState } from "../../transforms/stream/micro-batch";
import { startingOffsets } from "./kafka-admin";
import type { CyclePlanner, PlannedCycle, TopicCycle } from "./cycle-planner";
import { StateMismatchError } from "./cycle-planner";
import type { JobRunner } from "./job-runner";
import type { OffsetCommitter } from "./offset-committer";
import type { MicroBatchRunOptions } from "./options";
import { heldRecords } from "./progress";
import { givesUp, retryBackoffMs } from "./retry";
import type { StateStore } from "./state-store";

export interface LoopParts {
  o: Pick<MicroBatchRunOptions, "topics" | "resume" | "groupId" | "pollMs">;
  kafka: Kafka;
  store: StateStore;
  planner: Pick<CyclePlanner, "prepare" | "plan">;
  runner: Pick<JobRunner, "run">;
  committer: Pick<OffsetCommitter, "schedule">;
  log: (line: string) => void;
}

export class MicroBatchLoop {
  private stopping = false;
  private wake: () => void = () => undefined;
  private readonly states = new Map<string, MicroBatchState>();
  private cycle = 0;
  private failures = 0;

  constructor(private readonly p: LoopParts) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Runs cycles until stop(); resolves STOPPED, or FAILED: … when it gives up. */
  async run(): Promise<string> {
    while (!this.stopping) {
      try {
        await this.runCycle(Date.now());
      } catch (err) {
        const failed = this.failed(err);
        if (failed) return failed;
        await this.pause(retryBackoffMs(this.failures));
      }
    }
    return "STOPPED";
  }

  /** Ends the loop after the running cycle; cuts a pause short. */
  stop(): void {
    this.stopping = true;
    this.wake();
  }

  // The timer stays referenced: while the loop waits (idle, or backing off after a failed cycle before any job
  // server runs) it is the only thing keeping the process alive; an unref'd one let Node exit 0 mid-retry.
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async runCycle(started: number): Promise<void> {
    // Inside the retry loop: a broker that is still electing its group coordinator is retried.
    await this.loadStates();
    const prepared: TopicCycle[] = [];
    const tPrepare = performance.now();
    for (const t of this.p.o.topics) {
      const c = await this.p.planner.prepare(t, this.states.get(t)!);
      if (c) prepared.push(c);
    }
    addStageTime("cycle.prepare", tPrepare);
    if (prepared.length === 0) {
      await this.pause(this.p.o.pollMs); // nothing new and no held window closes yet
      return;
    }
    this.cycle += 1;
    const tPlan = performance.now();
    const cycles = await Promise.all(prepared.map((c) => this.p.planner.plan(c)));
    addStageTime("cycle.plan_read", tPlan);
    const landing = cycles.filter((c) => c.plan.land.length > 0);
    for (const c of landing) this.p.store.writePending(c.topic, c.state, c.readTo, c.close);
    const t0 = Date.now();
    if (landing.length > 0) await this.p.runner.run(landing, this.cycle);
    const jobMs = landing.length > 0 ? Date.now() - t0 : 0;
    if (landing.length > 0) addStageTime("cycle.job", performance.now() - jobMs);
    const tPersist = performance.now();
    this.persist(cycles);
    addStageTime("cycle.persist", tPersist);
    this.report(cycles, jobMs, started);
    this.failures = 0;
    // A cycle that only held records waits like an idle one: while a window fills, re-reading its held
    // records back to back would only load the broker (its close needs the clock to move, not a new read).
    if (landing.length === 0) await this.pause(this.p.o.pollMs);
  }

  private async loadStates(): Promise<void> {
    const { o, store } = this.p;
    for (const t of o.topics) {
      if (this.states.has(t)) continue;
      const saved = o.resume ? store.read(t) : undefined;
      const st = saved ?? initialState(t, await startingOffsets(this.p.kafka, t, o.groupId));
      this.states.set(t, st);
      this.p.log(
        JSON.stringify({
          event: "stream_resumed",
          topic: t,
          from: o.resume && store.exists(t) ? "state_file" : "group_offsets_or_earliest",
          state_file: store.files[t],
          closed_before: st.closed_before || null,
          partitions: st.partitions,
          replaying_pending: st.pending !== undefined,
        }),
      );
    }
  }

  /** The job is done: the new states become the resume point, then the group's offsets follow. */
  private persist(cycles: PlannedCycle[]): void {
    counters.held_records = 0;
    for (const c of cycles) {
      this.p.store.write(c.topic, c.plan.next);
      this.states.set(c.topic, c.plan.next);
    }
    for (const c of cycles) this.p.committer.schedule(c.topic, c.plan.next);
  }

  private report(cycles: PlannedCycle[], jobMs: number, started: number): void {
    for (const c of cycles) {
      const p = c.plan;
      counters.late_records += p.counts.late;
      this.p.log(
        JSON.stringify({
          event: "micro_batch",
          cycle: this.cycle,
          topic: c.topic,
          ...p.counts,
          closed_before: new Date(p.next.closed_before).toISOString(),
          job_ms: jobMs,
          cycle_ms: Date.now() - started,
        }),
      );
    }
    counters.held_records += heldRecords(this.states.values());
    counters.batches += 1;
  }

  /** Logs a failed cycle and rewinds to the state files; returns the final state when the loop gives up. */
  private failed(err: unknown): string | undefined {
    this.failures += 1;
    const message = (err as Error).message;
    this.p.log(
      JSON.stringify({
        event: "micro_batch_failed",
        cycle: this.cycle,
        attempt: this.failures,
        error: message,
        retry_in_ms: retryBackoffMs(this.failures),
      }),
    );
    // The state files still hold the cycle's plan (pending): the retry replays it exactly.
    for (const t of [...this.states.keys()]) this.states.set(t, this.p.store.read(t) ?? this.states.get(t)!);
    return givesUp(this.failures, err instanceof StateMismatchError) ? `FAILED: ${message}` : undefined;
  }
}
