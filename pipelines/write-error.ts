/**
 * Errors of a failed file write that say which file and, for a full disk, say so plainly: the operator's fix
 * is to free space on that filesystem. Node's own ENOSPC message ("no space left on device, write") names
 * neither the file nor what was being written.
 */
export function writeFailure(what: string, file: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  const full = e.code === "ENOSPC" || /no space left/i.test(e.message);
  return new Error(
    `writing ${what} ${file} failed${full ? ": no space left on the device" : ""}: ${e.message}`,
  );
}
