/**
 * FX rates given on the command line (`USD=48.5,EUR=52.5`: EGP per unit of each currency). Pure: the stream,
 * backfill and normalize commands all read `--fx` through this one function, so they accept the same text.
 */
import { UsageError } from "./command";

/** ISO 4217 codes as the runtime's ICU data knows them; a code outside it is a typo, not a currency. */
const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

const RATE = /^\d+(?:\.\d+)?$/;

/** Why one `CODE=RATE` pair is wrong, or undefined when it is right. */
function pairProblem(code: string, rate: string): string | undefined {
  if (code === "") return "the currency is blank";
  if (!ISO_CURRENCIES.has(code)) return `'${code}' is not an ISO 4217 currency code`;
  if (rate === "") return "the rate is blank";
  if (!RATE.test(rate)) return `the rate '${rate}' is not a decimal number`;
  if (Number(rate) <= 0) return "the rate must be positive";
  return undefined;
}

/**
 * `"USD=48.6, eur=52"` → `{ USD: 48.6, EUR: 52 }`. Blank text means no rates. Each comma-separated pair must
 * be a known currency code and a positive decimal rate, each currency once; otherwise a UsageError names the
 * option and the bad pair.
 */
export function parseFxRates(text: string, option = "--fx"): Record<string, number> {
  const rates: Record<string, number> = {};
  if (text.trim() === "") return rates;
  for (const pair of text.split(",")) {
    const parts = pair.split("=");
    const code = parts[0].trim().toUpperCase();
    const rate = (parts[1] ?? "").trim();
    const problem =
      parts.length !== 2
        ? "expected CODE=RATE"
        : (pairProblem(code, rate) ?? (code in rates ? `${code} is given twice` : undefined));
    if (problem)
      throw new UsageError(`${option} expects CODE=RATE[,CODE=RATE...]; '${pair.trim()}': ${problem}`);
    rates[code] = Number(rate);
  }
  return rates;
}
