import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../infra/config";
import { parseCommandArgs, showHelp } from "../args";
import { produceFrom } from "./produce";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "pricing";

export const description = "the pricing engine: train, backtest, suggest (to pricing.suggestions), serve";

const SUGGESTIONS_TOPIC = "pricing.suggestions";

const USAGE = `usage: phonepipe pricing train|backtest [--folds N] [--rows N]
       phonepipe pricing suggest [--changed-since YYYY-MM-DD] [--dry-run]
       phonepipe pricing serve [--port N]

  train     backtest, fit on every realized sale in the warehouse, store the model under
            $PHONEPIPE_DATA_DIR/models/<version>/ and promote it if it beats the current one
  backtest  rolling weekly backtest only (MdAPE, 80 % interval coverage, baselines)
  suggest   score the marketplace's listings with the current model and produce the suggestions to
            ${SUGGESTIONS_TOPIC} (--dry-run: validate and count only)
  serve     HTTP endpoint on 127.0.0.1 (POST a listing to /suggest; port $PHONEPIPE_PRICING_PORT or 8590)

  Runs .venv/pricing/bin/python -m phonepipe_pricing (make bootstrap-pricing).`;

const ACTIONS = ["train", "backtest", "suggest", "serve"] as const;

function pythonCommand(root: string): { python: string; env: NodeJS.ProcessEnv } {
  const python = join(root, ".venv", "pricing", "bin", "python");
  if (!existsSync(python)) throw new Error(`${python} is missing: run 'make bootstrap-pricing' first`);
  const cfg = loadConfig();
  return {
    python,
    env: { ...process.env, PYTHONPATH: join(root, "pricing"), PHONEPIPE_DATA_DIR: cfg.dataDir },
  };
}

/** Runs the Python engine; with `pipeToTopic` its stdout (JSON lines) is produced to that topic. */
async function engine(args: string[], pipe?: { dryRun: boolean }): Promise<number> {
  const cfg = loadConfig();
  const { python, env } = pythonCommand(cfg.root);
  const child = spawn(python, ["-m", "phonepipe_pricing", ...args], {
    env,
    stdio: ["ignore", pipe ? "pipe" : "inherit", "inherit"],
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  if (!pipe) return exited;
  const produced = produceFrom(SUGGESTIONS_TOPIC, child.stdout!, {
    dryRun: pipe.dryRun,
    clientId: "phonepipe-pricing",
  });
  const [code, producedCode] = await Promise.all([exited, produced]);
  // a failed scorer may have written part of its output: its exit code wins
  return code !== 0 ? code : producedCode;
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "pricing",
    usage: USAGE,
    options: {
      folds: { type: "string" },
      rows: { type: "string" },
      "changed-since": { type: "string" },
      port: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    positionals: true,
  });
  if (a.help) return showHelp(USAGE);
  const [action, ...rest] = a.positionals;
  if (rest.length > 0 || !(ACTIONS as readonly string[]).includes(action)) {
    return a.fail(`expected one of ${ACTIONS.join(", ")}`, true);
  }
  const py: string[] = [action];
  if (action === "train" || action === "backtest") {
    if (a.string("folds") !== undefined) py.push("--folds", String(a.int("folds", 4, 1)));
    if (a.string("rows") !== undefined) py.push("--rows", String(a.int("rows", 0, 1)));
  } else if (action === "suggest") {
    const since = a.string("changed-since");
    if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since))
      a.fail(`--changed-since must be YYYY-MM-DD, got '${since}'`);
    if (since !== undefined) py.push("--changed-since", since);
    return engine(py, { dryRun: a.values["dry-run"] });
  } else if (action === "serve" && a.string("port") !== undefined) {
    py.push("--port", String(a.int("port", 8590, 1)));
  }
  return engine(py);
}
