import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(__dirname, "..", "..", "..", "..");
const cli = join(root, "bin", "phonepipe");

/** A copy of schemas/avro with one schema edited, checked by the CLI against the running registry. */
function editedSchemas(
  topic: string,
  edit: (fields: Array<Record<string, unknown>>) => Array<Record<string, unknown>>,
) {
  const dir = mkdtempSync(join(tmpdir(), "phonepipe-schemas-"));
  cpSync(join(root, "schemas", "avro"), dir, { recursive: true });
  const file = join(dir, `${topic}.avsc`);
  const schema = JSON.parse(readFileSync(file, "utf8")) as { fields: Array<Record<string, unknown>> };
  schema.fields = edit(schema.fields);
  writeFileSync(file, JSON.stringify(schema, null, 2));
  return dir;
}

describe("phonepipe schemas check against the registry", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("passes for the committed contracts", async () => {
    const { stdout } = await run(cli, ["schemas", "check", "--against", "registry"]);
    assert.match(stdout, /listings\.scraped\s+ok \(vs registry\)/);
  });

  it("rejects removing a field without a default, naming schema and field", async () => {
    const dir = editedSchemas("listings.scraped", (fs) => fs.filter((f) => f.name !== "title"));
    dirs.push(dir);
    await assert.rejects(
      run(cli, ["schemas", "check", "--against", "registry", "--dir", dir]),
      (err: { code?: number; stderr?: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr ?? "", /INCOMPATIBLE listings\.scraped\.avsc field title/);
        return true;
      },
    );
  });

  it("accepts adding an optional field with a default", async () => {
    const dir = editedSchemas("listings.scraped", (fs) => [
      ...fs,
      { name: "image_url", type: ["null", "string"], default: null, doc: "Main image URL." },
    ]);
    dirs.push(dir);
    const { stdout } = await run(cli, ["schemas", "check", "--against", "registry", "--dir", dir]);
    assert.match(stdout, /listings\.scraped\s+ok \(vs registry\)/);
  });
});
