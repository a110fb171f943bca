/** Landing shards: which file of a window a row's key belongs to. Pure. */

/** Which landing shard (file) a key belongs to: stable across runs and runners (FNV-1a, 32 bit). */
export function shardOf(url: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) {
    h ^= url.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
