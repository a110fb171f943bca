/** Random secrets kept in files only their owner can read, made once and reused. */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** 32 random bytes, base64url: no quote, space, comma or bracket, so it fits any config syntax. */
export const newPassword = (): string => randomBytes(32).toString("base64url");

/** The password in `file`, created (mode 0600, no trailing newline) when missing. */
export function ensurePasswordFile(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, newPassword(), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return readFileSync(file, "utf8").trim();
}
