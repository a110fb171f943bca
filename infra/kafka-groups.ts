/**
 * The consumer groups phonepipe's clients use, in one place because the secure profile's ACLs grant
 * exactly these (infra/secure/acls.ts): a group outside them is refused on a secured Kafka.
 */

/** The stream job's group (`phonepipe stream --group-id`, `health --group`); ACLs allow this prefix. */
export const STREAM_GROUP = "phonepipe-stream";
/** Throwaway groups of bounded offset-range reads (backfill, replays, the stream's reads). */
export const RANGE_GROUP_PREFIX = "phonepipe-range-";
/** Throwaway groups of `phonepipe topics read`. */
export const TOPICS_READ_GROUP_PREFIX = "phonepipe-topics-read-";
