/** The cluster profile's Kafka: three KRaft nodes, each broker and controller, forming one three-voter quorum. */
import { join } from "node:path";
import { kafkaNodeService } from "../kafka-node";
import { Service } from "../platform-services";
import { ClusterConfig } from "./config";

/** Heap per node: enough for the demo's few MB/s with room for three replicas of every partition. */
const KAFKA_NODE_HEAP = "512m";

export function clusterKafkaServices(cc: ClusterConfig): Service[] {
  const voters = cc.kafka.map((n) => ({ nodeId: n.nodeId, controllerPort: n.controllerPort }));
  const endpoints = cc.kafka.map((n) => `127.0.0.1:${n.port}`);
  return cc.kafka.map((n, i) =>
    kafkaNodeService({
      name: `kafka-${n.nodeId}`,
      nodeId: n.nodeId,
      port: n.port,
      controllerPort: n.controllerPort,
      voters,
      dir: join(cc.runDir, `kafka-${n.nodeId}`),
      clusterIdFile: join(cc.runDir, "kafka-cluster.id"),
      runDir: cc.runDir,
      cacheDir: cc.cacheDir,
      root: cc.root,
      heap: KAFKA_NODE_HEAP,
      clusterEndpoints: i === cc.kafka.length - 1 ? endpoints : undefined,
    }),
  );
}
