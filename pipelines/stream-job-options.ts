/** What one run of the stream job lands, and from where: shared by the pipeline and its DoFns. */
import type { TopicSpec } from "../schemas/catalog-model";
import { topicSpec } from "../schemas/catalog";

/** The catalog spec of the job's topic (its contract's, when the topic name is not the contract's own). */
export function jobTopicSpec(opts: Pick<StreamJobOptions, "topic" | "contract" | "catalogDir">): TopicSpec {
  return topicSpec(opts.contract ?? opts.topic, opts.catalogDir);
}

export interface StreamJobOptions {
  topic: string;
  /**
   * The landing contract (schemas/LANDING.md) the topic carries when its name is not the contract's own,
   * e.g. an environment-prefixed topic. Default: the topic name.
   */
  contract?: string;
  /** Folder of the contracts and catalog entries (default: schemas/avro of this checkout). */
  catalogDir?: string;
  dataDir: string;
  registryUrl: string;
  brokers: string[];
  windowSeconds: number;
  shards: number;
  /** How long after the watermark passed a window its late data is still landed (in a separate file). */
  allowedLatenessSeconds: number;
  fxRatesToEgp: Record<string, number>;
  /** Writer schemas by id to use instead of the registry (tests, offline replays). */
  staticSchemas?: Record<number, string>;
  /** Where dead letters go: Kafka `<topic>.dlq` (default) or a JSON-lines file (tests without a broker). */
  deadLetterFile?: string;
  /**
   * Restart point (epoch ms, a window boundary): records whose window starts before it were landed by the
   * previous run and are skipped (and counted), so a replay never rewrites a window with only part of its data.
   */
  skipWindowsBefore?: number;
  /** JSON file recording the newest landed window end, read on restart (experimental/kafkaio/run-stream.ts). */
  progressFile?: string;
  /**
   * Micro-batches: windows starting before this were landed by an earlier cycle, so rows of them in this
   * batch are late data and get their own file (a bounded job has one pane per window and cannot tell).
   */
  lateWindowsBefore?: number;
  /**
   * Bench only (not on the CLI): false lands records without the normalizer, to compare like-for-like with a
   * peer that has none: a listing's normalized columns (product, condition, price) and other topics' product
   * columns land null; the normalized-price rules are not checked. Default true.
   */
  normalize?: boolean;
}
