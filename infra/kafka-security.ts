/**
 * How a Kafka client connects, read from the environment (no I/O here): the security protocol, the SASL
 * mechanism and the CA file. Credentials come from infra/credentials.ts; the client factory
 * (infra/kafka-client.ts) joins both into kafkajs options.
 */
import { ConfigurationError } from "./config";

export const SECURITY_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT"] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ["scram-sha-512", "scram-sha-256", "plain"] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface KafkaSecuritySettings {
  protocol: SecurityProtocol;
  /** Only meaningful for the SASL_* protocols. */
  mechanism: SaslMechanism;
  /** PEM file of the CA(s) that signed the broker's certificate; unset: the system's CAs. */
  caFile?: string;
}

export class KafkaSecurityError extends ConfigurationError {}

function choice<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const v = raw.trim();
  const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  // The value is not repeated: a password pasted into the wrong variable must not reach a log.
  if (!hit) throw new KafkaSecurityError(`${name} must be one of ${allowed.join(", ")}`);
  return hit;
}

export function parseKafkaSecurity(env: NodeJS.ProcessEnv): KafkaSecuritySettings {
  const protocol = choice(env, "PHONEPIPE_KAFKA_SECURITY_PROTOCOL", SECURITY_PROTOCOLS, "PLAINTEXT");
  const mechanism = choice(env, "PHONEPIPE_KAFKA_SASL_MECHANISM", SASL_MECHANISMS, "scram-sha-512");
  const caFile = env.PHONEPIPE_KAFKA_CA_FILE?.trim();
  return { protocol, mechanism, ...(caFile ? { caFile } : {}) };
}

export const usesTls = (p: SecurityProtocol): boolean => p === "SSL" || p === "SASL_SSL";
export const usesSasl = (p: SecurityProtocol): boolean => p === "SASL_SSL" || p === "SASL_PLAINTEXT";
