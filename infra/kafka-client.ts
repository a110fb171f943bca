/**
 * The one place a kafkajs client is made: every product client connects with the security the environment
 * names (PHONEPIPE_KAFKA_SECURITY_PROTOCOL, _SASL_MECHANISM, _CA_FILE) and the credentials of its role
 * (infra/credentials.ts), so code never holds a password or a protocol choice.
 */
import { readFileSync } from "node:fs";
import { Kafka, KafkaConfig, logLevel, SASLOptions } from "kafkajs";
import { Credentials, resolveCredentials } from "./credentials";
import {
  KafkaSecurityError,
  KafkaSecuritySettings,
  parseKafkaSecurity,
  usesSasl,
  usesTls,
} from "./kafka-security";

export interface KafkaSecurity extends KafkaSecuritySettings {
  credentials?: Credentials;
}

/** The settings and credentials the environment gives (reads the password file, if any). */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const settings = parseKafkaSecurity(env);
  if (!usesSasl(settings.protocol)) return settings;
  const credentials = resolveCredentials(env, "KAFKA");
  if (!credentials)
    throw new KafkaSecurityError(
      `PHONEPIPE_KAFKA_SECURITY_PROTOCOL=${settings.protocol} needs credentials: set PHONEPIPE_KAFKA_USERNAME ` +
        `with PHONEPIPE_KAFKA_PASSWORD(_FILE), or PHONEPIPE_KAFKA_CREDENTIALS_DIR and PHONEPIPE_ROLE`,
    );
  return { ...settings, credentials };
}

function readCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new KafkaSecurityError(`cannot read PHONEPIPE_KAFKA_CA_FILE ${file}: ${code}`);
  }
}

/** kafkajs `ssl` and `sasl` options for `sec` (nothing for PLAINTEXT). */
export function kafkaSecurityOptions(sec: KafkaSecurity): Pick<KafkaConfig, "ssl" | "sasl"> {
  const out: Pick<KafkaConfig, "ssl" | "sasl"> = {};
  if (usesTls(sec.protocol)) out.ssl = sec.caFile ? { ca: [readCa(sec.caFile)] } : true;
  if (usesSasl(sec.protocol) && sec.credentials) {
    const { username, password } = sec.credentials;
    out.sasl = { mechanism: sec.mechanism, username, password } as SASLOptions;
  }
  return out;
}

/**
 * A kafkajs client for `brokers` as the environment's principal (or `security`'s), quiet unless `extra`
 * sets a log level.
 */
export function kafkaClient(
  brokers: string[],
  clientId: string,
  extra: Partial<Omit<KafkaConfig, "brokers" | "clientId" | "ssl" | "sasl">> = {},
  security: KafkaSecurity = kafkaSecurityFromEnv(),
): Kafka {
  return new Kafka({
    logLevel: logLevel.NOTHING,
    ...extra,
    clientId,
    brokers,
    ...kafkaSecurityOptions(security),
  });
}
