/**
 * The contract every `phonepipe <name>` subcommand module in cli/commands/ fulfils.
 * The dispatcher (cli/main.ts) discovers modules by file name, so adding a command needs no edit elsewhere.
 */
export interface Command {
  /** One line for `phonepipe help`. */
  description: string;
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
