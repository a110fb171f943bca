import { loadConfig } from "../../infra/config";
import { checkAll, registerAll } from "../../schemas/registration";
import { parseCommandArgs, showHelp } from "../args";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "admin";

export const description =
  "create topics and register the Avro contracts (register), or check compatibility (check)";

const HELP = `usage: phonepipe schemas register
       phonepipe schemas check [--against auto|registry|git] [--rev REV] [--dir DIR]

  register  create the topics (partitions, retention) and their .dlq topics if missing, and register
            every schemas/avro/*.avsc under <topic>-value with BACKWARD compatibility set explicitly
  check     compare the working tree's schemas with the registered versions (or, when the registry is
            not reachable or --against git, with git REV, default HEAD); exit 1 on an incompatible change`;

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "schemas",
    usage: HELP,
    options: { against: { type: "string" }, rev: { type: "string" }, dir: { type: "string" } },
    positionals: true,
  });
  if (a.help) return showHelp(HELP);
  const cfg = loadConfig();
  const action = a.positionals[0];
  if (action === "register") {
    const t0 = Date.now();
    const r = await registerAll(cfg, (m) => console.error(`schemas: ${m}`));
    for (const s of r.subjects)
      console.log(`schemas: ${s.subject.padEnd(38)} id ${String(s.id).padEnd(4)} ${s.compatibility}`);
    console.log(
      `schemas: ${r.topicsCreated.length} topic(s) created, ${r.topicsExisting.length} existed, ` +
        `${r.subjects.length} subject(s) registered in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  }
  if (action === "check") {
    const results = await checkAll(cfg, {
      against: a.choice("against", ["auto", "registry", "git"], "auto"),
      rev: a.string("rev"),
      dir: a.string("dir"),
    });
    let bad = 0;
    for (const r of results) {
      if (r.problems.length === 0) {
        console.log(
          `schemas: ${r.schema.padEnd(28)} ok (${r.against === "new" ? "new schema" : `vs ${r.against}`})`,
        );
      }
      for (const p of r.problems) {
        bad++;
        console.error(`schemas: INCOMPATIBLE ${p.schema}.avsc field ${p.field}: ${p.message}`);
      }
    }
    return bad ? 1 : 0;
  }
  return a.fail("needs 'register' or 'check'", true);
}
