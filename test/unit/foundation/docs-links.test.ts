import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The documentation's links: every relative Markdown link in README.md and docs/**.md points to a file or
 * folder that exists (relative to the linking file), and an anchor to a Markdown file names one of its
 * headings (GitHub's slug rules). External links (http, https, mailto) are skipped. README.md stays the
 * front door: at most 200 lines.
 */

const README_MAX_LINES = 200;

function repoRoot(): string {
  if (process.env.PHONEPIPE_ROOT) return resolve(process.env.PHONEPIPE_ROOT);
  let dir = __dirname;
  for (;;) {
    // dist/ may hold a compiled package.json; the root is where package.json sits beside README.md.
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "README.md"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}; set PHONEPIPE_ROOT`);
    dir = up;
  }
}

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(p));
    else if (entry.isFile() && entry.name.endsWith(".md")) out.push(p);
  }
  return out.sort();
}

/** The text outside fenced code blocks and inline code spans, line by line (line numbers kept). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = undefined;
      return "";
    }
    if (m) {
      fence = m[1];
      return "";
    }
    return line.replace(/(`+)[\s\S]*?\1/g, "");
  });
}

export interface Link {
  line: number;
  target: string;
}

/** Inline links and images `[text](target)` / `[text](target "title")`, and reference definitions `[x]: target`. */
export function linksIn(text: string): Link[] {
  const links: Link[] = [];
  proseLines(text).forEach((line, i) => {
    for (const m of line.matchAll(
      /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
    )) {
      links.push({ line: i + 1, target: m[1].replace(/^<|>$/g, "") });
    }
    const def = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (def) links.push({ line: i + 1, target: def[1].replace(/^<|>$/g, "") });
  });
  return links;
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered -1, -2, … */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const plain = h[1]
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link in a heading keeps its text
      .replace(/<[^>]+>/g, "");
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

function isExternal(target: string): boolean {
  return /^(https?:|mailto:)/i.test(target);
}

/** Every broken relative link of one file, as "file:line: target (reason)". */
function brokenLinks(root: string, file: string): string[] {
  const text = readFileSync(file, "utf8");
  const problems: string[] = [];
  const where = (l: Link) => `${relative(root, file)}:${l.line}: ${l.target}`;
  for (const link of linksIn(text)) {
    if (isExternal(link.target)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) {
      problems.push(`${where(link)} (a scheme other than http, https or mailto)`);
      continue;
    }
    const hash = link.target.indexOf("#");
    const pathPart = hash >= 0 ? link.target.slice(0, hash) : link.target;
    const anchor = hash >= 0 ? link.target.slice(hash + 1) : "";
    let path: string;
    try {
      path = decodeURIComponent(pathPart);
    } catch {
      problems.push(`${where(link)} (not a valid URL path)`);
      continue;
    }
    if (path.startsWith("/")) {
      problems.push(`${where(link)} (absolute path: write it relative to the linking file)`);
      continue;
    }
    const resolved = path === "" ? file : resolve(dirname(file), path);
    if (!existsSync(resolved)) {
      problems.push(`${where(link)} (no such file or folder: ${relative(root, resolved)})`);
      continue;
    }
    if (
      !relative(root, resolved)
        .split(/[\\/]/)
        .every((part) => part !== "..")
    ) {
      problems.push(`${where(link)} (points outside the repository: ${resolved})`);
      continue;
    }
    if (anchor && resolved.endsWith(".md") && statSync(resolved).isFile()) {
      const anchors = headingAnchors(readFileSync(resolved, "utf8"));
      if (!anchors.has(decodeURIComponent(anchor).toLowerCase())) {
        problems.push(`${where(link)} (no heading '#${anchor}' in ${relative(root, resolved)})`);
      }
    }
  }
  return problems;
}

describe("documentation links", () => {
  const root = repoRoot();
  const readme = join(root, "README.md");
  const files = [readme, ...markdownFiles(join(root, "docs"))];

  it(`keeps README.md at most ${README_MAX_LINES} lines`, () => {
    const text = readFileSync(readme, "utf8");
    const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines, more than ${README_MAX_LINES}`);
  });

  it("resolves every relative link in README.md and docs/ to a file, folder or heading", () => {
    assert.ok(files.length > 1, `no Markdown files under ${join(root, "docs")}`);
    const broken = files.flatMap((f) => brokenLinks(root, f));
    assert.deepEqual(broken, [], `broken links:\n  ${broken.join("\n  ")}`);
  });

  it("finds links, skips code, and slugs headings as GitHub does", () => {
    const text = [
      'See [a](a.md), [b](<b c.md> "t") and ![img](i.png); `[not](x.md)` is code.',
      "```",
      "[not either](y.md)",
      "```",
      "[ref]: docs/z.md",
    ].join("\n");
    assert.deepEqual(
      linksIn(text).map((l) => `${l.line}:${l.target}`),
      ["1:a.md", "1:b c.md", "1:i.png", "5:docs/z.md"],
    );
    const anchors = headingAnchors(
      "# Warm dbt service (`dbt/scripts/dbt_service.py`)\n## Run on Airflow (3.1.x)\n## Tests\n## Tests\n",
    );
    assert.deepEqual(
      [...anchors],
      ["warm-dbt-service-dbtscriptsdbt_servicepy", "run-on-airflow-31x", "tests", "tests-1"],
    );
  });
});
