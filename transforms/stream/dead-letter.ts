/** The DeadLetter Avro value (schemas/avro/dead_letter.avsc) of a failed record. Pure. */
import { DeadLetterRecord, fromB64 } from "./records";

export function deadLetterAvroValue(d: DeadLetterRecord): Record<string, unknown> {
  return {
    original_topic: d.original_topic,
    partition: d.partition,
    offset: d.offset,
    original_key: fromB64(d.original_key_b64),
    original_value: fromB64(d.original_value_b64),
    stage: d.stage,
    error: d.error,
    error_type: d.error_type,
    failed_at: d.failed_at,
    pipeline: d.pipeline,
  };
}

/** Kafka key of a dead letter: where it came from, so DLQ readers can find the original record. */
export function deadLetterKey(d: DeadLetterRecord): string {
  return `${d.original_topic}/${d.partition}/${d.offset}`;
}
