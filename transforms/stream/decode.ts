/**
 * Decode stage: Confluent frame → writer schema (by id, from a synchronous cached lookup) → plain object.
 * Pure given the lookup; uses the shared wire-format decoder in producers/.
 */
import type { Type } from "avsc";
import { decodeWithSchema, AvroDecodeError } from "../../producers/avro-decoder";
import { WireFormatError } from "../../producers/wire-format";
import { StageError } from "./errors";

/** Returns the writer schema for an id, or undefined when the registry does not know it. */
export type SchemaLookup = (schemaId: number) => Type | undefined;

export interface Decoded {
  schemaId: number;
  value: Record<string, unknown>;
}

export function decodeValue(bytes: Uint8Array | null, lookup: SchemaLookup): Decoded {
  try {
    return decodeWithSchema(bytes, (id) => {
      const t = lookup(id);
      if (!t)
        throw new StageError("decode", `schema id ${id} is unknown to the registry`, "unknown_schema_id");
      return t;
    });
  } catch (err) {
    if (err instanceof StageError) throw err;
    if (err instanceof WireFormatError) throw new StageError("decode", err.message, "bad_frame");
    if (err instanceof AvroDecodeError) throw new StageError("decode", err.message, "bad_avro_body");
    throw new StageError("decode", (err as Error).message, (err as Error).name || "decode_error");
  }
}

/**
 * The event time (epoch ms) in a record's payload, or null when the record cannot be decoded or the field
 * is not a positive number: such a record is a dead letter whatever window it would have had.
 */
export function eventTimeOf(bytes: Uint8Array | null, lookup: SchemaLookup, field: string): number | null {
  try {
    const t = decodeValue(bytes, lookup).value[field];
    return typeof t === "number" && Number.isFinite(t) && t > 0 ? t : null;
  } catch {
    return null;
  }
}
