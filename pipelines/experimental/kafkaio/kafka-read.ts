/**
 * Cross-language KafkaIO read with a correctly typed configuration (the experimental `--source kafkaio`).
 *
 * The SDK's own `readFromKafka*` (apache-beam 2.49.0) infers the configuration schema from a JS object, so
 * `consumerConfig` becomes a nested ROW and the Java expansion service rejects it ("missing a setter
 * setConsumerConfig ... with type Row"); its RowCoder cannot encode MAP fields at all. This module writes
 * the ExternalConfigurationPayload itself: a schema with MAP<STRING,STRING> and ARRAY<STRING>, and the row
 * bytes in Beam's standard row encoding (docs/decisions/0001-micro-batches-over-kafkaio.md).
 */
import * as beam from "apache-beam";
import { randomUUID } from "node:crypto";
import {
  AtomicType,
  ExternalConfigurationPayload,
  rawExternalTransform,
  SchemaField,
  SchemaFieldType,
} from "./beam-external";

export const KAFKA_READ_WITH_METADATA_URN = "beam:transform:org.apache.beam:kafka_read_with_metadata:v1";

/** What KafkaIO.Read.External.Configuration accepts (Beam 2.49.0), in Java setter names. */
export interface KafkaReadConfig {
  topics: string[];
  consumerConfig: Record<string, string>;
  keyDeserializer?: string;
  valueDeserializer?: string;
  /** Bounded read (backfill, tests): stop after this many records. */
  maxNumRecords?: number;
  /** Bounded read: stop after this many seconds. */
  maxReadTime?: number;
  startReadTime?: number;
  stopReadTime?: number;
  /** Commit consumed offsets to Kafka when Beam finalizes a checkpoint (the "durable before ack" hook). */
  commitOffsetInFinalize?: boolean;
  /** ProcessingTime, CreateTime or LogAppendTime. */
  timestampPolicy?: string;
}

/** The record KafkaIO's with-metadata read emits (Java KafkaRecord as a Beam row). */
export interface KafkaRecordRow {
  topic: string;
  partition: number;
  offset: number | bigint | { toNumber(): number };
  timestamp: number | bigint | { toNumber(): number };
  timestamp_type_id?: number;
  timestamp_type_name?: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: unknown;
}

const BYTE_ARRAY_DESERIALIZER = "org.apache.kafka.common.serialization.ByteArrayDeserializer";

type FieldKind = "string" | "int64" | "boolean" | "stringArray" | "stringMap";
const FIELDS: Array<[name: string, kind: FieldKind, nullable: boolean]> = [
  ["topics", "stringArray", false],
  ["consumer_config", "stringMap", false],
  ["key_deserializer", "string", false],
  ["value_deserializer", "string", false],
  ["max_num_records", "int64", true],
  ["max_read_time", "int64", true],
  ["start_read_time", "int64", true],
  ["stop_read_time", "int64", true],
  ["commit_offset_in_finalize", "boolean", true],
  ["timestamp_policy", "string", true],
];

function atomic(t: number, nullable = false): SchemaFieldType {
  return { nullable, typeInfo: { oneofKind: "atomicType", atomicType: t } };
}

function fieldType(kind: FieldKind, nullable: boolean): SchemaFieldType {
  switch (kind) {
    case "string":
      return atomic(AtomicType.STRING, nullable);
    case "int64":
      return atomic(AtomicType.INT64, nullable);
    case "boolean":
      return atomic(AtomicType.BOOLEAN, nullable);
    case "stringArray":
      return {
        nullable,
        typeInfo: { oneofKind: "arrayType", arrayType: { elementType: atomic(AtomicType.STRING) } },
      };
    case "stringMap":
      return {
        nullable,
        typeInfo: {
          oneofKind: "mapType",
          mapType: { keyType: atomic(AtomicType.STRING), valueType: atomic(AtomicType.STRING) },
        },
      };
  }
}

/** Appends Beam's standard encodings (nested context): varints, length-prefixed UTF-8, 4-byte BE counts. */
class RowBytes {
  private readonly parts: number[] = [];
  varint(n: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(n));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (v !== 0n);
  }
  bytes(b: Uint8Array): void {
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
  }
  string(s: string): void {
    this.bytes(Buffer.from(s, "utf8"));
  }
  int32BE(n: number): void {
    this.parts.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }
  bool(b: boolean): void {
    this.parts.push(b ? 1 : 0);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function configValues(c: KafkaReadConfig): unknown[] {
  return [
    c.topics,
    c.consumerConfig,
    c.keyDeserializer ?? BYTE_ARRAY_DESERIALIZER,
    c.valueDeserializer ?? BYTE_ARRAY_DESERIALIZER,
    c.maxNumRecords,
    c.maxReadTime,
    c.startReadTime,
    c.stopReadTime,
    c.commitOffsetInFinalize,
    c.timestampPolicy ?? "ProcessingTime",
  ];
}

/** Encodes the configuration as a Beam row (RowCoder wire format) against the schema of FIELDS. */
export function encodeKafkaReadRow(config: KafkaReadConfig): Uint8Array {
  const values = configValues(config);
  const out = new RowBytes();
  out.varint(FIELDS.length);
  // Null bitmap: BitSet.toByteArray() (little-endian bits, trailing zero bytes trimmed), length-prefixed.
  const nullBits: number[] = [];
  values.forEach((v, i) => {
    if (v === undefined || v === null) {
      while (nullBits.length <= i >> 3) nullBits.push(0);
      nullBits[i >> 3] |= 1 << (i & 7);
    }
  });
  while (nullBits.length > 0 && nullBits[nullBits.length - 1] === 0) nullBits.pop();
  out.bytes(Uint8Array.from(nullBits));
  FIELDS.forEach(([name, kind], i) => {
    const v = values[i];
    if (v === undefined || v === null) return;
    switch (kind) {
      case "string":
        out.string(v as string);
        break;
      case "int64":
        out.varint(v as number);
        break;
      case "boolean":
        out.bool(v as boolean);
        break;
      case "stringArray": {
        const arr = v as string[];
        out.int32BE(arr.length);
        arr.forEach((s) => out.string(s));
        break;
      }
      case "stringMap": {
        const entries = Object.entries(v as Record<string, string>);
        out.int32BE(entries.length);
        for (const [k, val] of entries) {
          out.string(k);
          out.string(String(val));
        }
        break;
      }
      default:
        throw new Error(`unencodable field ${name}`);
    }
  });
  return out.finish();
}

/** The ExternalConfigurationPayload bytes for KafkaIO's with-metadata read. */
export function kafkaReadPayload(config: KafkaReadConfig): Uint8Array {
  const fields: SchemaField[] = FIELDS.map(([name, kind, nullable], i) => ({
    name,
    description: "",
    type: fieldType(kind, nullable),
    id: i,
    encodingPosition: i,
    options: [],
  }));
  return ExternalConfigurationPayload.toBinary({
    schema: { fields, id: randomUUID(), options: [], encodingPositionsSet: true },
    payload: encodeKafkaReadRow(config),
  });
}

/** KafkaIO read (with metadata) expanded by the Java expansion service at `expansionAddress` (host:port). */
export function readKafkaWithMetadata(
  config: KafkaReadConfig,
  expansionAddress: string,
): beam.AsyncPTransform<beam.Root, beam.PCollection<KafkaRecordRow>> {
  return beam.withName(
    "ReadFromKafka",
    rawExternalTransform<beam.Root, beam.PCollection<KafkaRecordRow>>(
      KAFKA_READ_WITH_METADATA_URN,
      kafkaReadPayload(config),
      expansionAddress,
    ),
  );
}
