import { ConfigurationError } from "../infra/config";
import { UsageError } from "./command";
import { listCommands, loadCommand } from "./registry";

function printHelp(): void {
  const lines = [
    "usage: phonepipe <command> [options]   (phonepipe <command> --help for details)",
    "",
    "commands:",
  ];
  for (const name of listCommands()) {
    const cmd = loadCommand(name);
    lines.push(`  ${name.padEnd(14)} ${cmd?.description ?? ""}`);
  }
  console.log(lines.join("\n"));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    printHelp();
    return name ? 0 : 2;
  }
  const cmd = loadCommand(name);
  if (!cmd) {
    console.error(`phonepipe: unknown command '${name}'. Run 'phonepipe help' for the list.`);
    return 2;
  }
  // Worker threads and child processes inherit the role with the rest of the environment.
  if (cmd.role && !process.env.PHONEPIPE_ROLE) process.env.PHONEPIPE_ROLE = cmd.role;
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // node:util parseArgs rejects unknown or malformed flags with ERR_PARSE_ARGS_* codes: a usage error
    // for every command, answered with the message alone rather than a stack trace.
    const code = (err as { code?: unknown }).code;
    const usage = err instanceof UsageError || err instanceof ConfigurationError;
    if (usage || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      console.error(`phonepipe: ${(err as Error).message}`);
      process.exitCode = 2;
    } else {
      console.error(`phonepipe: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    }
  },
);
