import { strict as assert } from "node:assert";

// The whole tree is compiled with ts-closure-transform (the Beam SDK needs it). These guard the two fixes
// in infra/patches/apply-patches.js: unpatched, each of these compiles to code that behaves differently.
describe("closure transform (patched ts-closure-transform)", () => {
  it("keeps every element of an array destructuring pattern", () => {
    const [a, b, ...rest] = [1, 2, 3, 4];
    assert.deepEqual({ a, b, rest }, { a: 1, b: 2, rest: [3, 4] });
  });

  it("reads a captured, reassigned let through a shorthand property", () => {
    let count = 0;
    const bump = () => {
      count += 1;
    };
    bump();
    bump();
    const snapshot = () => ({ count });
    assert.deepEqual({ count }, { count: 2 });
    assert.deepEqual(snapshot(), { count: 2 });
  });
});
