/** The secure profile's schema registry. */
import { registryService, Service } from "../platform-services";
import { SecureConfig } from "./config";

export function secureRegistryServices(sc: SecureConfig): Service[] {
  return [
    registryService({
      runDir: sc.runDir,
      cacheDir: sc.cacheDir,
      port: sc.registryPort,
      managementPort: sc.registryManagementPort,
    }),
  ];
}
