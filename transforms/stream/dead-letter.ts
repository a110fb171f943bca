/** The DeadLetter Avro value (schemas/avro/dead_letter.avsc) of a failed record. Pure. */
import { DeadLetterRecord, fromB64, PIPELINE_NAME, SourceRecord } from "./records";
import { StageError } from "./errors";

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

/** The dead letter of a record that failed a stage: its original bytes, the stage and the reason. */
export function deadLetter(src: SourceRecord, err: unknown, failedAt: number): DeadLetterRecord {
  const stageErr = err instanceof StageError ? err : undefined;
  return {
    original_topic: src.topic,
    partition: src.partition,
    offset: src.offset,
    original_key_b64: src.keyB64,
    original_value_b64: src.valueB64,
    stage: stageErr ? stageErr.stage : "normalize",
    error: err instanceof Error ? err.message : String(err),
    error_type: stageErr ? stageErr.errorType : err instanceof Error ? err.name : "error",
    failed_at: failedAt,
    pipeline: PIPELINE_NAME,
  };
}
