/**
 * The contract every `phonepipe <name>` subcommand module in cli/commands/ fulfils.
 * The dispatcher (cli/main.ts) discovers modules by file name, so adding a command needs no edit elsewhere.
 */
export interface Command {
  /** One line for `phonepipe help`. */
  description: string;
  /**
   * The principal the command acts as on a secured Kafka and registry (infra/credentials.ts); the dispatcher
   * puts it in PHONEPIPE_ROLE unless that is set. Commands that touch neither have none.
   */
  role?: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** An error whose message is meant for the user as is (no stack trace printed). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
