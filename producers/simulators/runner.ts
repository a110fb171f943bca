import { setTimeout as sleep } from "node:timers/promises";
import type { ProducedRecord, RecordSink } from "../avro-producer";
import { SimEvent } from "./events";
import { EventStream, StreamOptions } from "./stream";

export interface SimulationOptions extends StreamOptions {
  /** Stop after this many simulated seconds (0 = until the signal aborts). */
  durationS: number;
  sink: RecordSink;
  /** Send at most this often (ms): events that fell due meanwhile go in one batch per topic. */
  flushEveryMs?: number;
  /** Pace to the wall clock (default). When false, emit as fast as the sink takes them. */
  realtime?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Wall clock, replaceable in tests. */
  now?: () => number;
}

export interface SimulationSummary {
  events: number;
  byTopic: Record<string, number>;
  firstAt: number | null;
  lastAt: number | null;
  elapsedMs: number;
}

/**
 * Runs a simulation: draws events from the stream and sends each one once the wall clock reaches its
 * simulated time (start = now unless given), batching per topic every `flushEveryMs`. Event times are the
 * stream's times, so the produced `occurred_at` values are what a rate check should count.
 */
export async function runSimulation(o: SimulationOptions): Promise<SimulationSummary> {
  const now = o.now ?? Date.now;
  const stream = new EventStream(o);
  const flushEvery = o.flushEveryMs ?? 100;
  const realtime = o.realtime ?? true;
  const wallStart = now();
  const endSim = o.durationS > 0 ? o.startMs + o.durationS * 1000 : Number.POSITIVE_INFINITY;
  const s: SimulationSummary = { events: 0, byTopic: {}, firstAt: null, lastAt: null, elapsedMs: 0 };
  let lastReport = wallStart;

  const send = async (batch: SimEvent[]) => {
    const byTopic = new Map<string, ProducedRecord[]>();
    for (const e of batch) {
      const list = byTopic.get(e.topic) ?? [];
      list.push({ key: e.key, value: e.value as unknown as Record<string, unknown> });
      byTopic.set(e.topic, list);
    }
    for (const [topic, records] of byTopic) {
      await o.sink.send(topic, records);
      s.byTopic[topic] = (s.byTopic[topic] ?? 0) + records.length;
    }
    s.events += batch.length;
    if (batch.length > 0) {
      s.firstAt ??= batch[0].value.occurred_at;
      s.lastAt = batch[batch.length - 1].value.occurred_at;
    }
  };

  while (!o.signal?.aborted && stream.peekTime() < endSim) {
    const dueUntil = realtime ? Math.min(endSim, o.startMs + (now() - wallStart)) : endSim;
    const batch: SimEvent[] = [];
    while (stream.peekTime() < endSim && stream.peekTime() <= dueUntil && batch.length < 5000)
      batch.push(stream.next());
    if (batch.length > 0) await send(batch);
    if (o.log && now() - lastReport >= 10000) {
      lastReport = now();
      o.log(
        `simulate: ${s.events} events so far (${Object.entries(s.byTopic)
          .map(([t, n]) => `${t}=${n}`)
          .join(" ")})`,
      );
    }
    if (realtime && stream.peekTime() < endSim) {
      const wait = Math.min(flushEvery, stream.peekTime() - o.startMs - (now() - wallStart));
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: o.signal });
        } catch {
          break; // aborted
        }
      }
    }
  }
  s.elapsedMs = now() - wallStart;
  return s;
}
