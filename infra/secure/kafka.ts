/** The secure profile's Kafka: one KRaft broker+controller node. */
import { join } from "node:path";
import { kafkaNodeService } from "../kafka-node";
import { Service } from "../platform-services";
import { SecureConfig } from "./config";

export function secureKafkaServices(sc: SecureConfig): Service[] {
  return [
    kafkaNodeService({
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
    }),
  ];
}
