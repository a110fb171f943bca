/**
 * The platform profiles `phonepipe infra` manages: `local`, one broker and the registry (the default), and
 * `cluster`, the same parts as separate processes per node on their own ports and run dir (docs/operations.md).
 */
import { PlatformConfig } from "./config";
import { loadClusterConfig } from "./cluster/config";
import { clusterFlinkServices } from "./cluster/flink";
import { clusterKafkaServices } from "./cluster/kafka";
import { clusterSparkServices } from "./cluster/spark";
import { registryService, Service, services } from "./platform-services";

export const PROFILES = ["local", "cluster"] as const;
export type Profile = (typeof PROFILES)[number];

export function profileServices(profile: Profile, cfg: PlatformConfig): Service[] {
  if (profile === "local") return services(cfg);
  const cc = loadClusterConfig(cfg);
  return [
    ...clusterKafkaServices(cc),
    registryService({
      runDir: cc.runDir,
      cacheDir: cc.cacheDir,
      port: cc.registryPort,
      managementPort: cc.registryManagementPort,
    }),
    ...clusterFlinkServices(cc),
    ...clusterSparkServices(cc),
  ];
}
