/**
 * The Java KafkaIO expansion service the KafkaIO source expands its read with, run like the job servers
 * (pipelines/services.ts) from the classpath folder `make bootstrap-beam` resolves.
 */
import { JavaServiceSpec, RunningService, ServiceOptions, startJavaService } from "../../services";

export const EXPANSION_SERVICE: JavaServiceSpec = {
  name: "expansion",
  dir: "io-expansion-service",
  main: "org.apache.beam.sdk.expansion.service.ExpansionService",
  heap: "384m",
  args: (port) => [String(port), "--defaultEnvironmentType=EMBEDDED"],
};

export function startExpansionService(o: ServiceOptions): Promise<RunningService> {
  return startJavaService(EXPANSION_SERVICE, o);
}
