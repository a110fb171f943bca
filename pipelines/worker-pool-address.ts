/** The address of an external TypeScript worker pool, checked early: the runner reports a bad one badly. Pure. */

/** `host:port` (a name, an IPv4 address or a bracketed IPv6 address, and a port 1-65535), trimmed. */
export function parseWorkerPoolAddress(raw: string): string {
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(raw.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new Error(`worker pool address must be host:port, got '${raw}'`);
  }
  return `${m[1]}:${m[2]}`;
}
