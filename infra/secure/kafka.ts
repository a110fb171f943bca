/**
 * The secure profile's Kafka: one KRaft broker+controller node with SASL/SCRAM-SHA-512 over TLS for clients
 * and between brokers, mutual TLS to the controller (infra/secure/broker-security.ts says why), the
 * StandardAuthorizer denying what no ACL allows, one SCRAM user per role and the ACL table applied once the
 * node is healthy.
 */
import { join } from "node:path";
import { KafkaSecurity } from "../kafka-client";
import { KafkaNodeSecurity, kafkaNodeService } from "../kafka-node";
import { Service } from "../platform-services";
import { applyAcls } from "./acl-apply";
import { BROKER_PRINCIPAL, scramFormatArgs, secureListenerProperties, tlsFiles } from "./broker-security";
import { ensureBrokerCertificates } from "./certs";
import { ROLES, SecureConfig } from "./config";
import { ensurePasswordFile } from "./secrets";
import { readFileSync } from "node:fs";

const passwordFile = (sc: SecureConfig, principal: string): string =>
  join(sc.kafkaCredentialsDir, `${principal}.password`);

/** The admin principal over SASL_SSL with the local CA: what the health check and the ACL step use. */
export function secureAdminSecurity(sc: SecureConfig): KafkaSecurity {
  const file = passwordFile(sc, "admin");
  return {
    protocol: "SASL_SSL",
    mechanism: "scram-sha-512",
    caFile: tlsFiles(sc.certsDir).caPem,
    credentials: { username: "admin", password: readFileSync(file, "utf8").trim(), origin: file },
  };
}

function nodeSecurity(sc: SecureConfig): KafkaNodeSecurity {
  return {
    prepare() {
      ensureBrokerCertificates(sc.certsDir);
      // A user added to ROLES later gets its password here, but its SCRAM user only on a fresh storage
      // (or by `kafka-configs --alter`, docs/security.md): the storage tool adds users at format time only.
      const users = [BROKER_PRINCIPAL, ...ROLES].map((name) => ({
        name,
        password: ensurePasswordFile(passwordFile(sc, name)),
      }));
      return {
        properties: secureListenerProperties({
          port: sc.kafkaPort,
          controllerPort: sc.kafkaControllerPort,
          certsDir: sc.certsDir,
          credentialsDir: sc.kafkaCredentialsDir,
        }),
        formatArgs: scramFormatArgs(users),
      };
    },
    client: () => secureAdminSecurity(sc),
  };
}

export function secureKafkaServices(sc: SecureConfig): Service[] {
  const node = kafkaNodeService({
    name: "kafka",
    nodeId: 1,
    port: sc.kafkaPort,
    controllerPort: sc.kafkaControllerPort,
    voters: [{ nodeId: 1, controllerPort: sc.kafkaControllerPort }],
    dir: join(sc.runDir, "kafka"),
    clusterIdFile: join(sc.runDir, "kafka", "cluster.id"),
    runDir: sc.runDir,
    cacheDir: sc.cacheDir,
    root: sc.root,
    heap: "512m",
    security: nodeSecurity(sc),
  });
  const ready = async (): Promise<string> => {
    const r = await applyAcls([node.endpoint], secureAdminSecurity(sc));
    return `ACLs applied (${r.created} created, ${r.removed} removed)`;
  };
  return [{ ...node, ready }];
}
