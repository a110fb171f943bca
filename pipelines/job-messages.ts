/**
 * The reason a portable job failed. The job server reports it as ERROR job messages; without them a failed
 * cycle only says "ended FAILED", and with an external worker pool the DoFn's exception is printed in the
 * pool's log, not the stream's. Messages are collected while the job runs (a finished job's are not replayed).
 */
// A type-position import: ts-closure-transform turns `import type` into a runtime require.
type JobServiceClient =
  import("../node_modules/apache-beam/dist/src/apache_beam/proto/beam_job_api.client").JobServiceClient;

/** JobMessage.MessageImportance.JOB_MESSAGE_ERROR in beam_job_api.proto. */
const JOB_MESSAGE_ERROR = 5;

interface PortableResult {
  runner: { getClient(): Promise<JobServiceClient> };
  jobId: string;
}

export interface JobErrorWatch {
  /** The first line of each ERROR message so far. */
  errors(): string[];
  stop(): void;
}

/** The first line that says what went wrong: Java stack traces put it after "Caused by:" lines. */
export function failureSummary(messageText: string): string {
  const lines = messageText.split("\n").map((l) => l.trim());
  const causes = lines.filter((l) => l.startsWith("Caused by:"));
  const deepest = causes.length ? causes[causes.length - 1].replace(/^Caused by:\s*/, "") : lines[0];
  // The TypeScript harness reports "Error handling instruction: Error: <message>".
  const sdkError = lines.map((l) => /(?:^|\s)(Error: .+)$/.exec(l)?.[1]).find((m) => m !== undefined);
  return (sdkError ?? deepest ?? "").slice(0, 500);
}

export function watchJobErrors(result: unknown): JobErrorWatch {
  const r = result as PortableResult;
  const found: string[] = [];
  const abort = new AbortController();
  let headers: Promise<unknown> | undefined;
  void (async () => {
    const client = await r.runner.getClient();
    const call = client.getMessageStream({ jobId: r.jobId }, { abort: abort.signal });
    headers = call.headers;
    for await (const res of call.responses) {
      const m = res.response;
      if (m.oneofKind === "messageResponse" && m.messageResponse.importance >= JOB_MESSAGE_ERROR) {
        found.push(failureSummary(m.messageResponse.messageText));
      }
    }
  })().catch(() => undefined); // the stream ends with the job or the job server; errors() says what it saw
  // Cancelled before the job server sent its response headers (grpc-java sends them with the first message),
  // @protobuf-ts/grpc-transport throws "cannot resolve rejected" from a gRPC listener when they do arrive: an
  // uncaught exception that ends the process. So cancel only once the headers are in (or the call failed).
  const stop = () => {
    const cancel = () => abort.abort();
    if (headers) void headers.then(cancel, cancel);
    else cancel();
  };
  return { errors: () => [...found], stop };
}
