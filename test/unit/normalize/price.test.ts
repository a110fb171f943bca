import assert from "node:assert/strict";
import { normalizeListing, parseAmount, parsePrice } from "../../../transforms/normalize";

describe("normalize: price", () => {
  it("reads thousands separators , ٬ and . (19.500) and keeps decimals", () => {
    assert.deepEqual(parsePrice("27,150 جنيه"), { amount: 27150, currency: "EGP" });
    assert.deepEqual(parsePrice("19.500 EGP"), { amount: 19500, currency: "EGP" });
    assert.deepEqual(parsePrice("279.99 USD"), { amount: 279.99, currency: "USD" });
    assert.deepEqual(parsePrice("EGP 62,999.00"), { amount: 62999, currency: "EGP" });
    assert.deepEqual(parsePrice("1.499,00 AED"), { amount: 1499, currency: "AED" });
    assert.equal(parseAmount("1,234,567"), 1234567);
  });

  it("reads Arabic-Indic digits and Arabic separators", () => {
    assert.deepEqual(parsePrice("٢٤٬٩٩٩ ج.م"), { amount: 24999, currency: "EGP" });
    assert.deepEqual(parsePrice("٤٥٬٥٠٠"), { amount: 45500, currency: "EGP" });
    assert.deepEqual(parsePrice("٩٬٢٠٠ ج"), { amount: 9200, currency: "EGP" });
  });

  it("recognises EGP, LE, L.E., جنيه, ج.م, ج; $ and USD; AED; SAR", () => {
    for (const t of ["100 EGP", "100 LE", "L.E. 100", "100 جنيه", "100 ج.م", "100 ج", "EGP100"]) {
      assert.equal(parsePrice(t, null).currency, "EGP", t);
    }
    for (const t of ["$100", "100 USD", "100 دولار"]) assert.equal(parsePrice(t, null).currency, "USD", t);
    for (const t of ["AED 100", "100 درهم", "100 د.إ"]) assert.equal(parsePrice(t, null).currency, "AED", t);
    for (const t of ["SAR 100", "100 ريال", "100 ر.س"]) assert.equal(parsePrice(t, null).currency, "SAR", t);
  });

  it("reads thousands words: 25 الف, 45k", () => {
    assert.deepEqual(parsePrice("٣٥ الف"), { amount: 35000, currency: "EGP" });
    assert.deepEqual(parsePrice("budget 45k EGP"), { amount: 45000, currency: "EGP" });
  });

  it("is null for Not Available or no number", () => {
    assert.deepEqual(parsePrice("Not Available"), { amount: null, currency: null });
    assert.deepEqual(parsePrice("Negotiable"), { amount: null, currency: null });
    assert.deepEqual(parsePrice(null), { amount: null, currency: null });
  });

  it("defaults the currency by the source's country when the text has none", () => {
    const p = (source: string | null, opts = {}) =>
      normalizeListing({ title: "iphone 13", price_text: "1,000", source }, opts).price_currency;
    assert.equal(p("mobilemasr"), "EGP");
    assert.equal(p("noon-ae"), "AED");
    assert.equal(p("noon-sa"), "SAR");
    assert.equal(p(null), "EGP");
    assert.equal(p(null, { defaultCurrency: "USD" }), "USD");
  });

  it("price_egp: the amount for EGP, amount × rate when a rate is given, else null", () => {
    const fx = { fxRatesToEgp: { USD: 48.5, AED: 13.2 } };
    assert.equal(normalizeListing({ title: "x", price_text: "100 USD" }, fx).price_egp, 4850);
    assert.equal(normalizeListing({ title: "x", price_text: "10 AED" }, fx).price_egp, 132);
    assert.equal(normalizeListing({ title: "x", price_text: "10 SAR" }, fx).price_egp, null);
    assert.equal(normalizeListing({ title: "x", price_text: "5,000 LE" }).price_egp, 5000);
    assert.equal(normalizeListing({ title: "x" }, fx).price_egp, null);
  });
});
