import type { Type } from "avsc";
import { parseSchema } from "./index";

/**
 * Contract checks between the registered (or last committed) version of a schema and the working tree's.
 * The registry enforces BACKWARD (a new reader reads data written with the old schema). On top of that
 * this check rejects removing a field that has no default, because the landing files and the dbt models
 * read every field the contract had. Pure: schemas in, problems out.
 */
export interface CompatibilityProblem {
  schema: string;
  field: string;
  message: string;
}

interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
}

function fieldsOf(schema: object): AvroField[] {
  const s = schema as { type?: string; fields?: AvroField[] };
  return s.type === "record" && Array.isArray(s.fields) ? s.fields : [];
}

function typeLabel(t: unknown): string {
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.map(typeLabel).join("|");
  const o = t as { type?: string; logicalType?: string; name?: string };
  return o.logicalType ? `${o.type}(${o.logicalType})` : (o.name ?? o.type ?? JSON.stringify(t));
}

/** A schema of one field type, wrapped so avsc can build it in isolation (named types included). */
function fieldType(type: unknown, namespace: string | undefined): Type {
  return parseSchema({
    type: "record",
    name: "FieldProbe",
    namespace,
    fields: [{ name: "v", type }],
  });
}

export function checkCompatibility(
  name: string,
  oldSchema: object,
  newSchema: object,
): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  const ns = (oldSchema as { namespace?: string }).namespace;
  const oldFields = new Map(fieldsOf(oldSchema).map((f) => [f.name, f]));
  const newFields = new Map(fieldsOf(newSchema).map((f) => [f.name, f]));

  for (const [fname, f] of oldFields) {
    if (!newFields.has(fname) && !("default" in f)) {
      problems.push({
        schema: name,
        field: fname,
        message: `field '${fname}' was removed but has no default: consumers of ${name} still read it`,
      });
    }
  }
  for (const [fname, f] of newFields) {
    const old = oldFields.get(fname);
    if (!old) {
      if (!("default" in f)) {
        problems.push({
          schema: name,
          field: fname,
          message: `field '${fname}' was added without a default: data written with the old schema cannot be read (make it optional with a default)`,
        });
      }
      continue;
    }
    try {
      fieldType(f.type, ns).createResolver(fieldType(old.type, ns));
    } catch {
      problems.push({
        schema: name,
        field: fname,
        message: `field '${fname}' changed type from ${typeLabel(old.type)} to ${typeLabel(f.type)}, which cannot read the old data`,
      });
    }
  }
  // Whole-schema resolution catches what the field walk does not (renamed records, enum symbols, ...).
  if (problems.length === 0) {
    try {
      parseSchema(newSchema).createResolver(parseSchema(oldSchema));
    } catch (err) {
      problems.push({ schema: name, field: "(schema)", message: (err as Error).message });
    }
  }
  return problems;
}
