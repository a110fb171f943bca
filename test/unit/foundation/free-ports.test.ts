import assert from "node:assert/strict";
import { createServer } from "node:net";
import { freePorts } from "../../../pipelines/free-ports";

/** Binds `port` on loopback and releases it; rejects when it is taken. */
const bindable = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
  });

describe("free ports for the job servers' listeners", () => {
  it("gives distinct ports that are free again once chosen", async () => {
    const ports = await freePorts(3);
    assert.equal(ports.length, 3);
    assert.equal(new Set(ports).size, 3, `distinct: ${ports.join(", ")}`);
    for (const p of ports) assert.ok(p > 0);
    await Promise.all(ports.map(bindable));
  });
});
