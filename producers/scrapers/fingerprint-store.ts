import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FingerprintMap, listingFingerprint } from "./fingerprint";
import { ScrapedListing } from "./listing";

interface StoreFile {
  version: 1;
  source: string;
  updated_at: string;
  fingerprints: FingerprintMap;
}

/**
 * The incremental-run state of one source: a JSON file `<data>/scraper-state/<source>.fingerprints.json`
 * mapping each listing URL to the fingerprint of its last produced observation. Written atomically
 * (temp file, then rename) so a crash never leaves half a file.
 */
export class FingerprintStore {
  readonly file: string;
  readonly source: string;
  readonly known: FingerprintMap;

  private constructor(file: string, source: string, fingerprints: FingerprintMap) {
    this.file = file;
    this.source = source;
    this.known = fingerprints;
  }

  static pathFor(stateDir: string, source: string): string {
    return join(stateDir, `${source}.fingerprints.json`);
  }

  static open(stateDir: string, source: string): FingerprintStore {
    const file = FingerprintStore.pathFor(stateDir, source);
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    if (text === undefined) return new FingerprintStore(file, source, {});
    const parsed = JSON.parse(text) as Partial<StoreFile>;
    if (parsed.version !== 1 || typeof parsed.fingerprints !== "object" || parsed.fingerprints === null) {
      throw new Error(`${file}: not a phonepipe fingerprint store (version 1); delete it or run with --full`);
    }
    return new FingerprintStore(file, source, parsed.fingerprints);
  }

  remember(listings: ScrapedListing[]): void {
    for (const l of listings) this.known[l.url] = listingFingerprint(l);
  }

  get size(): number {
    return Object.keys(this.known).length;
  }

  save(now = new Date()): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const body: StoreFile = {
      version: 1,
      source: this.source,
      updated_at: now.toISOString(),
      fingerprints: this.known,
    };
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(body, null, 1) + "\n");
    renameSync(tmp, this.file);
  }
}
