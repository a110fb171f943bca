/**
 * Accuracy of the listing normalizer on the labelled set (eval/normalize/labelled.jsonl) and the
 * held-out set (eval/normalize/holdout.jsonl, never tuned against). Prints accuracy per field and for
 * the product triple (brand + model + storage_gb); exits 1 when the labelled set misses a target.
 *
 *   node dist/bench/normalize-eval.js [--verbose] [--set labelled|holdout]
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { normalizeListing, NormalizedListing } from "../transforms/normalize";

interface LabelledRow {
  tag: string;
  title: string;
  price_text: string | null;
  condition_text: string | null;
  source: string | null;
  expected: Pick<
    NormalizedListing,
    | "brand"
    | "model"
    | "storage_gb"
    | "ram_gb"
    | "color"
    | "condition"
    | "listing_type"
    | "price_amount"
    | "price_currency"
  >;
}

type Check = (got: NormalizedListing, want: LabelledRow["expected"]) => boolean;

const CHECKS: readonly [string, Check][] = [
  ["brand", (g, w) => g.brand === w.brand],
  ["model", (g, w) => g.model === w.model],
  ["storage_gb", (g, w) => g.storage_gb === w.storage_gb],
  ["ram_gb", (g, w) => g.ram_gb === w.ram_gb],
  ["color", (g, w) => g.color === w.color],
  ["condition", (g, w) => g.condition === w.condition],
  ["listing_type", (g, w) => g.listing_type === w.listing_type],
  [
    "price (amount+currency)",
    (g, w) => g.price_amount === w.price_amount && g.price_currency === w.price_currency,
  ],
  ["product triple", (g, w) => g.brand === w.brand && g.model === w.model && g.storage_gb === w.storage_gb],
];

/** Accuracy targets, enforced on the labelled set. */
const TARGETS: Readonly<Record<string, number>> = {
  "product triple": 0.97,
  "price (amount+currency)": 0.99,
  condition: 0.95,
  listing_type: 0.99,
};

const repoRoot = resolve(__dirname, "..", "..");

function load(name: string): LabelledRow[] {
  const text = readFileSync(resolve(repoRoot, "eval", "normalize", name), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledRow);
}

function evaluate(name: string, rows: LabelledRow[], verbose: boolean): Record<string, number> {
  const correct = new Map<string, number>(CHECKS.map(([n]) => [n, 0]));
  for (const row of rows) {
    const got = normalizeListing(row);
    const wrong: string[] = [];
    for (const [field, check] of CHECKS) {
      if (check(got, row.expected)) correct.set(field, (correct.get(field) ?? 0) + 1);
      else if (field !== "product triple") wrong.push(field);
    }
    if (verbose && wrong.length > 0) {
      const diff = wrong.map((f) => {
        const key = f.startsWith("price") ? "price_amount" : (f as keyof LabelledRow["expected"]);
        const g = f.startsWith("price") ? `${got.price_amount} ${got.price_currency}` : String(got[key]);
        const w = f.startsWith("price")
          ? `${row.expected.price_amount} ${row.expected.price_currency}`
          : String(row.expected[key]);
        return `${f}: got ${g}, want ${w}`;
      });
      console.log(`  [${row.tag}] ${row.title}\n      ${diff.join("; ")}`);
    }
  }
  const acc: Record<string, number> = {};
  console.log(`\n${name}: ${rows.length} titles`);
  for (const [field] of CHECKS) {
    const a = (correct.get(field) ?? 0) / rows.length;
    acc[field] = Math.round(a * 10000) / 10000;
    const target = TARGETS[field];
    const mark =
      target === undefined
        ? ""
        : a >= target
          ? `  (target ${pct(target)}: met)`
          : `  (target ${pct(target)}: MISSED)`;
    console.log(`  ${field.padEnd(24)} ${pct(a).padStart(7)}  ${correct.get(field)}/${rows.length}${mark}`);
  }
  return acc;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function main(): number {
  const { values } = parseArgs({
    options: { verbose: { type: "boolean", short: "v" }, set: { type: "string" } },
  });
  const verbose = values.verbose ?? false;
  const sets = values.set ? [values.set] : ["labelled", "holdout"];
  const summary: Record<string, Record<string, number>> = {};
  for (const s of sets) summary[s] = evaluate(s, load(`${s}.jsonl`), verbose);
  const labelled = summary.labelled;
  const missed = labelled ? Object.entries(TARGETS).filter(([f, t]) => labelled[f] < t) : [];
  console.log(
    missed.length === 0
      ? "\nlabelled-set targets: all met"
      : `\nlabelled-set targets MISSED: ${missed.map(([f]) => f).join(", ")}`,
  );
  console.log(JSON.stringify(summary));
  return missed.length === 0 ? 0 : 1;
}

process.exitCode = main();
