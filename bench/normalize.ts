/**
 * Throughput of the listing normalizer on one core. Builds a large set of listing lines from templates
 * (Noon-like English, Mobile Masr-like Arabic-English, messy classifieds with typos and Arabic-Indic
 * digits, wanted ads; prices in EGP/USD/AED/SAR), then times in the same run:
 *   baseline   JSON.parse + JSON.stringify of each line (the floor of any JSON-lines stage)
 *   normalize  normalizeListing on already-parsed inputs
 *   end-to-end JSON.parse + normalizeListing + JSON.stringify of the result
 * Throughput is titles per CPU-second of this (single-threaded) process, so it measures one core even
 * when other processes share the machine; wall-clock rates are printed beside it. The last line printed
 * is one JSON object with the figures.
 *
 *   node dist/bench/normalize.js [--titles N] [--target 100000] [--enforce]
 * With --enforce the exit status is 1 when the target is missed (a loaded machine can miss it).
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { CATALOG, ListingInput, normalizeListing } from "../transforms/normalize";
import { seededRandom } from "../infra/seeded-random";

const rng = seededRandom;

const ARABIC_BRAND: Record<string, string> = {
  apple: "ابل",
  samsung: "سامسونج",
  xiaomi: "شاومي",
  oppo: "اوبو",
  realme: "ريلمي",
  huawei: "هواوي",
  honor: "هونر",
  infinix: "انفينكس",
  tecno: "تكنو",
  vivo: "فيفو",
  nokia: "نوكيا",
  oneplus: "وان بلس",
};
const COLOURS = ["Black", "Midnight", "Sierra Blue", "Titanium Gray", "Awesome Navy", "Green", "Silver"];
const ARABIC_COLOURS = ["أسود", "أزرق فاتح", "أبيض", "اخضر فانتوم", "وردى", "ذهبي"];
const RAMS = [4, 6, 8, 12, 16];
const TYPOS: [RegExp, string][] = [
  [/pro max/, "pro mx"],
  [/pro/, "bro"],
  [/iphone/, "lphon"],
  [/samsung/, "samsong"],
  [/ /, ""],
];

function toArabicDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

function buildLines(n: number): string[] {
  const rand = rng(42);
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const models = CATALOG.models.filter((m) => m.storages.length > 0);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = pickOf(models);
    const storage = pickOf(m.storages);
    const ram = pickOf(RAMS);
    const price = Math.floor(2000 + rand() * 80000);
    const brandWord = m.model.startsWith("iphone") ? "Apple" : m.brand[0].toUpperCase() + m.brand.slice(1);
    const kind = rand();
    let input: ListingInput;
    if (kind < 0.3) {
      input = {
        title: `${brandWord} ${m.model} Dual SIM ${pickOf(COLOURS)} ${ram}GB RAM ${storage}GB 5G - Middle East Version`,
        price_text: rand() < 0.8 ? `EGP ${withCommas(price)}.00` : `AED ${Math.floor(price / 13)}`,
        source: "noon",
      };
    } else if (kind < 0.6) {
      const ar = ARABIC_BRAND[m.brand] ?? brandWord;
      input = {
        title: `${ar} ${m.model} رامات ${ram} جيجابايت ${storage} جيجابايت ${pickOf(ARABIC_COLOURS)}`,
        price_text: `${withCommas(price)} جنيه`,
        condition_text: pickOf(["90%", "very good", "ضمان دولي 12 شهر"]),
        source: "mobilemasr",
      };
    } else if (kind < 0.9) {
      let t = `${m.brand} ${m.model} ${ram}/${storage} ${pickOf(["كسر زيرو", "used", "زيرو ضريبة", "جديد متبرشم", ""])}`;
      const [re, rep] = pickOf(TYPOS);
      if (rand() < 0.4) t = t.replace(re, rep);
      if (rand() < 0.3) t = toArabicDigits(t);
      input = {
        title: t,
        price_text: rand() < 0.5 ? toArabicDigits(`${price} ج.م`) : `${price} LE`,
        source: "dubizzle",
      };
    } else {
      input = {
        title: `مطلوب ${m.model} ${storage}`,
        price_text: rand() < 0.5 ? `${Math.floor(price / 48)} USD` : `SAR ${Math.floor(price / 13)}`,
        source: "dubizzle",
      };
    }
    lines.push(JSON.stringify(input));
  }
  return lines;
}

/** Thousands with commas (`27,150`), without the cost of toLocaleString. */
function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Wall and CPU time (user + system) of one phase, summed over chunks. */
class Phase {
  wall = 0;
  cpu = 0;
  time(fn: () => void): void {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    fn();
    this.wall += Number(process.hrtime.bigint() - w0) / 1e9;
    const c = process.cpuUsage(c0);
    this.cpu += (c.user + c.system) / 1e6;
  }
}

