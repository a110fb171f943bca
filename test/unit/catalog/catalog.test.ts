/**
 * The topic catalog: entries joined with their contracts, clear errors on a bad entry, and the generated
 * files for dbt and Python in step with it (the drift check `make catalog-check` runs too).
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadCatalog, schemaDir, topicSpec } from "../../../schemas/catalog";
import { buildTopicSpec, landingColumns } from "../../../schemas/catalog-model";
import { staleCatalogFiles } from "../../../schemas/catalog-files";
import { topicSpecs } from "../../../schemas/topics";
import { TOPICS } from "../../../schemas";

const root = resolve(schemaDir(), "..", "..");

describe("topic catalog", () => {
  it("has an entry for every contract but the dead letter's", () => {
    const contracts = readFileSync(
      join(schemaDir(), "..", "..", "schemas", "avro", "listings.scraped.avsc"),
      "utf8",
    );
    assert.ok(contracts.length > 0);
    assert.deepEqual(
      [...TOPICS],
      loadCatalog().map((s) => s.topic),
    );
    assert.ok(TOPICS.includes("marketplace.user_activity"));
    assert.equal(topicSpecs().length, TOPICS.length * 2, "each topic and its .dlq");
  });

  it("derives landing columns and types from the contract, hooks adding theirs", () => {
    const listings = topicSpec("listings.scraped");
    const types = Object.fromEntries(landingColumns(listings).map((c) => [c.name, c.type]));
    assert.equal(types.scraped_at, "timestamp");
    assert.equal(types.raw_json, "varchar", "a map lands as JSON text");
    assert.equal(types.price_egp, "decimal(14,2)", "the listing hook's columns");
    assert.equal(types.kafka_offset, "bigint", "lineage first");
    assert.equal(landingColumns(listings)[0].name, "kafka_partition");
    const tx = topicSpec("marketplace.transactions");
    assert.deepEqual(tx.money, ["amount"]);
    assert.deepEqual(
      tx.columns.slice(-4).map((c) => c.name),
      ["brand", "model", "storage_gb", "ram_gb"],
      "product normalization columns follow the contract's",
    );
    assert.equal(
      topicSpec("market.reference_prices").columns.find((c) => c.name === "effective_date")?.type,
      "date",
    );
  });

  it("rejects a bad entry naming the file and the problem", () => {
    const at = { name: "at", type: { type: "long", logicalType: "timestamp-millis" } };
    const contract = { type: "record", name: "X", fields: [{ name: "id", type: "string" }, at] };
    const entry = {
      topic: "x.y",
      description: "d",
      key: "id",
      record_id: "id",
      event_time: "at",
      dedupe: "latest_per_key",
      partitions: 1,
      retention_days: 1,
    };
    assert.equal(buildTopicSpec(entry, contract, "f").eventTime, "at");
    const bad =
      (over: object, c: object = contract) =>
      () =>
        buildTopicSpec({ ...entry, ...over }, c, "x.topic.yaml");
    const untimed = {
      ...contract,
      fields: [
        { name: "id", type: "string" },
        { name: "at", type: "long" },
      ],
    };
    assert.throws(
      bad({}, untimed),
      /^CatalogError: x\.topic\.yaml: event_time 'at' must be a timestamp-millis field/,
    );
    assert.throws(bad({ key: "nope" }), /x\.topic\.yaml: key 'nope' is not a field of the contract/);
    assert.throws(bad({ partitons: 2 }), /unknown key 'partitons'/);
    assert.throws(bad({ partitions: 0 }), /'partitions' must be a positive integer, got 0/);
    assert.throws(bad({ hook: "magic" }), /unknown hook "magic"/);
    assert.throws(bad({ dedupe: "none" }), /'dedupe' must be latest_per_key/);
  });

  it("names the known topics when asked for one outside the catalog", () => {
    assert.throws(() => topicSpec("orders"), /topic 'orders' is not in the catalog.*listings\.scraped/);
  });
});

describe("files generated from the catalog", () => {
  it("are in step with the catalog (run `make catalog` after changing an entry)", () => {
    assert.deepEqual(staleCatalogFiles(root), []);
  });

  it("are reported stale when an entry changes without regenerating", () => {
    const dir = mkdtempSync(join(tmpdir(), "pp-catalog-"));
    try {
      cpSync(schemaDir(), dir, { recursive: true });
      const entry = join(dir, "marketplace.user_activity.topic.yaml");
      writeFileSync(entry, readFileSync(entry, "utf8").replace("retention_days: 7", "retention_days: 9"));
      assert.deepEqual(staleCatalogFiles(root, dir), ["schemas/generated/catalog.json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
