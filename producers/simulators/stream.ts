import { ActivityGenerator, SimEvent, TransactionGenerator } from "./events";
import { Rng } from "./prng";
import { World } from "./world";

export type SimKind = "transactions" | "activity" | "all";

/**
 * Relative marketplace traffic by hour of day in Cairo (00..23), mean 1: quiet before dawn, a lunch bump,
 * the peak after iftar/dinner time in the evening.
 */
export const DAILY_CYCLE = [
  0.55, 0.35, 0.22, 0.15, 0.12, 0.14, 0.3, 0.55, 0.8, 1.0, 1.1, 1.2, 1.3, 1.25, 1.15, 1.1, 1.15, 1.25, 1.4,
  1.6, 1.8, 1.9, 1.6, 1.05,
].map((v, _i, a) => (v * a.length) / a.reduce((s, x) => s + x, 0));

const cairoHour = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Africa/Cairo",
  hour: "numeric",
  hourCycle: "h23",
});
export function cycleFactor(atMs: number): number {
  return DAILY_CYCLE[Number(cairoHour.format(atMs)) % 24];
}

export interface StreamOptions {
  kind: SimKind;
  seed: number;
  /** Events per second (mean, across the selected streams). */
  rate: number;
  /** Simulated time of the first slot (epoch ms). */
  startMs: number;
  /** Make the instantaneous rate follow DAILY_CYCLE (rate stays the daily mean). */
  cycle?: boolean;
  /** Share of slots that are transaction steps in `all` mode. */
  transactionShare?: number;
}

/**
 * The event stream of a run: a pure function of the options. Slots are spaced 1/rate apart on average,
 * each gap jittered uniformly in [0.5, 1.5) of the mean, so arrivals look irregular while the count over
 * any few seconds stays within a few percent of rate x seconds.
 */
export class EventStream {
  private readonly rng: Rng;
  private readonly world: World;
  private readonly tx?: TransactionGenerator;
  private readonly act?: ActivityGenerator;
  private t: number;

  constructor(private readonly o: StreamOptions) {
    if (!(o.rate > 0)) throw new Error(`rate must be > 0, got ${o.rate}`);
    this.rng = new Rng(o.seed);
    this.world = new World(new Rng(o.seed ^ 0x5eed));
    if (o.kind !== "activity") this.tx = new TransactionGenerator(this.world, new Rng(o.seed + 1));
    if (o.kind !== "transactions") this.act = new ActivityGenerator(this.world, new Rng(o.seed + 2));
    this.t = o.startMs + this.gap(o.startMs);
  }

  private gap(at: number): number {
    const rate = this.o.rate * (this.o.cycle ? cycleFactor(at) : 1);
    return (1000 / rate) * (0.5 + this.rng.next());
  }

  /** Time of the next event, without consuming it. */
  peekTime(): number {
    return this.t;
  }

  next(): SimEvent {
    const at = Math.round(this.t);
    let ev: SimEvent;
    if (this.tx && this.act) {
      ev = this.rng.chance(this.o.transactionShare ?? 0.1) ? this.tx.next(at) : this.act.next(at);
    } else {
      ev = (this.tx ?? (this.act as ActivityGenerator)).next(at);
    }
    this.t += this.gap(this.t);
    return ev;
  }
}
