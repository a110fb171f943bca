/**
 * What the secure profile's tests share: kafkajs clients as one role (the credentials the profile wrote, the
 * protocol and CA from the environment infra/with-secure.sh exported), with or without parts of the
 * security, and running `bin/phonepipe` with that environment.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Kafka } from "kafkajs";
import { loadConfig } from "../../infra/config";
import { kafkaClient, KafkaSecurity, kafkaSecurityFromEnv } from "../../infra/kafka-client";

export const brokers = (): string[] => loadConfig().kafkaBrokers;

export function requireSecureEnv(): void {
  if (process.env.PHONEPIPE_KAFKA_SECURITY_PROTOCOL !== "SASL_SSL")
    throw new Error(
      "run the secure tests under infra/with-secure.sh (PHONEPIPE_KAFKA_SECURITY_PROTOCOL=SASL_SSL)",
    );
}

/** The security a command acting as `role` gets from the environment. */
export const securityAs = (role: string): KafkaSecurity =>
  kafkaSecurityFromEnv({ ...process.env, PHONEPIPE_ROLE: role });

export function clientWith(security: KafkaSecurity): Kafka {
  return kafkaClient(
    brokers(),
    "secure-test",
    { connectionTimeout: 3000, requestTimeout: 10_000, retry: { retries: 1, initialRetryTime: 200 } },
    security,
  );
}

export const clientAs = (role: string): Kafka => clientWith(securityAs(role));

/** Connects an admin, lists the topics, disconnects; resolves to the error the attempt ended with. */
export async function listTopicsError(kafka: Kafka): Promise<Error | undefined> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Sends one raw record to `topic`; resolves to the error, if any (idempotent, like every product producer). */
export async function produceError(kafka: Kafka, topic: string, value = "x"): Promise<Error | undefined> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ value }] });
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** Joins `groupId` to read `topic`: undefined once it joined, else the error it crashed with. */
export async function consumeError(kafka: Kafka, groupId: string, topic: string): Promise<Error | undefined> {
  const consumer = kafka.consumer({ groupId, retry: { retries: 0 } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const crashed = new Promise<Error>((resolve) =>
      consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error)),
    );
    const joined = new Promise<undefined>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve(undefined)),
    );
    await consumer.run({ eachMessage: async () => undefined });
    const timeout = new Promise<Error>((resolve) =>
      setTimeout(
        () => resolve(new Error("the consumer neither joined nor failed within 20 s")),
        20_000,
      ).unref(),
    );
    return await Promise.race([crashed, joined, timeout]);
  } catch (err) {
    return err as Error;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** The innermost cause of a kafkajs error (retries and non-retriable wrappers keep it in `cause`). */
export function rootCause(err: Error): Error & { type?: string } {
  let e = err as Error & { cause?: Error; type?: string };
  while (e.cause) e = e.cause as Error & { cause?: Error; type?: string };
  return e;
}

export function phonepipe(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): { status: number | null; stdout: string; stderr: string } {
  const root = loadConfig().root;
  const r = spawnSync(join(root, "bin", "phonepipe"), args, {
    input: opts.input,
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
