import type { CheerioAPI } from "@crawlee/cheerio";
import { BreakageError } from "./errors";
import { cleanText, ParsedListing } from "./listing";

/** Pure parsing of Mobile Masr pages (no I/O): a results page to card listings, a product page to its title. */

export const MOBILEMASR = { source: "mobilemasr", domain: "mobilemasr.com", currency: "EGP" } as const;

/** Selectors of the site's pages (docs/sites.md); every breakage message names one of these. */
export const SEL = {
  card: "div.product-card",
  link: "a[href]",
  title: "a div p",
  price: "p span",
  seller: "div div p",
  badge: "span.inline-flex",
  productTitle: "h1",
} as const;

const CONDITION_WORDS: Record<string, string> = { ممتاز: "excellent", مستعمل: "used", جديد: "new" };
const SELLER_KINDS: Record<string, string> = { vu: "vendor_used", vn: "vendor_new", su: "individual" };

export function searchUrl(baseUrl: string, query: string, page: number): string {
  const u = new URL("/search", baseUrl);
  u.searchParams.set("q", query);
  u.searchParams.set("filter_3_الحاله_ar", "مستعمل");
  u.searchParams.set("page", String(page));
  return u.href;
}

export function isTruncatedTitle(title: string): boolean {
  return /(\.\.\.|…)$/.test(title);
}

/** What the slug of `/products/show/<slug>` says: the trailing condition word and listing id. */
export function slugInfo(url: string): {
  slug: string;
  listingCode?: string;
  conditionWord?: string;
  sellerKind?: string;
} {
  const path = new URL(url).pathname;
  const slug = decodeURIComponent(path.replace(/^.*\/products\/show\//, ""));
  const parts = slug.split("-");
  const out: ReturnType<typeof slugInfo> = { slug };
  const last = parts[parts.length - 1] ?? "";
  if (/^[a-z]{2}\d+$/i.test(last)) {
    out.listingCode = last.toLowerCase();
    out.sellerKind = SELLER_KINDS[last.slice(0, 2).toLowerCase()];
    const word = parts[parts.length - 2];
    if (word && CONDITION_WORDS[word]) out.conditionWord = word;
  }
  return out;
}

export interface CardParse {
  index: number;
  listing?: ParsedListing;
  /** The card's title is cut with "..." and has to be read from the product page. */
  truncated: boolean;
  /** Required fields this card lacks, as selectors. */
  missing: string[];
}

export interface ResultsPageParse {
  page: number;
  cards: CardParse[];
}

/**
 * Parses one search/category results page. Pure. Throws BreakageError when a required field is missing on
 * every card of the page; a page with no cards at all is returned as such (the caller knows whether items
 * were expected there).
 */
export function parseResultsPage(
  $: CheerioAPI,
  pageUrl: string,
  page: number,
  query: string,
): ResultsPageParse {
  const cards: CardParse[] = [];
  $(SEL.card).each((index, el) => {
    const fields = readCard($, $(el));
    if (fields.missing.length > 0 || !fields.href) {
      cards.push({ index, truncated: false, missing: fields.missing });
      return;
    }
    cards.push({
      index,
      truncated: isTruncatedTitle(fields.title),
      missing: fields.missing,
      listing: cardListing(fields, fields.href, pageUrl, page, query),
    });
  });
  if (cards.length > 0) {
    for (const sel of [SEL.link, SEL.title, SEL.price]) {
      if (cards.every((c) => c.missing.includes(sel))) {
        throw new BreakageError(pageUrl, sel, `required field missing on all ${cards.length} cards`);
      }
    }
  }
  return { page, cards };
}

/** A cheerio selection of elements (what cheerio's `find` returns). */
type Selection = ReturnType<ReturnType<CheerioAPI["root"]>["find"]>;

/** One card's fields as the page shows them; `missing` names the required selectors not found. */
interface CardFields {
  href: string | undefined;
  title: string;
  priceText: string;
  seller: string | null;
  badge: string | null;
  missing: string[];
}

function readCard($: CheerioAPI, card: Selection): CardFields {
  const missing: string[] = [];
  const outsideLink = (sel: string) => card.find(sel).filter((_, x) => $(x).closest("a").length === 0);

  const href = card.find(SEL.link).first().attr("href");
  if (!href) missing.push(SEL.link);
  const title = cleanText(card.find(SEL.title).first().text());
  if (!title) missing.push(SEL.title);
  const priceEl = outsideLink(SEL.price).filter((_, x) => /\d/.test($(x).text()));
  const priceText = cleanText(priceEl.first().text());
  if (!priceText) missing.push(SEL.price);
  // `div div p` also matches the title (inside the link) and the price paragraph; the seller is the
  // last such paragraph outside the link that does not hold the price span.
  const sellerEl = outsideLink(SEL.seller).filter((_, x) => $(x).find("span").length === 0);
  const seller = cleanText(sellerEl.last().text()) || null;
  const badge = cleanText(card.find(SEL.badge).first().text()) || null;
  return { href, title, priceText, seller, badge, missing };
}

/** The listing of a card with every required field; `raw` keeps what the card and its URL slug say. */
function cardListing(
  f: CardFields,
  href: string,
  pageUrl: string,
  page: number,
  query: string,
): ParsedListing {
  const url = new URL(href, pageUrl).href;
  const info = slugInfo(url);
  const raw: Record<string, string> = { page: String(page), href, card_title: f.title, price: f.priceText };
  if (query) raw.query = query;
  if (info.listingCode) raw.listing_code = info.listingCode;
  if (info.conditionWord) raw.condition_word = info.conditionWord;
  if (info.sellerKind) raw.seller_kind = info.sellerKind;
  if (f.badge) raw.badge = f.badge;
  if (f.seller) raw.seller = f.seller;
  return {
    source: MOBILEMASR.source,
    source_domain: MOBILEMASR.domain,
    source_type: "competitor",
    url,
    title: f.title,
    price_text: f.priceText,
    currency_hint: MOBILEMASR.currency,
    seller_name: f.seller,
    condition_text: f.badge,
    availability: null,
    raw,
  };
}

/** Full title from a product page. Pure; throws BreakageError naming the selector when it is gone. */
export function parseProductTitle($: CheerioAPI, pageUrl: string): string {
  const title = cleanText($(SEL.productTitle).first().text());
  if (!title) throw new BreakageError(pageUrl, SEL.productTitle, "product page has no title");
  return title;
}
