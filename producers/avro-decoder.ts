import type { Type } from "avsc";
import { RegistryClient } from "./registry";
import { decodeConfluentFrame, WireFormatError } from "./wire-format";

export interface DecodedRecord {
  schemaId: number;
  value: Record<string, unknown>;
}

/** The body did not decode with the writer schema its frame names. */
export class AvroDecodeError extends Error {
  constructor(
    message: string,
    readonly schemaId?: number,
  ) {
    super(message);
    this.name = "AvroDecodeError";
  }
}

/** Decodes one Confluent-framed message given a (cached) writer-schema lookup. Pure; used by the stream job. */
export function decodeWithSchema(
  bytes: Uint8Array | null | undefined,
  writerSchema: (id: number) => Type,
): DecodedRecord {
  const frame = decodeConfluentFrame(bytes);
  const type = writerSchema(frame.schemaId);
  let value: unknown;
  try {
    const res = type.decode(frame.body, 0);
    if (res.offset < 0) throw new Error("body is truncated");
    if (res.offset !== frame.body.length) {
      throw new Error(`${frame.body.length - res.offset} trailing byte(s) after the record`);
    }
    // avsc builds a record-class instance; callers (and deepEqual) expect a plain object.
    value = { ...(res.value as object) };
  } catch (err) {
    throw new AvroDecodeError(
      `Avro body does not decode with schema id ${frame.schemaId}: ${(err as Error).message}`,
      frame.schemaId,
    );
  }
  return { schemaId: frame.schemaId, value: value as Record<string, unknown> };
}

/** Registry-backed decoder: fetches each writer schema once, then decodes synchronously from the cache. */
export class AvroDecoder {
  private readonly cache = new Map<number, Type>();

  constructor(private readonly registry: RegistryClient) {}

  async decode(bytes: Uint8Array | null | undefined): Promise<DecodedRecord> {
    const frame = decodeConfluentFrame(bytes);
    if (!this.cache.has(frame.schemaId))
      this.cache.set(frame.schemaId, await this.registry.schemaById(frame.schemaId));
    return decodeWithSchema(bytes, (id) => {
      const t = this.cache.get(id);
      if (!t) throw new WireFormatError(`schema id ${id} not loaded`);
      return t;
    });
  }
}
