/**
 * The platform profiles `phonepipe infra` manages: `local`, one broker and the registry (the default), and
 * `cluster`, the same parts as separate processes per node on their own ports and run dir (docs/operations.md),
 * and `secure`, one node with authentication, encryption and least-privilege authorization (docs/security.md).
 */
import { PlatformConfig } from "./config";
import { loadClusterConfig } from "./cluster/config";
import { clusterFlinkServices } from "./cluster/flink";
import { clusterKafkaServices } from "./cluster/kafka";
import { clusterSparkServices } from "./cluster/spark";
import { registryService, Service, services } from "./platform-services";
import { loadSecureConfig } from "./secure/config";
import { secureKafkaServices } from "./secure/kafka";
import { secureRegistryServices } from "./secure/registry";

export const PROFILES = ["local", "cluster", "secure"] as const;
export type Profile = (typeof PROFILES)[number];

export function profileServices(profile: Profile, cfg: PlatformConfig): Service[] {
  if (profile === "local") return services(cfg);
  if (profile === "secure") {
    const sc = loadSecureConfig(cfg);
    return [...secureKafkaServices(sc), ...secureRegistryServices(sc)];
  }
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
