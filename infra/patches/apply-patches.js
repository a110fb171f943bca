#!/usr/bin/env node
// Fixes two bugs in ts-closure-transform 0.1.8 (the last release; the Beam TypeScript SDK needs it),
// both in its variable visitor (dist/variable-visitor.js):
// 1. Array binding patterns: it returns from inside the loop over the elements, so
//    `const [a, b, ...rest] = xs` compiles to `const [a] = xs` and later uses of `b` / `rest` throw
//    ReferenceError. The fix moves the `return` after the loop.
// 2. Shorthand properties: `{ x }` is not visited as a use of `x`, so a captured, reassigned `let x`
//    that the transform boxes into `x.value` leaks the box object there (and `x` is missing from
//    the function's __closure). The fix rewrites `{ x }` as `{ x: x }` and visits the value.
// Runs as npm's postinstall; idempotent; fails loudly if the file no longer has the expected shape.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const file = path.join(__dirname, "..", "..", "node_modules", "ts-closure-transform", "dist", "variable-visitor.js");
if (!fs.existsSync(file)) process.exit(0);
let src = fs.readFileSync(file, "utf8");
const MARK = "/* phonepipe patch */";
if (src.includes(MARK)) process.exit(0);

const arrayBroken =
  /(newElements\.push\(ts\.factory\.updateBindingElement\(elem, elem\.dotDotDotToken, elem\.propertyName, visitBinding\(elem\.name\), elem\.initializer\)\);\s*\n\s*\}\n)(\s*)(return ts\.factory\.updateArrayBindingPattern\(name, newElements\);\n)(\s*\}\n)/;
const shorthandBroken =
  "return ts.factory.updateShorthandPropertyAssignment(node, node.name, this.visitExpression(node.objectAssignmentInitializer));";
if (!arrayBroken.test(src) || !src.includes(shorthandBroken)) {
  console.error(`apply-patches: ${file} has an unexpected shape; check the ts-closure-transform version`);
  process.exit(1);
}
src = src.replace(arrayBroken, (_m, pushAndClose, indent, ret, loopClose) => `${pushAndClose}${loopClose}${indent}${ret}`);
src = src.replace(
  shorthandBroken,
  "if (node.objectAssignmentInitializer === undefined) { " +
    "return ts.factory.createPropertyAssignment(node.name.text, this.visitExpression(node.name)); } " +
    shorthandBroken,
);
fs.writeFileSync(file, `${src}\n${MARK}\n`);
console.error("apply-patches: fixed array destructuring and shorthand properties in ts-closure-transform");
