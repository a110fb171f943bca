/**
 * JSON lines in, Avro records out: each line is one record value of a topic (plain JSON: money as numbers,
 * timestamps as epoch milliseconds, a union as its bare value). Every line is parsed and validated before
 * anything is sent, so one bad line sends nothing, and the error names the line and the field.
 */
import type { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { topicSpec } from "../schemas/catalog";
import { ProducedRecord, RecordSink, SchemaValidationError, validateRecord } from "./avro-producer";

/** A line that is not a valid record of the topic; `line` is 1-based. */
export class JsonLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "JsonLineError";
  }
}

/** One line as a record: parsed, keyed by `keyField`, validated against the topic's schema. */
export function recordFromLine(topic: string, keyField: string, text: string, line: number): ProducedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonLineError(line, `not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new JsonLineError(line, "not a JSON object");
  }
  const record = value as Record<string, unknown>;
  const key = record[keyField];
  if (typeof key !== "string" || key === "") {
    throw new JsonLineError(line, `field '${keyField}' (the record key) is missing or not a string`);
  }
  try {
    validateRecord(topic, record);
  } catch (err) {
    if (err instanceof SchemaValidationError) throw new JsonLineError(line, err.details.join("; "));
    throw err;
  }
  return { key, value: record };
}

/** Every non-blank line of `input` as a record of `topic` (key: the catalog's key field unless given). */
export async function readJsonLines(
  topic: string,
  input: Readable,
  keyField?: string,
): Promise<ProducedRecord[]> {
  const key = keyField ?? topicSpec(topic).key;
  const records: ProducedRecord[] = [];
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() !== "") records.push(recordFromLine(topic, key, text, line));
  }
  return records;
}

/** Reads every line, then sends the records in batches; resolves to the count sent. */
export async function produceJsonLines(
  topic: string,
  input: Readable,
  sink: RecordSink,
  opts: { keyField?: string; batchSize?: number } = {},
): Promise<number> {
  const records = await readJsonLines(topic, input, opts.keyField);
  const size = opts.batchSize ?? 1000;
  for (let i = 0; i < records.length; i += size) await sink.send(topic, records.slice(i, i + size));
  return records.length;
}
