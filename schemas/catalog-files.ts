/**
 * Writes or checks the files generated from the topic catalog (schemas/catalog-render.ts) in a checkout.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadCatalog } from "./catalog";
import { renderCatalogFiles } from "./catalog-render";

/** Generated files whose content differs from what the catalog in `catalogDir` renders. */
export function staleCatalogFiles(root: string, catalogDir?: string): string[] {
  const stale: string[] = [];
  for (const [rel, text] of renderCatalogFiles(loadCatalog(catalogDir))) {
    const path = join(root, rel);
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(rel);
  }
  return stale;
}

/** Writes every generated file that changed; returns their repo-relative paths. */
export function writeCatalogFiles(root: string, catalogDir?: string): string[] {
  const written: string[] = [];
  for (const [rel, text] of renderCatalogFiles(loadCatalog(catalogDir))) {
    const path = join(root, rel);
    if (existsSync(path) && readFileSync(path, "utf8") === text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(rel);
  }
  return written;
}
