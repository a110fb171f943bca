import { CompressionTypes, KafkaJSError, Producer } from "kafkajs";
import { kafkaClient } from "../infra/kafka-client";
import { loadConfig } from "../infra/config";
import { eventTimeOf, loadTopicSchema, schemaJsonFor, subjectFor } from "../schemas";
import { RegistryClient } from "./registry";
import { SchemaValidationError, validateRecord } from "./validation";
import { encodeConfluent } from "./wire-format";

export { SchemaValidationError, validateRecord } from "./validation";

/** One record to produce: the natural key (listing URL hash, order id, ...) and the Avro value. */
export interface ProducedRecord {
  key: string;
  value: Record<string, unknown>;
}

/** Where producers send records: Kafka for real, or a dry-run sink that validates and counts. */
export interface RecordSink {
  /** Validates every record first (nothing is sent if one is invalid), then sends them all. */
  send(topic: string, records: ProducedRecord[]): Promise<void>;
  /** Waits for in-flight sends, then releases connections. Safe to call twice. */
  close(): Promise<void>;
  /** Records acknowledged so far. */
  readonly sent: number;
}

/** The broker did not acknowledge a batch: nothing after `acknowledged` of this call is known to be written. */
export class DeliveryError extends Error {
  constructor(
    readonly topic: string,
    readonly records: number,
    cause: unknown,
  ) {
    super(
      `delivery of ${records} record(s) to ${topic} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = "DeliveryError";
  }
}

export interface AvroProducerOptions {
  brokers?: string[];
  registryUrl?: string;
  clientId?: string;
  /** Upper bound for one send() call including retries (default PHONEPIPE_PRODUCE_TIMEOUT_MS or 15 s). */
  sendTimeoutMs?: number;
  /** Records per Kafka request (default 500). */
  batchSize?: number;
}

function validateAll(topic: string, records: ProducedRecord[]): void {
  records.forEach((r, i) => {
    if (typeof r.key !== "string" || r.key === "") {
      throw new SchemaValidationError(topic, ["(key)"], [`record #${i} has no natural key`], i);
    }
    validateRecord(topic, r.value, i);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms (is the broker up?)`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

class KafkaAvroSink implements RecordSink {
  sent = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly producer: Producer,
    private readonly registry: RegistryClient,
    private readonly sendTimeoutMs: number,
    private readonly batchSize: number,
  ) {}

  async send(topic: string, records: ProducedRecord[]): Promise<void> {
    if (this.closed) throw new Error("producer is closed");
    validateAll(topic, records);
    if (records.length === 0) return;
    const work = this.deliver(topic, records);
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private async deliver(topic: string, records: ProducedRecord[]): Promise<void> {
    const type = loadTopicSchema(topic);
    const schemaId = await withTimeout(
      this.registry.idFor(subjectFor(topic), schemaJsonFor(topic)),
      this.sendTimeoutMs,
      `registering ${subjectFor(topic)}`,
    );
    for (let i = 0; i < records.length; i += this.batchSize) {
      const chunk = records.slice(i, i + this.batchSize);
      // The record timestamp is the event time, so the stream job's watermark follows the events
      // (a replayed or late-sent record keeps its time) rather than the moment it was sent.
      const messages = chunk.map((r) => {
        const at = eventTimeOf(topic, r.value);
        return {
          key: r.key,
          value: encodeConfluent(schemaId, type.toBuffer(r.value)),
          timestamp: at === undefined ? undefined : String(at),
        };
      });
      try {
        await withTimeout(
          this.producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None }),
          this.sendTimeoutMs,
          `producing to ${topic}`,
        );
      } catch (err) {
        throw new DeliveryError(topic, chunk.length, err);
      }
      this.sent += chunk.length;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let in-flight batches finish (or fail) before the connection goes away.
    await Promise.allSettled([...this.inFlight]);
    await this.producer.disconnect().catch(() => undefined);
  }
}

/**
 * Opens an idempotent kafkajs producer (acks from all in-sync replicas) that writes Confluent-framed Avro
 * through the registry. Fails fast with a clear error when the broker cannot be reached.
 */
export async function openAvroProducer(opts: AvroProducerOptions = {}): Promise<RecordSink> {
  const cfg = loadConfig();
  const brokers = opts.brokers ?? cfg.kafkaBrokers;
  const sendTimeoutMs = opts.sendTimeoutMs ?? Number(process.env.PHONEPIPE_PRODUCE_TIMEOUT_MS || 15_000);
  const kafka = kafkaClient(brokers, opts.clientId ?? "phonepipe-producer", {
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 3000 },
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  try {
    await withTimeout(producer.connect(), sendTimeoutMs, `connecting to Kafka at ${brokers.join(",")}`);
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    const why = err instanceof KafkaJSError || err instanceof Error ? err.message : String(err);
    throw new DeliveryError("(connect)", 0, new Error(`cannot reach Kafka at ${brokers.join(",")}: ${why}`));
  }
  const registry = new RegistryClient(opts.registryUrl ?? cfg.registryUrl);
  return new KafkaAvroSink(producer, registry, sendTimeoutMs, opts.batchSize ?? 500);
}

/** Validates against the schema and counts, sends nothing: every producer's --dry-run. */
export function openDryRunSink(): RecordSink & { readonly byTopic: Map<string, number> } {
  const byTopic = new Map<string, number>();
  let sent = 0;
  return {
    byTopic,
    get sent() {
      return sent;
    },
    async send(topic: string, records: ProducedRecord[]) {
      validateAll(topic, records);
      byTopic.set(topic, (byTopic.get(topic) ?? 0) + records.length);
      sent += records.length;
    },
    async close() {},
  };
}
