/** Defaults the stream and backfill commands share, so that a backfill lands what the stream job would have. */
import type { Topic } from "../schemas";

/** The scraped-listings topic: backfill's default and the one topic the kafkaio source lands. */
export const LISTINGS_TOPIC: Topic = "listings.scraped";

/** EGP per unit for price_egp when --fx is not given. */
export const DEFAULT_FX = "USD=48.5,EUR=52.5";

/** Dedupe window and landing files per window. */
export const DEFAULT_WINDOW_SECONDS = 5;
export const DEFAULT_SHARDS = 2;
