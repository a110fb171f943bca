/**
 * The registry of `phonepipe` subcommands: every module in cli/commands/ (compiled), named by its file. The
 * dispatcher (cli/main.ts) and the tests that must cover every command read it, so a new command needs no
 * edit elsewhere.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Command } from "./command";

const commandsDir = join(__dirname, "commands");

export function listCommands(): string[] {
  if (!existsSync(commandsDir)) return [];
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => f.slice(0, -3))
    .sort();
}

export function loadCommand(name: string): Command | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !listCommands().includes(name)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(commandsDir, `${name}.js`)) as Command;
}
