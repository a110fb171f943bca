/**
 * The listing hook (catalog `hook: listing`): decode → validate → normalize a scraped listing whole (title,
 * price text, condition text) into its landing row, as one pure function: the Beam DoFn and the
 * single-process baseline (bench) both call it, so both do exactly the same work.
 */
import { fromB64, ListingRow, Processed, SourceRecord } from "./records";
import { decodeValue, SchemaLookup } from "./decode";
import { StageError } from "./errors";
import { deadLetter } from "./dead-letter";
import { validateListing, validateNormalizedPrice } from "./validate";
import { normalizeForLanding } from "./normalize-seam";

export interface ProcessDeps {
  schemaFor: SchemaLookup;
  fxRatesToEgp: Record<string, number>;
  /** Clock for failed_at (injected so tests are deterministic). */
  now: () => number;
  /**
   * false: land the record as decoded, without the normalizer (bench comparisons with a peer that has none):
   * the normalized columns are null and the normalized-price rules are not checked. Default true.
   */
  normalize?: boolean;
}

type NormalizedColumns = Pick<
  ListingRow,
  | "brand"
  | "model"
  | "color"
  | "condition"
  | "listing_type"
  | "storage_gb"
  | "ram_gb"
  | "confidence"
  | "price_amount"
  | "price_currency"
  | "price_egp"
>;

/** The normalized columns of a listing landed without the normalizer: all null (nothing was derived). */
const NOT_NORMALIZED: NormalizedColumns = {
  brand: null,
  model: null,
  color: null,
  condition: null,
  listing_type: null,
  storage_gb: null,
  ram_gb: null,
  confidence: null,
  price_amount: null,
  price_currency: null,
  price_egp: null,
};

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** The normalizer's columns of a valid listing; its price must pass the normalized-price rules. */
function normalized(v: Record<string, unknown>, deps: ProcessDeps): NormalizedColumns {
  let n;
  try {
    n = normalizeForLanding(
      {
        title: v.title as string,
        price_text: str(v.price_text),
        condition_text: str(v.condition_text),
        source: String(v.source ?? ""),
      },
      { fxRatesToEgp: deps.fxRatesToEgp },
    );
  } catch (err) {
    throw new StageError("normalize", (err as Error).message, (err as Error).name || "normalize_error");
  }
  validateNormalizedPrice(n);
  return n;
}

export function processListingRecord(src: SourceRecord, deps: ProcessDeps): Processed {
  try {
    const { schemaId, value: v } = decodeValue(fromB64(src.valueB64), deps.schemaFor);
    validateListing(v);
    const n: NormalizedColumns = deps.normalize === false ? NOT_NORMALIZED : normalized(v, deps);
    const row: ListingRow = {
      kafka_partition: src.partition,
      kafka_offset: src.offset,
      schema_id: schemaId,
      event_id: String(v.event_id),
      source: String(v.source),
      source_domain: String(v.source_domain),
      source_type: String(v.source_type ?? "competitor"),
      url: (v.url as string).trim(),
      title: v.title as string,
      price_text: str(v.price_text),
      currency_hint: str(v.currency_hint),
      seller_name: str(v.seller_name),
      condition_text: str(v.condition_text),
      availability: str(v.availability),
      scraped_at: v.scraped_at as number,
      raw_json: JSON.stringify(v.raw ?? {}),
      brand: n.brand,
      model: n.model,
      color: n.color,
      condition: n.condition,
      listing_type: n.listing_type,
      storage_gb: n.storage_gb,
      ram_gb: n.ram_gb,
      confidence: n.confidence,
      price_amount: n.price_amount,
      price_currency: n.price_currency,
      price_egp: n.price_egp,
    };
    return { row };
  } catch (err) {
    return { dead: deadLetter(src, err, deps.now()) };
  }
}
