/** Peak memory of the processes a stream benchmark runs, read from /proc (Linux). */
import { readFileSync } from "node:fs";

/** Peak RSS (VmHWM) of a process in MB, or null when it is gone. */
export function peakRssMb(pid: number | "self"): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Percentile of an ascending array (nearest rank); NaN when empty. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The 1-minute load average, printed beside every figure (figures taken under load mislead). */
export function loadAvg1m(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

/** Samples this process's RSS every 100 ms until the returned function is called; it returns the peak in MB. */
export function sampleOwnRss(): () => number {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  t.unref();
  return () => {
    clearInterval(t);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}
