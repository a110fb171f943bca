// Observable Framework config for the phonepipe dashboard. Everything the built site loads is served from
// dist/ itself: no web fonts (globalStylesheets: []), no CDN modules (pages import Plot, Inputs and d3-dsv by
// bare name, which Framework bundles from node_modules), no search index.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

// The model pages' routes come from the warehouse (loaders/model-paths.ts). A missing or locked warehouse
// fails here with the file and the fix, before Framework starts rendering.
function modelPaths() {
  const out = execFileSync(`${here}node_modules/.bin/tsx`, [`${here}loaders/model-paths.ts`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out);
}

export default {
  title: "phonepipe",
  root: "src",
  output: process.env.PHONEPIPE_DASHBOARD_OUT ?? "dist",
  globalStylesheets: [],
  style: "style.css",
  search: false,
  // An empty icon: no favicon request (and no 404 in the console).
  head: '<link rel="icon" href="data:,">',
  footer: "phonepipe market dashboard, built from the dbt marts.",
  pages: [
    { name: "Market price index", path: "/" },
    { name: "Deals", path: "/deals" },
    { name: "Sources", path: "/sources" },
    { name: "Marketplace", path: "/marketplace" },
    { name: "Pricing engine", path: "/pricing" },
    { name: "Pipeline health", path: "/pipeline" },
  ],
  dynamicPaths: modelPaths,
};
