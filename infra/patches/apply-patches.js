#!/usr/bin/env node
// Fixes a bug in ts-closure-transform 0.1.8 (the last release; the Beam TypeScript SDK needs it):
// its visitor for array binding patterns returns from inside the loop over elements, so
// `const [a, b, ...rest] = xs` compiles to `const [a] = xs` and later uses of `b` / `rest` throw
// ReferenceError. The fix moves the `return` after the loop. Runs as npm's postinstall; idempotent.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const file = path.join(
  __dirname,
  "..",
  "..",
  "node_modules",
  "ts-closure-transform",
  "dist",
  "variable-visitor.js",
);
if (!fs.existsSync(file)) process.exit(0);
const src = fs.readFileSync(file, "utf8");
const broken =
  /(newElements\.push\(ts\.factory\.updateBindingElement\(elem, elem\.dotDotDotToken, elem\.propertyName, visitBinding\(elem\.name\), elem\.initializer\)\);\s*\n\s*\}\n)(\s*)(return ts\.factory\.updateArrayBindingPattern\(name, newElements\);\n)(\s*\}\n)/;
if (!broken.test(src)) {
  if (!src.includes("return ts.factory.updateArrayBindingPattern(name, newElements);")) {
    console.error(`apply-patches: ${file} has an unexpected shape; check the ts-closure-transform version`);
    process.exit(1);
  }
  process.exit(0); // already patched
}
const fixed = src.replace(
  broken,
  (_m, pushAndClose, indent, ret, loopClose) => `${pushAndClose}${loopClose}${indent}${ret}`,
);
fs.writeFileSync(file, fixed);
console.error("apply-patches: fixed array destructuring in ts-closure-transform");
