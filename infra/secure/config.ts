/**
 * Where the secure profile's processes listen and keep their files: one KRaft Kafka node with SASL/SCRAM over
 * TLS and ACLs, Keycloak (the registry's OpenID Connect server) and the registry with authentication and
 * role-based authorization. Ports lie below the kernel's ephemeral range and apart from the other profiles'
 * so all three can run side by side; one base port moves them all (PHONEPIPE_SECURE_PORT_BASE).
 */
import { join } from "node:path";
import { PlatformConfig } from "../config";

/** The principals of the secure profile: one per component, each with only the rights its job needs. */
export const ROLES = ["admin", "scraper", "simulator", "loader", "pricing", "stream"] as const;
export type Role = (typeof ROLES)[number];

export interface SecureConfig {
  /** Pids, logs, data, certificates and credentials: <runDir>/secure unless PHONEPIPE_SECURE_RUN_DIR. */
  runDir: string;
  cacheDir: string;
  root: string;
  /** SASL_SSL listener for clients and other brokers. */
  kafkaPort: number;
  /** Controller listener (SASL_SSL too). */
  kafkaControllerPort: number;
  keycloakPort: number;
  keycloakManagementPort: number;
  registryPort: number;
  registryManagementPort: number;
  /** The local CA, the broker's key store and the CA's PEM that clients trust. */
  certsDir: string;
  /** One `<role>.password` file (mode 0600) per Kafka principal and per registry client. */
  kafkaCredentialsDir: string;
  registryCredentialsDir: string;
}

function portBase(env: NodeJS.ProcessEnv): number {
  const raw = env.PHONEPIPE_SECURE_PORT_BASE;
  if (raw === undefined || raw === "") return 29000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1024 || n + 1000 > 65535) {
    throw new Error(`PHONEPIPE_SECURE_PORT_BASE=${raw} is not a port between 1024 and 64535`);
  }
  return n;
}

export function loadSecureConfig(cfg: PlatformConfig, env: NodeJS.ProcessEnv = process.env): SecureConfig {
  const b = portBase(env);
  const runDir = env.PHONEPIPE_SECURE_RUN_DIR || join(cfg.runDir, "secure");
  return {
    runDir,
    cacheDir: cfg.cacheDir,
    root: cfg.root,
    kafkaPort: b + 92,
    kafkaControllerPort: b + 93,
    keycloakPort: b + 180,
    keycloakManagementPort: b + 190,
    registryPort: b + 81,
    registryManagementPort: b + 82,
    certsDir: join(runDir, "certs"),
    kafkaCredentialsDir: join(runDir, "credentials", "kafka"),
    registryCredentialsDir: join(runDir, "credentials", "registry"),
  };
}

/** The environment that points every phonepipe command at the secure profile, each with its own principal. */
export function secureClientEnv(sc: SecureConfig): Record<string, string> {
  return {
    PHONEPIPE_KAFKA_BROKERS: `127.0.0.1:${sc.kafkaPort}`,
    PHONEPIPE_KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    PHONEPIPE_KAFKA_SASL_MECHANISM: "scram-sha-512",
    PHONEPIPE_KAFKA_CA_FILE: join(sc.certsDir, "ca.pem"),
    PHONEPIPE_KAFKA_CREDENTIALS_DIR: sc.kafkaCredentialsDir,
    PHONEPIPE_REGISTRY_URL: `http://127.0.0.1:${sc.registryPort}/apis/ccompat/v7`,
    PHONEPIPE_REGISTRY_CREDENTIALS_DIR: sc.registryCredentialsDir,
  };
}
