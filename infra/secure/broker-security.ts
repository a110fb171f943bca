/**
 * The secure Kafka node's files and server.properties lines (pure: paths and text, no I/O).
 *
 * Listeners: CLIENT (SASL_SSL, SCRAM-SHA-512) for clients and between brokers; CONTROLLER (SSL with client
 * certificates required). The controller cannot use SCRAM: SCRAM credentials live in the cluster metadata,
 * which the controller itself serves, so the broker must reach the controller before any SCRAM user can be
 * checked. Mutual TLS needs nothing but the CA and the broker's key store that TLS needs anyway; SASL PLAIN
 * would add a second password store in a JAAS file. The broker's certificate (CN=broker) maps to the
 * principal User:broker, which is a super user, like User:admin.
 */
import { join } from "node:path";

/** The principal the broker authenticates as, on both listeners. */
export const BROKER_PRINCIPAL = "broker";
export const SUPER_USERS = [BROKER_PRINCIPAL, "admin"];

export interface TlsFiles {
  dir: string;
  /** The local CA's certificate: what clients trust (PHONEPIPE_KAFKA_CA_FILE). */
  caPem: string;
  /** The CA's private key (encrypted with caPassword). */
  caKey: string;
  caPassword: string;
  brokerKey: string;
  brokerPem: string;
  /** PKCS12 key store (broker key + chain) and trust store (the CA), one password for both and the key. */
  keystore: string;
  truststore: string;
  storePassword: string;
}

/** File name of the key-store password inside the certificates folder (read by Kafka's dir provider). */
export const STORE_PASSWORD_FILE = "store.password";

export function tlsFiles(certsDir: string): TlsFiles {
  const f = (name: string): string => join(certsDir, name);
  return {
    dir: certsDir,
    caPem: f("ca.pem"),
    caKey: f("ca.key"),
    caPassword: f("ca.password"),
    brokerKey: f("broker.key"),
    brokerPem: f("broker.pem"),
    keystore: f("broker.keystore.p12"),
    truststore: f("broker.truststore.p12"),
    storePassword: f(STORE_PASSWORD_FILE),
  };
}

/** Subject alternative names of the broker certificate: clients connect to 127.0.0.1 or localhost. */
export const BROKER_SAN = "IP:127.0.0.1,DNS:localhost";
export const CERT_DAYS = 825;

/** openssl x509 extensions of the broker certificate: server for clients, client towards the controller. */
export function brokerCertExtensions(): string {
  return [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth,clientAuth",
    `subjectAltName=${BROKER_SAN}`,
    "",
  ].join("\n");
}

export interface SecureListeners {
  port: number;
  controllerPort: number;
  certsDir: string;
  /** Holds `<principal>.password`; server.properties names the files, never the passwords. */
  credentialsDir: string;
}

/** `${dir:<folder>:<file>}`: Kafka's DirectoryConfigProvider reads the secret from the file at start. */
const secret = (dir: string, file: string): string => `\${dir:${dir}:${file}}`;

/** The server.properties lines that replace the PLAINTEXT listener lines of infra/kafka-node.ts. */
export function secureListenerProperties(s: SecureListeners): string[] {
  const t = tlsFiles(s.certsDir);
  const storePassword = secret(s.certsDir, STORE_PASSWORD_FILE);
  const jaas =
    "org.apache.kafka.common.security.scram.ScramLoginModule required " +
    `username="${BROKER_PRINCIPAL}" password="${secret(s.credentialsDir, `${BROKER_PRINCIPAL}.password`)}";`;
  return [
    "config.providers=dir",
    "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
    `listeners=CLIENT://127.0.0.1:${s.port},CONTROLLER://127.0.0.1:${s.controllerPort}`,
    `advertised.listeners=CLIENT://127.0.0.1:${s.port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=CLIENT",
    "listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SSL",
    "sasl.enabled.mechanisms=SCRAM-SHA-512",
    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
    `listener.name.client.scram-sha-512.sasl.jaas.config=${jaas}`,
    "listener.name.controller.ssl.client.auth=required",
    // Only the broker's own certificate becomes a short principal; any other subject stays a full DN.
    `ssl.principal.mapping.rules=RULE:^CN=(${BROKER_PRINCIPAL})$/$1/,DEFAULT`,
    "ssl.keystore.type=PKCS12",
    `ssl.keystore.location=${t.keystore}`,
    `ssl.keystore.password=${storePassword}`,
    `ssl.key.password=${storePassword}`,
    "ssl.truststore.type=PKCS12",
    `ssl.truststore.location=${t.truststore}`,
    `ssl.truststore.password=${storePassword}`,
    "ssl.endpoint.identification.algorithm=https",
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "allow.everyone.if.no.acl.found=false",
    `super.users=${SUPER_USERS.map((u) => `User:${u}`).join(";")}`,
  ];
}

/** The storage tool's arguments that create one SCRAM-SHA-512 user per principal when it formats. */
export function scramFormatArgs(users: Array<{ name: string; password: string }>): string[] {
  return users.flatMap((u) => ["--add-scram", `SCRAM-SHA-512=[name=${u.name},password=${u.password}]`]);
}
