import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export function parseJavaVersion(text: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] ? Number(m[2]) : major;
}

/** Major version of a `java` binary, or undefined when it does not run. */
export function javaMajorVersion(javaBin: string): number | undefined {
  const res = spawnSync(javaBin, ["-version"], { encoding: "utf8" });
  if (res.error) return undefined;
  return parseJavaVersion(`${res.stderr ?? ""}${res.stdout ?? ""}`);
}

/**
 * Finds a `java` of at least `minMajor`: `$<envName>/bin/java`, then JAVA_HOME, then PATH, then the JDKs
 * under /usr/lib/jvm (the registry needs Java 21+ while the machine's default is 17).
 */
export function findJava(minMajor: number, envName: string, env: NodeJS.ProcessEnv = process.env): string {
  const candidates: string[] = [];
  if (env[envName]) candidates.push(join(env[envName] as string, "bin", "java"));
  if (env.JAVA_HOME) candidates.push(join(env.JAVA_HOME, "bin", "java"));
  candidates.push("java");
  const jvmRoot = "/usr/lib/jvm";
  if (existsSync(jvmRoot)) {
    for (const d of readdirSync(jvmRoot).sort().reverse()) candidates.push(join(jvmRoot, d, "bin", "java"));
  }
  const seen: string[] = [];
  for (const c of candidates) {
    const v = javaMajorVersion(c);
    if (v === undefined) continue;
    if (v >= minMajor) return c;
    seen.push(`${c} is ${v}`);
  }
  throw new Error(
    `no Java ${minMajor}+ found (${seen.length ? seen.join("; ") : "no runnable java at all"}); ` +
      `install one or set ${envName} to its home directory`,
  );
}
