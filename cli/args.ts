/**
 * The one way a `phonepipe` command reads its arguments: node:util parseArgs (strict, long options, `-h` for
 * help) and readers for the value kinds the commands share. Every mistake becomes a UsageError whose message
 * starts with the command's name; cli/main.ts prints it without a stack trace and exits with 2.
 */
import { parseArgs, ParseArgsConfig } from "node:util";
import { UsageError } from "./command";
import { parseFxRates } from "./fx";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

type ParsedValues<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O & typeof HELP_OPTION; allowPositionals: boolean; strict: true }>
>["values"];

/** Names of the options that take a value. */
type ValueOption<O extends OptionsConfig> = {
  [K in keyof O]: O[K] extends { type: "string" } ? K : never;
}[keyof O] &
  string;

export interface CommandSpec<O extends OptionsConfig> {
  /** The command's name: the prefix of its error messages. */
  command: string;
  /** Printed for --help and after a malformed command line. */
  usage: string;
  /** Its options; --help/-h is added. */
  options: O;
  /** Whether it takes positional arguments (an action, a file); checked by the command itself. */
  positionals?: boolean;
}

/** Prints a command's usage for --help; the exit code of a help request. */
export function showHelp(usage: string): number {
  console.log(usage);
  return 0;
}

/** `-h`/`--help` before any `--`: help wins over a malformed rest, as a user asking for it expects. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

function isParseArgsError(err: unknown): err is Error {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

/** Parses `args` for a command; unknown options, missing values and stray arguments are usage errors. */
export function parseCommandArgs<const O extends OptionsConfig>(
  args: string[],
  spec: CommandSpec<O>,
): CommandArgs<O> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...spec.options, ...HELP_OPTION },
      allowPositionals: spec.positionals ?? false,
      strict: true,
    });
    return new CommandArgs(spec, values as ParsedValues<O>, positionals);
  } catch (err) {
    if (!isParseArgsError(err)) throw err;
    if (asksForHelp(args)) return new CommandArgs(spec, { help: true } as unknown as ParsedValues<O>, []);
    throw new UsageError(`${spec.command}: ${err.message}\n${spec.usage}`);
  }
}

/** A command's parsed arguments and typed readers for its option values. */
export class CommandArgs<O extends OptionsConfig> {
  /** True when the user asked for the usage text. */
  readonly help: boolean;

  constructor(
    private readonly spec: CommandSpec<O>,
    readonly values: ParsedValues<O>,
    readonly positionals: string[],
  ) {
    this.help = (values as Record<string, unknown>).help === true;
  }

  /** Throws the command's usage error; `withUsage` appends the usage text. */
  fail(message: string, withUsage = false): never {
    throw new UsageError(`${this.spec.command}: ${message}${withUsage ? `\n${this.spec.usage}` : ""}`);
  }

  /** The value of a string option, or undefined when it was not given. */
  string(name: ValueOption<O>): string | undefined {
    const v = (this.values as Record<string, unknown>)[name];
    return typeof v === "string" ? v : undefined;
  }

  /** An integer option (at least `min` when given); `fallback` when absent. */
  int(name: ValueOption<O>, fallback: number, min?: number): number {
    const raw = this.string(name);
    return raw === undefined ? fallback : this.checked(() => parseInteger(raw, `--${name}`, min));
  }

  /** A number option, > 0 (or ≥ 0 with allowZero); `fallback` when absent. */
  number(name: ValueOption<O>, fallback: number, allowZero = false): number {
    const raw = this.string(name);
    return raw === undefined ? fallback : this.checked(() => parseNumber(raw, `--${name}`, allowZero));
  }

  /** A comma-separated list option (items trimmed, blanks dropped, not empty); undefined when absent. */
  list(name: ValueOption<O>): string[] | undefined {
    const raw = this.string(name);
    return raw === undefined ? undefined : this.checked(() => parseList(raw, `--${name}`));
  }

  /** An option that must be one of `choices`; `fallback` when absent. */
  choice<C extends string>(name: ValueOption<O>, choices: readonly C[], fallback: C): C {
    const raw = this.string(name);
    return raw === undefined ? fallback : this.checked(() => parseChoice(raw, `--${name}`, choices));
  }

  /** FX rates, EGP per unit (`USD=48.5,EUR=52.5`); `fallback` (same format) when absent. */
  fx(name: ValueOption<O>, fallback = ""): Record<string, number> {
    const raw = this.string(name) ?? fallback;
    return this.checked(() => parseFxRates(raw, `--${name}`));
  }

  /** Runs a value parser (parseInteger, parseList...) on a value from elsewhere, e.g. the environment. */
  checked<T>(parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      if (err instanceof UsageError) this.fail(err.message);
      throw err;
    }
  }
}

/** Whole number ≥ `min` (any sign when `min` is undefined). Blank text is an error, not 0. */
export function parseInteger(raw: string, option: string, min?: number): number {
  const n = raw.trim() === "" ? NaN : Number(raw);
  if (Number.isSafeInteger(n) && (min === undefined || n >= min)) return n;
  const kind =
    min === undefined
      ? "an integer"
      : min === 0
        ? "a non-negative integer"
        : min === 1
          ? "a positive integer"
          : `an integer ≥ ${min}`;
  throw new UsageError(`${option} must be ${kind}, got '${raw}'`);
}

/** Finite number > 0 (≥ 0 with `allowZero`). */
export function parseNumber(raw: string, option: string, allowZero = false): number {
  const n = raw.trim() === "" ? NaN : Number(raw);
  if (Number.isFinite(n) && (n > 0 || (allowZero && n === 0))) return n;
  throw new UsageError(`${option} must be a ${allowZero ? "non-negative" : "positive"} number, got '${raw}'`);
}

/** `"a, b,,c"` → `["a", "b", "c"]`; an empty list is an error. */
export function parseList(raw: string, option: string): string[] {
  const items = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} is empty`);
  return items;
}

/** `raw` when it is one of `choices`. */
export function parseChoice<C extends string>(raw: string, option: string, choices: readonly C[]): C {
  if ((choices as readonly string[]).includes(raw)) return raw as C;
  const listed =
    choices.length > 1 ? `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}` : choices[0];
  throw new UsageError(`${option} must be ${listed}, not '${raw}'`);
}
