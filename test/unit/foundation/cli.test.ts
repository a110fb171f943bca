import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseChoice, parseCommandArgs, parseInteger, parseList, parseNumber } from "../../../cli/args";
import { UsageError } from "../../../cli/command";
import { parseFxRates } from "../../../cli/fx";

const cli = join(resolve(__dirname, "..", "..", "..", ".."), "bin", "phonepipe");

describe("phonepipe CLI entry point", () => {
  it("answers an unknown flag with a one-line usage error and exit 2, not a stack trace", () => {
    const r = spawnSync(cli, ["infra", "status", "--bogus"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^phonepipe: .*--bogus/m);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  it("names an unknown command and lists where to look", () => {
    const r = spawnSync(cli, ["frobnicate"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });

  it("answers a bad option value of any command with exit 2 and the command's name", () => {
    for (const args of [
      ["stream", "--source", "nope"],
      ["backfill", "--from", "1", "--to", "2", "--fx", "USD=0"],
      ["health", "--timeout-ms", "0"],
      ["normalize", "--top", "x"],
    ]) {
      const r = spawnSync(cli, args, { encoding: "utf8" });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^phonepipe: ${args[0]}: --`), args.join(" "));
    }
  });
});

const USAGE = "usage: phonepipe demo [--count N] [--verbose]";
const spec = {
  command: "demo",
  usage: USAGE,
  options: { count: { type: "string" }, verbose: { type: "boolean", default: false } },
} as const;

/** The message of the UsageError `fn` throws. */
function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `not a UsageError: ${String(err)}`);
    return err.message;
  }
  assert.fail("no error thrown");
}

describe("cli/args: parseCommandArgs", () => {
  it("reads long options with a value as `--name v` or `--name=v`, and boolean flags", () => {
    const a = parseCommandArgs(["--count", "3", "--verbose"], spec);
    assert.equal(a.help, false);
    assert.equal(a.int("count", 1, 0), 3);
    assert.equal(a.values.verbose, true);
    assert.equal(parseCommandArgs(["--count=4"], spec).int("count", 1, 0), 4);
    assert.equal(parseCommandArgs([], spec).int("count", 1, 0), 1);
  });

  it("answers -h and --help, even next to a malformed option", () => {
    assert.equal(parseCommandArgs(["-h"], spec).help, true);
    assert.equal(parseCommandArgs(["--bogus", "--help"], spec).help, true);
    assert.equal(parseCommandArgs(["--", "--help"], { ...spec, positionals: true }).help, false);
  });

  it("turns unknown options, missing values and stray arguments into usage errors naming the command", () => {
    assert.match(
      usageError(() => parseCommandArgs(["--bogus"], spec)),
      /^demo: .*'--bogus'[\s\S]*\nusage: /,
    );
    assert.match(
      usageError(() => parseCommandArgs(["--count"], spec)),
      /^demo: .*--count/,
    );
    assert.match(
      usageError(() => parseCommandArgs(["extra"], spec)),
      /^demo: .*'extra'/,
    );
    assert.deepEqual(parseCommandArgs(["up", "x"], { ...spec, positionals: true }).positionals, ["up", "x"]);
  });

  it("prefixes the value readers' errors with the command and appends the usage on request", () => {
    const a = parseCommandArgs(["--count", "-"], spec);
    assert.equal(
      usageError(() => a.int("count", 1, 0)),
      "demo: --count must be a non-negative integer, got '-'",
    );
    assert.equal(
      usageError(() => a.fail("boom")),
      "demo: boom",
    );
    assert.equal(
      usageError(() => a.fail("boom", true)),
      `demo: boom\n${USAGE}`,
    );
  });
});

describe("cli/args: value parsers", () => {
  it("parseInteger checks whole numbers against a minimum, blank is not 0", () => {
    assert.equal(parseInteger("0", "--n", 0), 0);
    assert.equal(parseInteger("-7", "--n"), -7);
    assert.match(
      usageError(() => parseInteger("0", "--n", 1)),
      /^--n must be a positive integer, got '0'$/,
    );
    assert.match(
      usageError(() => parseInteger("-1", "--n", 0)),
      /non-negative integer/,
    );
    assert.match(
      usageError(() => parseInteger("1.5", "--n")),
      /^--n must be an integer/,
    );
    assert.match(
      usageError(() => parseInteger("", "--n", 0)),
      /got ''/,
    );
    assert.match(
      usageError(() => parseInteger("5", "--n", 10)),
      /an integer ≥ 10/,
    );
  });

  it("parseNumber wants a positive finite number, or non-negative with allowZero", () => {
    assert.equal(parseNumber("2.5", "--rate"), 2.5);
    assert.equal(parseNumber("0", "--duration", true), 0);
    assert.match(
      usageError(() => parseNumber("0", "--rate")),
      /^--rate must be a positive number, got '0'$/,
    );
    assert.match(
      usageError(() => parseNumber("-1", "--d", true)),
      /non-negative number/,
    );
    assert.match(
      usageError(() => parseNumber("Infinity", "--rate")),
      /positive number/,
    );
    assert.match(
      usageError(() => parseNumber(" ", "--rate")),
      /positive number/,
    );
  });

  it("parseList trims items, drops blanks and refuses an empty list", () => {
    assert.deepEqual(parseList(" a, b,,c ", "--topics"), ["a", "b", "c"]);
    assert.equal(
      usageError(() => parseList(" , ", "--topics")),
      "--topics is empty",
    );
  });

  it("parseChoice accepts one of the choices and lists them otherwise", () => {
    assert.equal(parseChoice("csv", "--format", ["jsonl", "csv"] as const), "csv");
    assert.equal(
      usageError(() => parseChoice("xml", "--against", ["auto", "registry", "git"])),
      "--against must be auto, registry or git, not 'xml'",
    );
  });
});

describe("cli/fx: parseFxRates", () => {
  it("reads CODE=RATE pairs, case and spaces forgiven; blank text is no rates", () => {
    assert.deepEqual(parseFxRates("USD=48.5, eur = 52.5"), { USD: 48.5, EUR: 52.5 });
    assert.deepEqual(parseFxRates("AED=13"), { AED: 13 });
    assert.deepEqual(parseFxRates(""), {});
    assert.deepEqual(parseFxRates("  "), {});
  });

  it("names the bad pair and what is wrong with it", () => {
    const cases: Array<[string, RegExp]> = [
      ["USD=48.5,XYZ=3", /'XYZ=3': 'XYZ' is not an ISO 4217 currency code/],
      ["=3", /'=3': the currency is blank/],
      ["US=3", /'US=3': 'US' is not an ISO 4217/],
      ["USD=0", /'USD=0': the rate must be positive/],
      ["USD=-1", /'USD=-1': the rate '-1' is not a decimal number/],
      ["USD=abc", /'USD=abc': the rate 'abc' is not a decimal number/],
      ["USD=1e3", /the rate '1e3' is not a decimal number/],
      ["USD=", /'USD=': the rate is blank/],
      ["USD", /'USD': expected CODE=RATE/],
      ["USD=1=2", /'USD=1=2': expected CODE=RATE/],
      ["USD=48.5,", /'': expected CODE=RATE/],
      ["USD=48.5,usd=49", /'usd=49': USD is given twice/],
    ];
    for (const [text, want] of cases) {
      assert.match(
        usageError(() => parseFxRates(text)),
        want,
        text,
      );
      assert.match(
        usageError(() => parseFxRates(text)),
        /^--fx expects CODE=RATE/,
        text,
      );
    }
    assert.match(
      usageError(() => parseFxRates("USD=0", "--rates")),
      /^--rates expects/,
    );
  });
});
