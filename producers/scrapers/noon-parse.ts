import { BreakageError } from "./errors";
import { cleanText, ParsedListing } from "./listing";

/** Pure parsing of Noon catalog API responses (no I/O). Field names follow docs/sites.md. */

export const NOON = { source: "noon", domain: "noon.com", currency: "EGP", locale: "egypt-en" } as const;

/** Headers the Noon front end sends; the API answers 403 without them. */
export const NOON_API_HEADERS: Record<string, string> = {
  "x-locale": "en-eg",
  "x-platform": "web",
  "x-mp": "noon",
  "x-cms": "v2",
  accept: "application/json",
};

export const PAGE_LIMIT = 50;

export function searchApiUrl(baseUrl: string, query: string, page: number): string {
  const u = new URL("/_svc/catalog/api/v3/u/search", baseUrl);
  u.searchParams.set("q", query);
  u.searchParams.set("page", String(page));
  u.searchParams.set("limit", String(PAGE_LIMIT));
  return u.href;
}

export interface NoonHit {
  sku: string;
  name: string;
  brand: string | null;
  price: number;
  sale_price: number | null;
  url: string;
  offer_code: string;
  image_key: string | null;
  product_rating?: { value?: number; count?: number } | null;
}

export interface NoonOffer {
  offer_code?: string;
  price?: number;
  sale_price?: number | null;
  stock?: number;
  store_name?: string;
}

/** Canonical product page: the SKU comes before `/p/`. */
export function productPageUrl(baseUrl: string, hit: Pick<NoonHit, "url" | "sku" | "offer_code">): string {
  const u = new URL(`/${NOON.locale}/${hit.url}/${hit.sku}/p/`, baseUrl);
  u.searchParams.set("o", hit.offer_code);
  return u.href;
}

export function productApiUrl(baseUrl: string, hit: Pick<NoonHit, "url" | "sku" | "offer_code">): string {
  const u = new URL(`/_svc/catalog/api/v3/u/${hit.url}/${hit.sku}/p/`, baseUrl);
  u.searchParams.set("o", hit.offer_code);
  return u.href;
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === "string" && x.trim() !== "";

export interface SearchPageParse {
  page: number;
  nbPages: number;
  nbHits: number | null;
  hits: NoonHit[];
  /** Hits skipped for a missing required field: index and field. */
  invalid: { index: number; field: string }[];
}

const REQUIRED_HIT_FIELDS = ["sku", "name", "url", "price", "offer_code"] as const;

/** Parses one search response. Pure; throws BreakageError naming the field when the shape changed. */
export function parseSearchResponse(body: unknown, pageUrl: string, page: number): SearchPageParse {
  if (!isObj(body)) throw new BreakageError(pageUrl, "$", "response is not a JSON object");
  if (!Array.isArray(body.hits)) throw new BreakageError(pageUrl, "hits", "no 'hits' array in the response");
  if (!Number.isInteger(body.nbPages))
    throw new BreakageError(pageUrl, "nbPages", "no integer 'nbPages' in the response");
  const hits: NoonHit[] = [];
  const invalid: SearchPageParse["invalid"] = [];
  const missingCount: Record<string, number> = {};
  body.hits.forEach((h: unknown, index: number) => {
    const missing = !isObj(h)
      ? ["$"]
      : REQUIRED_HIT_FIELDS.filter((f) => (f === "price" ? !isNum(h[f]) : !isStr(h[f])));
    if (missing.length > 0 || !isObj(h)) {
      for (const f of missing) missingCount[f] = (missingCount[f] ?? 0) + 1;
      invalid.push({ index, field: missing.join(",") });
      return;
    }
    const rating = isObj(h.product_rating) ? h.product_rating : null;
    hits.push({
      sku: String(h.sku),
      name: cleanText(String(h.name)),
      brand: isStr(h.brand) ? h.brand : null,
      price: h.price as number,
      sale_price: isNum(h.sale_price) ? h.sale_price : null,
      url: String(h.url).replace(/^\/+|\/+$/g, ""),
      offer_code: String(h.offer_code),
      image_key: isStr(h.image_key) ? h.image_key : null,
      product_rating: rating
        ? {
            value: isNum(rating.value) ? rating.value : undefined,
            count: isNum(rating.count) ? rating.count : undefined,
          }
        : null,
    });
  });
  const n = body.hits.length;
  for (const f of REQUIRED_HIT_FIELDS) {
    if (n > 0 && missingCount[f] === n) {
      throw new BreakageError(pageUrl, `hits[].${f}`, `required field missing on all ${n} hits`);
    }
  }
  return {
    page,
    nbPages: body.nbPages as number,
    nbHits: Number.isInteger(body.nbHits) ? (body.nbHits as number) : null,
    hits,
    invalid,
  };
}

export interface ProductParse {
  offer: NoonOffer | null;
  offersCount: number;
}

/** Parses a product response and picks the offer of the hit (or the first). Pure; shape changes throw. */
export function parseProductResponse(body: unknown, pageUrl: string, offerCode: string): ProductParse {
  if (!isObj(body)) throw new BreakageError(pageUrl, "$", "response is not a JSON object");
  if (body.status !== "ok")
    throw new BreakageError(pageUrl, "status", `status is ${JSON.stringify(body.status)}, not "ok"`);
  if (!Array.isArray(body.offers))
    throw new BreakageError(pageUrl, "offers", "no 'offers' array in the response");
  const offers = body.offers.filter(isObj) as NoonOffer[];
  const offer = offers.find((o) => o.offer_code === offerCode) ?? offers[0] ?? null;
  return { offer, offersCount: offers.length };
}

/** How Noon shows a price: `EGP 24,999.00`. */
export function formatEgp(amount: number): string {
  return `EGP ${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Pure: one hit plus its product offer (when fetched) to a listing. */
export function hitToListing(
  hit: NoonHit,
  product: ProductParse | null,
  ctx: { baseUrl: string; page: number; query: string },
): ParsedListing {
  const offer = product?.offer ?? null;
  const listPrice = offer && isNum(offer.price) ? offer.price : hit.price;
  const salePrice = offer ? (isNum(offer.sale_price) ? offer.sale_price : null) : hit.sale_price;
  const shown = salePrice ?? listPrice;
  let availability: ParsedListing["availability"] = null;
  if (product) availability = offer && isNum(offer.stock) && offer.stock > 0 ? "in_stock" : "out_of_stock";
  const raw: Record<string, string> = {
    sku: hit.sku,
    offer_code: offer?.offer_code ?? hit.offer_code,
    page: String(ctx.page),
    list_price: String(listPrice),
    slug: hit.url,
  };
  if (ctx.query) raw.query = ctx.query;
  if (salePrice !== null) raw.sale_price = String(salePrice);
  if (hit.brand) raw.brand = hit.brand;
  if (hit.image_key) raw.image_url = `https://f.nooncdn.com/p/${hit.image_key}.jpg`;
  if (hit.product_rating?.value !== undefined) raw.rating_value = String(hit.product_rating.value);
  if (hit.product_rating?.count !== undefined) raw.rating_count = String(hit.product_rating.count);
  if (offer && isNum(offer.stock)) raw.stock = String(offer.stock);
  if (product) raw.offers_count = String(product.offersCount);
  return {
    source: NOON.source,
    source_domain: NOON.domain,
    source_type: "competitor",
    url: productPageUrl(ctx.baseUrl, hit),
    title: hit.name,
    price_text: formatEgp(shown),
    currency_hint: NOON.currency,
    seller_name: offer && isStr(offer.store_name) ? cleanText(offer.store_name) : null,
    condition_text: null,
    availability,
    raw,
  };
}
