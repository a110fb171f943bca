#!/usr/bin/env node
// Fixes bugs in two dependencies the stream job needs, in node_modules after every `npm ci`/`npm install`.
// Runs as npm's postinstall; idempotent (each patched file carries a mark); fails loudly if a file no longer
// has the expected shape (a new version must be checked by hand).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const MARK = "/* phonepipe patch */";
const modules = path.join(__dirname, "..", "..", "node_modules");

function patch(relPath, apply, what) {
  const file = path.join(modules, relPath);
  if (!fs.existsSync(file)) return;
  const src = fs.readFileSync(file, "utf8");
  if (src.includes(MARK)) return;
  const out = apply(src);
  if (out === undefined) {
    console.error(`apply-patches: ${file} has an unexpected shape; check the package's version`);
    process.exit(1);
  }
  fs.writeFileSync(file, `${out}\n${MARK}\n`);
  console.error(`apply-patches: ${what}`);
}

// ts-closure-transform 0.1.8 (the last release; the Beam TypeScript SDK needs it), its variable visitor:
// 1. Array binding patterns: it returns from inside the loop over the elements, so
//    `const [a, b, ...rest] = xs` compiles to `const [a] = xs` and later uses of `b` / `rest` throw
//    ReferenceError. The fix moves the `return` after the loop.
// 2. Shorthand properties: `{ x }` is not visited as a use of `x`, so a captured, reassigned `let x`
//    that the transform boxes into `x.value` leaks the box object there (and `x` is missing from
//    the function's __closure). The fix rewrites `{ x }` as `{ x: x }` and visits the value.
patch(
  "ts-closure-transform/dist/variable-visitor.js",
  (src) => {
    const arrayBroken =
      /(newElements\.push\(ts\.factory\.updateBindingElement\(elem, elem\.dotDotDotToken, elem\.propertyName, visitBinding\(elem\.name\), elem\.initializer\)\);\s*\n\s*\}\n)(\s*)(return ts\.factory\.updateArrayBindingPattern\(name, newElements\);\n)(\s*\}\n)/;
    const shorthandBroken =
      "return ts.factory.updateShorthandPropertyAssignment(node, node.name, this.visitExpression(node.objectAssignmentInitializer));";
    if (!arrayBroken.test(src) || !src.includes(shorthandBroken)) return undefined;
    return src
      .replace(arrayBroken, (_m, pushAndClose, indent, ret, loopClose) => `${pushAndClose}${loopClose}${indent}${ret}`)
      .replace(
        shorthandBroken,
        "if (node.objectAssignmentInitializer === undefined) { " +
          "return ts.factory.createPropertyAssignment(node.name.text, this.visitExpression(node.name)); } " +
          shorthandBroken,
      );
  },
  "fixed array destructuring and shorthand properties in ts-closure-transform",
);

// apache-beam 2.49.0, the worker's data sink (dist/src/apache_beam/worker/operators.js): once a bundle's
// buffer passes 1 MB, `flush()` sends `buffer.finish()` but replaces the buffer only after awaiting the send.
// protobufjs' finish() does not reset the writer, and a DoFn that emits many elements in one call keeps
// encoding into it meanwhile: every further element re-sends the whole buffer. A stage emitting a few
// thousand rows at once sent GBs, grew the worker to 7–20 GB and made Flink fail with OutOfMemoryError
// (docs/decisions/0002-beam-sdk-patches.md). The fix takes the buffer and starts a new one before the await.
patch(
  "apache-beam/dist/src/apache_beam/worker/operators.js",
  (src) => {
    const broken =
      /async flush\(\) \{\n(\s*)if \(this\.buffer\.len > 0\) \{\n\s*await this\.channel\.sendData\(this\.buffer\.finish\(\)\);\n\s*this\.buffer = new protobufjs\.Writer\(\);\n/;
    if (!broken.test(src)) return undefined;
    return src.replace(
      broken,
      (_m, indent) =>
        `async flush() {\n${indent}if (this.buffer.len > 0) {\n` +
        `${indent}    const data = this.buffer.finish();\n` +
        `${indent}    this.buffer = new protobufjs.Writer();\n` +
        `${indent}    await this.channel.sendData(data);\n`,
    );
  },
  "fixed the Beam TS worker's data sink re-sending its buffer on every element after 1 MB",
);

// apache-beam 2.49.0, the worker's data and state channels (worker/data.js, worker/state.js): created with
// grpc-js's default 4 MB receive limit. One element the runner sends — a (window, shard) group of the landing
// step holds every row of that window and shard — passes 4 MB at about 2,500 listings/s with 5 s windows and 2
// shards, and the job fails with "RESOURCE_EXHAUSTED: Received message larger than max". The runner's side
// (Beam Java) accepts any size; the fix lifts the worker's limits to match.
for (const [file, client] of [
  ["apache-beam/dist/src/apache_beam/worker/data.js", "BeamFnDataClient"],
  ["apache-beam/dist/src/apache_beam/worker/state.js", "BeamFnStateClient"],
]) {
  patch(
    file,
    (src) => {
      const call = `new ${client}(endpoint, grpc.ChannelCredentials.createInsecure(), {}, {})`;
      if (!src.includes(call)) return undefined;
      return src.replace(
        call,
        `new ${client}(endpoint, grpc.ChannelCredentials.createInsecure(), ` +
          `{ "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 }, {})`,
      );
    },
    `lifted the 4 MB message limit of the Beam TS worker's ${client}`,
  );
}
