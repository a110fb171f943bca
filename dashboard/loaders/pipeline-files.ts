// Pipeline health from files beside the warehouse: the newest landing file per topic (what `phonepipe health`
// checks), dbt's last run_results.json, the newest Great Expectations report, and dead letters exported from
// the .dlq topics (the dashboard build does not read Kafka; the demo and docs/dashboard.md export them).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { dataDir } from "./warehouse.ts";

type Json = Record<string, unknown>;

function newestFile(dir: string): { path: string; mtime: number } | null {
  let best: { path: string; mtime: number } | null = null;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".parquet") || e.name.endsWith(".json")) {
        const m = statSync(p).mtimeMs;
        if (!best || m > best.mtime) best = { path: p, mtime: m };
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return best;
}

export function landingFreshness(now: number): Json[] {
  const landing = join(dataDir(), "landing");
  if (!existsSync(landing)) return [];
  const sla = Number(process.env.PHONEPIPE_FRESHNESS_SLA_MINUTES ?? 60);
  return readdirSync(landing, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const f = newestFile(join(landing, e.name));
      const age = f ? (now - f.mtime) / 60000 : null;
      return {
        topic: e.name,
        newest_landed_at: f ? new Date(f.mtime).toISOString() : null,
        age_minutes: age === null ? null : Math.round(age),
        sla_minutes: sla,
        within_sla: age !== null && age <= sla,
      };
    });
}

function readJson(path: string): Json | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Json;
  } catch {
    return null;
  }
}

export function lastDbtBuild(): Json | null {
  const root = process.env.PHONEPIPE_ROOT ?? resolve(import.meta.dirname, "..", "..");
  const targetDir = process.env.DBT_TARGET_PATH ?? join(root, "dbt", "target");
  const rr = readJson(join(targetDir, "run_results.json"));
  if (!rr) return null;
  const results = (rr.results as Json[] | undefined) ?? [];
  const counts: Record<string, number> = {};
  for (const r of results) counts[String(r.status)] = (counts[String(r.status)] ?? 0) + 1;
  const meta = (rr.metadata as Json | undefined) ?? {};
  const args = (rr.args as Json | undefined) ?? {};
  return {
    generated_at: meta.generated_at ?? null,
    command: args.which ?? null,
    elapsed_s: rr.elapsed_time ?? null,
    nodes: results.length,
    status_counts: counts,
  };
}

export function lastQualityReport(): Json | null {
  const dir = process.env.PHONEPIPE_GX_REPORT_DIR ?? join(dataDir(), "quality");
  const f = newestFile(dir);
  const r = f ? readJson(f.path) : null;
  if (!f || !r) return null;
  const blocking = (r.blocking_failures as Json[] | undefined) ?? [];
  const warnings = (r.warnings as Json[] | undefined) ?? [];
  return {
    report: f.path,
    written_at: new Date(f.mtime).toISOString(),
    success: r.success ?? null,
    rows: r.rows ?? null,
    evaluated: r.evaluated ?? null,
    blocking_failures: blocking.map((b) => String(b.expectation ?? b.what ?? "")),
    warnings: warnings.map((w) => String(w.expectation ?? w.what ?? "")),
  };
}

/** Dead letters exported as JSON lines (one file per .dlq topic), grouped by topic, stage and reason. */
export function deadLetters(): { exported_from: string | null; groups: Json[] } {
  const runDir = process.env.PHONEPIPE_RUN_DIR ?? join(dataDir(), "..", "run");
  const dir = process.env.PHONEPIPE_DLQ_EXPORT_DIR ?? join(runDir, "dead-letters");
  if (!existsSync(dir)) return { exported_from: null, groups: [] };
  const groups = new Map<string, Json>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".jsonl"))) {
    for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
      const rec = parseLine(line);
      if (!rec) continue;
      const topic = String(rec.original_topic ?? name.replace(/\.dlq\.jsonl$|\.jsonl$/, ""));
      const reason = String(rec.error_type ?? "error");
      const key = `${topic}|${rec.stage}|${reason}`;
      const g = groups.get(key) ?? {
        topic,
        stage: String(rec.stage ?? "?"),
        reason,
        count: 0,
        example: rec.error,
      };
      g.count = Number(g.count) + 1;
      groups.set(key, g);
    }
  }
  return { exported_from: dir, groups: [...groups.values()] };
}

function parseLine(line: string): Json | null {
  if (!line.trim()) return null;
  try {
    const rec = JSON.parse(line) as Json;
    return (rec.value as Json | undefined) ?? rec;
  } catch {
    return null;
  }
}

export function publishedMarker(): Json | null {
  return readJson(join(dataDir(), "warehouse", "published.json"));
}