function main(): number {
  const { values } = parseArgs({
    options: {
      titles: { type: "string", default: "500000" },
      target: { type: "string", default: "100000" },
      enforce: { type: "boolean", default: false },
    },
  });
  const n = Number(values.titles);
  const target = Number(values.target);
  const buildStart = Date.now();
  const lines = buildLines(n);
  console.log(`built ${withCommas(n)} listing lines from templates in ${Date.now() - buildStart} ms`);

  // Warm up the JIT and the typo cache on a slice, as a long-running job would be.
  for (let i = 0; i < Math.min(20_000, n); i++) normalizeListing(JSON.parse(lines[i]) as ListingInput);

  // Phases alternate chunk by chunk so that load from other processes hits all of them alike.
  const baseline = new Phase();
  const normalizeOnly = new Phase();
  const endToEnd = new Phase();
  let matched = 0;
  let bytes = 0;
  const chunk = 10_000;
  for (let start = 0; start < n; start += chunk) {
    const slice = lines.slice(start, start + chunk);
    baseline.time(() => {
      for (const l of slice) bytes += JSON.stringify(JSON.parse(l)).length;
    });
    const inputs = slice.map((l) => JSON.parse(l) as ListingInput);
    normalizeOnly.time(() => {
      for (const input of inputs) if (normalizeListing(input).model !== null) matched++;
    });
    endToEnd.time(() => {
      for (const l of slice) bytes += JSON.stringify(normalizeListing(JSON.parse(l) as ListingInput)).length;
    });
  }
  const mem = process.memoryUsage();
  const perCpuSecond = (p: Phase): number => Math.round(n / p.cpu);
  const perWallSecond = (p: Phase): number => Math.round(n / p.wall);
  const figures = {
    titles: n,
    baseline_parse_serialize_per_cpu_s: perCpuSecond(baseline),
    normalize_per_cpu_s: perCpuSecond(normalizeOnly),
    end_to_end_per_cpu_s: perCpuSecond(endToEnd),
    baseline_parse_serialize_per_wall_s: perWallSecond(baseline),
    normalize_per_wall_s: perWallSecond(normalizeOnly),
    end_to_end_per_wall_s: perWallSecond(endToEnd),
    normalize_vs_baseline: Math.round((normalizeOnly.cpu / baseline.cpu) * 100) / 100,
    matched_share: Math.round((matched / n) * 1000) / 1000,
    target_per_s: target,
    target_met: perCpuSecond(normalizeOnly) >= target,
    rss_mb: Math.round(mem.rss / 1048576),
    heap_used_mb: Math.round(mem.heapUsed / 1048576),
    load_average_1m: Math.round(loadavg()[0] * 10) / 10,
    output_bytes: bytes,
  };
  const row = (label: string, p: Phase): string =>
    `${label.padEnd(40)} ${withCommas(perCpuSecond(p)).padStart(10)} titles/CPU-s  ${withCommas(perWallSecond(p)).padStart(10)} titles/wall-s`;
  console.log(row("baseline (JSON.parse + JSON.stringify)", baseline));
  console.log(row("normalizeListing only", normalizeOnly));
  console.log(row("parse + normalize + serialize", endToEnd));
  console.log(
    `normalize costs ${figures.normalize_vs_baseline}x the baseline; titles with a model ${(figures.matched_share * 100).toFixed(1)} %; ` +
      `rss ${figures.rss_mb} MB, heap ${figures.heap_used_mb} MB; load average ${figures.load_average_1m} on ${cpus().length} cores`,
  );
  console.log(
    `target ${withCommas(target)} titles/s on one core (CPU time): ${figures.target_met ? "met" : "MISSED"}`,
  );
  console.log(JSON.stringify(figures));
  return figures.target_met || !values.enforce ? 0 : 1;
}

process.exitCode = main();
