import assert from "node:assert/strict";
import { CATALOG, normalizeListing, snapStorage } from "../../../transforms/normalize";
import { BRAND_PRIOR } from "../../../transforms/normalize/catalog";

describe("normalize: catalog", () => {
  it("holds at least 400 models across the brands of docs/normalization.md", () => {
    assert.ok(CATALOG.models.length >= 400, `${CATALOG.models.length} models`);
    const brands = new Set(CATALOG.models.map((m) => m.brand));
    for (const b of BRAND_PRIOR) assert.ok(brands.has(b), `no ${b} models`);
  });

  it("has unique, lowercase, single-spaced model names with real storage capacities", () => {
    const seen = new Set<string>();
    for (const m of CATALOG.models) {
      const id = `${m.brand}:${m.model}`;
      assert.ok(!seen.has(id), `duplicate ${id}`);
      seen.add(id);
      assert.match(m.model, /^[a-z0-9+]+(?: [a-z0-9+]+)*$/, id);
      for (const s of m.storages) assert.equal(snapStorage(s), s, `${id} storage ${s}`);
    }
  });

  it("matches every catalog model from its own name written with the brand", () => {
    const misses: string[] = [];
    for (const m of CATALOG.models) {
      const r = normalizeListing({ title: `${m.brand} ${m.model}` });
      if (r.brand !== m.brand || r.model !== m.model)
        misses.push(`${m.brand} ${m.model} → ${r.brand} ${r.model}`);
    }
    assert.deepEqual(misses, []);
  });
});
