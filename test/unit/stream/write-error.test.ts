import assert from "node:assert/strict";
import { writeFailure } from "../../../pipelines/write-error";

describe("write failures", () => {
  it("name the file and say the disk is full on ENOSPC", () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    const e = writeFailure("landing file", "/data/landing/x/part-0.parquet", enospc);
    assert.match(
      e.message,
      /^writing landing file \/data\/landing\/x\/part-0\.parquet failed: no space left/,
    );
  });

  it("name the file without claiming a full disk for other errors", () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, open"), { code: "EACCES" });
    const e = writeFailure("stream state file", "/data/state/t.json", eacces);
    assert.equal(
      e.message,
      "writing stream state file /data/state/t.json failed: EACCES: permission denied, open",
    );
  });
});
