/**
 * Beam environment_type=EXTERNAL for the TypeScript SDK: the job's TypeScript transforms run in a worker pool
 * already running beside the runner's workers (pipelines/worker-pool.ts) instead of in the submitting process
 * (LOOPBACK). apache-beam 2.49.0's PortableRunner knows only LOOPBACK and docker, so this runner points the
 * pipeline's default TypeScript environment at the pool before the PortableRunner sees it.
 */
import { PortableRunner } from "./beam-sdk";

type EnvironmentsModule =
  typeof import("../node_modules/apache-beam/dist/src/apache_beam/internal/environments");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const environments = require("apache-beam/internal/environments") as EnvironmentsModule;

type Runner = InstanceType<typeof PortableRunner>;
type PipelineProto = Parameters<Runner["runPipeline"]>[0];

/** Rewrites, in place, every default TypeScript environment of `pipeline` to an external one at `address`. */
export function useExternalEnvironment(pipeline: PipelineProto, address: string): number {
  let rewritten = 0;
  const envs = pipeline.components?.environments ?? {};
  for (const [id, env] of Object.entries(envs)) {
    if (env.urn !== environments.TYPESCRIPT_DEFAULT_ENVIRONMENT_URN) continue;
    envs[id] = environments.asExternalEnvironment(env, address);
    rewritten += 1;
  }
  return rewritten;
}

type RunnerOptions = ConstructorParameters<typeof PortableRunner>[0];

/** A PortableRunner whose jobs run their TypeScript transforms in the worker pool at `poolAddress`. */
export class ExternalPoolRunner extends PortableRunner {
  constructor(
    options: RunnerOptions,
    private readonly poolAddress: string,
  ) {
    super(options);
  }

  override async runPipeline(
    pipeline: PipelineProto,
    options?: Parameters<Runner["runPipeline"]>[1],
  ): Promise<Awaited<ReturnType<Runner["runPipeline"]>>> {
    useExternalEnvironment(pipeline, this.poolAddress);
    return super.runPipeline(pipeline, options);
  }
}
