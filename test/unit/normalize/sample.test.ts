import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { normalizeListing } from "../../../transforms/normalize";
import { repoRoot } from "./helpers";

/** The real Mobile Masr rows (test/fixtures/samples, see its README for provenance). */
function sampleRows(): Record<string, string>[] {
  const file = resolve(repoRoot, "test", "fixtures", "samples", "mobilemasr_listings_2025-10.csv");
  return parse(readFileSync(file, "utf8"), { columns: true, bom: true }) as Record<string, string>[];
}

const ARABIC_BRANDS: Record<string, string> = {
  ايفون: "apple",
  "وان بلس": "oneplus",
  اوبو: "oppo",
  شاومي: "xiaomi",
  هواوي: "huawei",
  فيفو: "vivo",
  سامسونج: "samsung",
};

describe("normalize: real Mobile Masr sample", () => {
  const rows = sampleRows();

  it("reads RAM and storage exactly as the title states them (رامات R جيجابايت S جيجابايت)", () => {
    assert.ok(rows.length >= 34);
    for (const row of rows) {
      const m = /رامات (\d+) جيجابايت (\d+) جيجاب/.exec(row.product_name);
      assert.ok(m, row.product_name);
      const r = normalizeListing({ title: row.product_name, price_text: row.price, source: "mobilemasr" });
      assert.equal(r.ram_gb, Number(m[1]), row.product_name);
      assert.equal(r.storage_gb, Number(m[2]), row.product_name);
    }
  });

  it("finds the brand the Arabic title names and a catalog model for every row", () => {
    for (const row of rows) {
      const prefix = Object.keys(ARABIC_BRANDS).find((k) => row.product_name.startsWith(k));
      assert.ok(prefix, row.product_name);
      const r = normalizeListing({ title: row.product_name });
      assert.equal(r.brand, ARABIC_BRANDS[prefix], row.product_name);
      assert.ok(r.model && r.confidence >= 0.9, `${row.product_name} → ${r.model} (${r.confidence})`);
    }
  });

  it("reads every price as EGP with the thousands separator removed", () => {
    for (const row of rows) {
      const r = normalizeListing({ title: row.product_name, price_text: row.price, source: "mobilemasr" });
      assert.equal(r.price_currency, "EGP");
      assert.equal(r.price_amount, Number(row.price.replace(/,/g, "")));
    }
  });

  it("takes the condition from the badge: a grade means used, battery % and warranty decide nothing", () => {
    for (const row of rows) {
      const badge = row.other_conditions;
      const r = normalizeListing({ title: row.product_name, condition_text: badge });
      const expected = /^(very good|good|excellent)$/i.test(badge) ? "used" : null;
      assert.equal(r.condition, expected, `${row.product_name} [${badge}]`);
    }
  });
});
