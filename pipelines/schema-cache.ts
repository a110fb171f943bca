/** Writer schemas by registry id, fetched once (blocking, via the I/O worker) and cached for the process. */
import type { Type } from "avsc";
import { parseSchema } from "../schemas";
import { callIo } from "./io-sync";

const cache = new Map<string, Type | null>();

export function writerSchemaSync(registryUrl: string, id: number): Type | undefined {
  const key = `${registryUrl}#${id}`;
  let t = cache.get(key);
  if (t === undefined) {
    const { schema } = callIo({ op: "schema", registryUrl, id });
    t = schema ? parseSchema(schema) : null;
    // An unknown id stays unknown only briefly: a schema can be registered after the record was produced.
    if (t) cache.set(key, t);
  }
  return t ?? undefined;
}

const staticCache = new Map<string, Type>();

/** Same contract from a fixed id → schema JSON map (tests and offline replays without a registry). */
export function staticSchemaSync(schemas: Record<number, string>, id: number): Type | undefined {
  const json = schemas[id];
  if (json === undefined) return undefined;
  let t = staticCache.get(json);
  if (!t) staticCache.set(json, (t = parseSchema(json)));
  return t;
}
