import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import type { Type } from "avsc";
import { Credentials, resolveCredentials } from "../infra/credentials";
import { registryAccessMessage, registryAuthHeaders } from "../infra/registry-auth";
import { parseSchema } from "../schemas";

/** A registry request that failed, with the URL and the registry's answer. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

export type Compatibility = "BACKWARD" | "BACKWARD_TRANSITIVE" | "FORWARD" | "FULL" | "NONE";

/**
 * Confluent-compatible schema registry client (Apicurio's /apis/ccompat/v7 locally). Registration goes
 * through @kafkajs/confluent-schema-registry; reads by id parse with the project's Avro logical types and
 * are cached, since a schema id never changes meaning. Every request authenticates with the component's
 * registry credentials (infra/credentials.ts) when there are any.
 */
export class RegistryClient {
  private readonly lib: SchemaRegistry;
  private readonly byId = new Map<number, Type>();
  private readonly idBySubject = new Map<string, number>();
  private readonly credentials: Credentials | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
    /** Default: the component's own (PHONEPIPE_ROLE's); null: none, the registry is used anonymously. */
    credentials: Credentials | null = resolveCredentials(process.env, "REGISTRY") ?? null,
  ) {
    this.credentials = credentials ?? undefined;
    const auth = credentials ? { username: credentials.username, password: credentials.password } : undefined;
    this.lib = new SchemaRegistry({ host: baseUrl, retry: { retries: 2 }, auth });
  }

  /** The user name requests go as, or undefined without credentials (for messages; never the secret). */
  get principal(): string | undefined {
    return this.credentials?.username;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          "Content-Type": "application/vnd.schemaregistry.v1+json",
          Accept: "application/json",
          ...registryAuthHeaders(this.credentials),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new RegistryError(
        `schema registry at ${this.baseUrl} is not reachable (${(err as Error).message})`,
      );
    }
    const text = await res.text();
    const refused = registryAccessMessage(`${method} ${url}`, res.status, text, this.credentials);
    if (refused) throw new RegistryError(refused, res.status);
    if (!res.ok)
      throw new RegistryError(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`, res.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async register(subject: string, schema: object): Promise<number> {
    try {
      const { id } = await this.lib.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject },
      );
      this.idBySubject.set(subject, id);
      return id;
    } catch (err) {
      // The library's ResponseError: the status, "METHOD url" and "<client> - <registry's message>".
      const e = err as { status?: unknown; url?: unknown; message: string };
      const status = typeof e.status === "number" ? e.status : 0;
      const request =
        typeof e.url === "string"
          ? e.url.replace(/^\w+/, (m) => m.toUpperCase())
          : `POST ${this.baseUrl}/subjects/${subject}/versions`;
      const said = JSON.stringify({
        message: e.message.replace(/^[^-]*- /, "").replace(/^Error, status \d+:? ?/, ""),
      });
      const refused = registryAccessMessage(
        `registering ${subject} (${request})`,
        status,
        said,
        this.credentials,
      );
      if (refused) throw new RegistryError(refused, status);
      throw new RegistryError(`registering ${subject} at ${this.baseUrl} failed: ${(err as Error).message}`);
    }
  }

  /** The id under which `schema` is registered for `subject`, or undefined when it is not (a read). */
  async lookup(subject: string, schema: object): Promise<number | undefined> {
    try {
      const r = await this.request<{ id: number }>("POST", `/subjects/${encodeURIComponent(subject)}`, {
        schema: JSON.stringify(schema),
      });
      return r.id;
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * The schema's id, cached, so producers resolve each subject once: looked up first (a read, all a
   * read-only producer may do), registered only when the registry does not have it yet.
   */
  async idFor(subject: string, schema: object): Promise<number> {
    const cached = this.idBySubject.get(subject);
    if (cached !== undefined) return cached;
    const found = await this.lookup(subject, schema);
    if (found !== undefined) {
      this.idBySubject.set(subject, found);
      return found;
    }
    return this.register(subject, schema);
  }

  async setCompatibility(subject: string, level: Compatibility): Promise<void> {
    await this.request("PUT", `/config/${encodeURIComponent(subject)}`, { compatibility: level });
  }

  async getCompatibility(subject: string): Promise<string | undefined> {
    try {
      const r = await this.request<{ compatibilityLevel?: string; compatibility?: string }>(
        "GET",
        `/config/${encodeURIComponent(subject)}`,
      );
      return r.compatibilityLevel ?? r.compatibility;
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Latest registered schema of a subject, or undefined when the subject does not exist. */
  async latest(subject: string): Promise<{ id: number; version: number; schema: object } | undefined> {
    try {
      const r = await this.request<{ id: number; version: number; schema: string }>(
        "GET",
        `/subjects/${encodeURIComponent(subject)}/versions/latest`,
      );
      return { id: r.id, version: r.version, schema: JSON.parse(r.schema) as object };
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** The registry's own verdict on a candidate schema against the latest version. */
  async isCompatible(subject: string, schema: object): Promise<boolean> {
    const r = await this.request<{ is_compatible: boolean }>(
      "POST",
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      { schema: JSON.stringify(schema) },
    );
    return r.is_compatible;
  }

  /** The text of the schema with this id, or undefined when the registry does not know the id. */
  async schemaTextById(id: number): Promise<string | undefined> {
    try {
      return (await this.request<{ schema: string }>("GET", `/schemas/ids/${id}`)).schema;
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Writer schema for an id, parsed with the project's logical types; cached forever. */
  async schemaById(id: number): Promise<Type> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const text = await this.schemaTextById(id);
    if (text === undefined) {
      throw new RegistryError(`schema id ${id} is unknown to the registry at ${this.baseUrl}`, 404);
    }
    const type = parseSchema(text);
    this.byId.set(id, type);
    return type;
  }

  async subjects(): Promise<string[]> {
    return this.request<string[]>("GET", "/subjects");
  }
}
