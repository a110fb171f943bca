/**
 * RSS of the cluster profile's processes and the stream's, sampled over a soak: every process found by its
 * pid file, read from /proc (Linux). Growth is measured from the sample at the end of the warm-up, when the
 * JVMs' heaps and the stream's caches have reached their working size.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Resident memory of a process in MB, or null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** name → pid of every pid file in the given folders (later folders win on a name clash). */
export function pidsIn(dirs: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".pid"))) {
      const pid = Number(readFileSync(join(dir, f), "utf8").trim());
      if (Number.isInteger(pid) && pid > 0) out.set(f.replace(/\.pid$/, ""), pid);
    }
  }
  return out;
}

export interface Sample {
  atS: number;
  rssMb: Record<string, number | null>;
}

export interface Growth {
  rssWarmMb: number | null;
  rssEndMb: number | null;
  /** (end - warm) / warm; null when the process was not alive at both points. */
  growth: number | null;
}

/** Per process: RSS at the last sample at or before `warmS`, at the last sample, and the growth between. */
export function growthAfter(samples: Sample[], warmS: number): Record<string, Growth> {
  const warm = [...samples].reverse().find((s) => s.atS <= warmS) ?? samples[0];
  const end = samples[samples.length - 1];
  const names = new Set(samples.flatMap((s) => Object.keys(s.rssMb)));
  const out: Record<string, Growth> = {};
  for (const name of [...names].sort()) {
    const a = warm?.rssMb[name] ?? null;
    const b = end?.rssMb[name] ?? null;
    out[name] = {
      rssWarmMb: a,
      rssEndMb: b,
      growth: a && b !== null ? Number(((b - a) / a).toFixed(3)) : null,
    };
  }
  return out;
}
