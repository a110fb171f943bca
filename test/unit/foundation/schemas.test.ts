import { strict as assert } from "node:assert";
import { checkCompatibility } from "../../../schemas/compatibility";
import { allSubjects, loadTopicSchema, readSchemaFiles, TOPICS } from "../../../schemas";
import { SchemaValidationError, validateRecord } from "../../../producers/validation";

const listing = () => ({
  event_id: "abc",
  source: "mobilemasr",
  source_domain: "mobilemasr.com",
  source_type: "competitor",
  url: "https://mobilemasr.com/products/show/x-vu016610",
  title: "ايفون 13 رامات 4 جيجابايت 128 جيجابايت أزرق",
  price_text: "27,150 جنيه",
  currency_hint: "EGP",
  seller_name: "Orange Mobile",
  condition_text: "90%",
  availability: null,
  scraped_at: 1_760_000_000_000,
  raw: { page: "1" },
});

describe("Avro contracts", () => {
  it("has a documented schema for every topic and the dead-letter envelope", () => {
    const files = readSchemaFiles();
    for (const t of TOPICS) assert.ok(files.has(t), `missing ${t}.avsc`);
    assert.ok(files.has("dead_letter"));
    for (const [name, schema] of files) {
      for (const f of (schema as { fields: Array<{ name: string; doc?: string }> }).fields) {
        assert.ok(f.doc && f.doc.length > 3, `${name}.${f.name} has no doc`);
      }
    }
    assert.equal(allSubjects().length, TOPICS.length * 2);
  });

  it("round-trips money as decimal and dates as YYYY-MM-DD", () => {
    const t = loadTopicSchema("market.reference_prices");
    const v = {
      record_id: "r",
      kind: "retail_price",
      product_title: "Samsung Galaxy A55 256GB",
      retailer: "Official store",
      price: 21999.99,
      currency: "EGP",
      fx_base: null,
      fx_quote: null,
      fx_rate: null,
      effective_date: "2025-10-01",
      source_file: "prices.csv",
      source_line: 2,
      loaded_at: 1_760_000_000_000,
    };
    assert.deepEqual({ ...t.fromBuffer(t.toBuffer(v)) }, v);
    assert.throws(() => t.toBuffer({ ...v, effective_date: "2025-02-30" }), /not a real calendar date/);
  });

  it("validation names the offending field and accepts a valid record", () => {
    validateRecord("listings.scraped", listing());
    try {
      validateRecord("listings.scraped", { ...listing(), scraped_at: "yesterday" });
      assert.fail("expected a SchemaValidationError");
    } catch (err) {
      assert.ok(err instanceof SchemaValidationError);
      assert.equal(err.field, "scraped_at");
      assert.match(err.message, /scraped_at/);
    }
    assert.throws(
      () => validateRecord("listings.scraped", { ...listing(), titel: "typo" }),
      /'titel' is not in the schema/,
    );
    const { url: _url, ...noUrl } = listing();
    assert.throws(() => validateRecord("listings.scraped", noUrl), /field 'url' is missing/);
  });
});

describe("schema compatibility check", () => {
  const base = {
    type: "record",
    name: "R",
    fields: [
      { name: "id", type: "string", doc: "id" },
      { name: "price", type: "double", doc: "p" },
    ],
  };

  it("rejects removing a field that has no default, naming schema and field", () => {
    const next = { ...base, fields: [base.fields[0]] };
    const problems = checkCompatibility("listings.scraped", base, next);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].field, "price");
    assert.equal(problems[0].schema, "listings.scraped");
  });

  it("accepts adding an optional field with a default", () => {
    const next = {
      ...base,
      fields: [...base.fields, { name: "color", type: ["null", "string"], default: null }],
    };
    assert.deepEqual(checkCompatibility("x", base, next), []);
  });

  it("rejects adding a required field and an unreadable type change", () => {
    const added = { ...base, fields: [...base.fields, { name: "sku", type: "string" }] };
    assert.equal(checkCompatibility("x", base, added)[0].field, "sku");
    const retyped = { ...base, fields: [base.fields[0], { name: "price", type: "string" }] };
    assert.match(checkCompatibility("x", base, retyped)[0].message, /changed type from double to string/);
    const widened = {
      ...base,
      fields: [base.fields[0], { name: "price", type: ["null", "double"], default: null }],
    };
    assert.deepEqual(checkCompatibility("x", base, widened), []);
  });
});
