/** When the stream loop retries a failed cycle, and when it gives up. Pure. */

/** Failed attempts in a row after which the stream stops (FAILED). */
export const MAX_FAILED_ATTEMPTS = 8;

/** Wait before the next attempt after `failures` failed ones in a row: 2 s, 4 s, ... up to 30 s. */
export function retryBackoffMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
}

/** Whether the loop stops instead of retrying: too many failures, or one no retry can fix. */
export function givesUp(failures: number, permanent: boolean): boolean {
  return failures >= MAX_FAILED_ATTEMPTS || permanent;
}
