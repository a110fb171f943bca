/** Tiny `--name value` / `--flag` parser shared by the stream and backfill commands. */
import { UsageError } from "../cli/command";

export function parseArgs(
  args: string[],
  flags: string[],
  options: string[],
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) throw new UsageError(`unexpected argument '${a}'`);
    const [name, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (flags.includes(name)) out[name] = true;
    else if (options.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      out[name] = v;
    } else throw new UsageError(`unknown option --${name}`);
  }
  return out;
}

export function intOpt(v: string | boolean | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

/** "USD=48.6,EUR=52" → { USD: 48.6, EUR: 52 } (EGP per unit). */
export function fxOpt(v: string | boolean | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof v !== "string" || v === "") return out;
  for (const pair of v.split(",")) {
    const [c, r] = pair.split("=");
    const rate = Number(r);
    if (!c || !Number.isFinite(rate) || rate <= 0)
      throw new UsageError(`--fx expects CUR=rate[,CUR=rate], got '${pair}'`);
    out[c.trim().toUpperCase()] = rate;
  }
  return out;
}
