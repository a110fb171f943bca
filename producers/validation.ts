import type { Type } from "avsc";
import { loadTopicSchema } from "../schemas";

/** A record that does not match its topic's schema; `fields` names every offending field path. */
export class SchemaValidationError extends Error {
  constructor(
    readonly topic: string,
    readonly fields: string[],
    readonly details: string[],
    readonly recordIndex?: number,
  ) {
    const where = recordIndex === undefined ? "" : ` (record #${recordIndex})`;
    super(`record for ${topic}${where} does not match its schema: ${details.join("; ")}`);
    this.name = "SchemaValidationError";
  }

  /** The first offending field, for callers that report one. */
  get field(): string {
    return this.fields[0] ?? "";
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Field paths (`a.b`, `list[2]`) of every value that does not fit `type`. */
export function schemaErrors(type: Type, value: unknown): Array<{ field: string; detail: string }> {
  const errors: Array<{ field: string; detail: string }> = [];
  type.isValid(value, {
    errorHook(path: string[], v: unknown, t: Type) {
      const field = path.length ? path.join(".") : "(record)";
      const expected = t.typeName ?? t.toString();
      errors.push({ field, detail: `field '${field}' is ${describe(v)}, expected ${expected}` });
    },
  });
  // Extra fields are not an Avro error but almost always a producer bug (a typo in a field name).
  if (value && typeof value === "object" && !Array.isArray(value) && type.typeName === "record") {
    const known = new Set((type as unknown as { fields: Array<{ name: string }> }).fields.map((f) => f.name));
    for (const k of Object.keys(value)) {
      if (!known.has(k)) errors.push({ field: k, detail: `field '${k}' is not in the schema` });
    }
  }
  return errors;
}

/** Throws SchemaValidationError naming each bad field; nothing is sent for an invalid record. */
export function validateRecord(topic: string, value: unknown, recordIndex?: number): void {
  const errors = schemaErrors(loadTopicSchema(topic), value);
  if (errors.length) {
    throw new SchemaValidationError(
      topic,
      errors.map((e) => e.field),
      errors.map((e) => e.detail),
      recordIndex,
    );
  }
}
