/**
 * Confluent wire format, shared by the producers and the stream job: byte 0 is the magic byte 0,
 * bytes 1..4 the registry schema id (big endian), the rest the Avro binary body. Pure, no I/O.
 */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

export function encodeConfluent(schemaId: number, avroBody: Uint8Array): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new WireFormatError(`schema id ${schemaId} does not fit in 4 bytes`);
  }
  const out = Buffer.alloc(HEADER_LENGTH + avroBody.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeUInt32BE(schemaId, 1);
  out.set(avroBody, HEADER_LENGTH);
  return out;
}

export interface ConfluentFrame {
  schemaId: number;
  body: Buffer;
}

export function decodeConfluentFrame(bytes: Uint8Array | null | undefined): ConfluentFrame {
  if (!bytes || bytes.length === 0) throw new WireFormatError("empty message value (no Confluent header)");
  if (bytes.length < HEADER_LENGTH) {
    throw new WireFormatError(`message of ${bytes.length} bytes is shorter than the 5-byte Confluent header`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf[0] !== MAGIC_BYTE) {
    throw new WireFormatError(`magic byte is ${buf[0]}, expected 0: not Confluent-framed Avro`);
  }
  return { schemaId: buf.readUInt32BE(1), body: buf.subarray(HEADER_LENGTH) };
}
