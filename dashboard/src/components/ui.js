// Small helpers the pages share: EGP formatting, "no data yet", tables with links and RTL-safe text.
const egpFormat = new Intl.NumberFormat("en-EG", { maximumFractionDigits: 0 });
const pctFormat = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

/** 12500 -> "EGP 12,500". */
export function egp(value) {
  return value == null || Number.isNaN(value) ? "–" : `EGP ${egpFormat.format(value)}`;
}

export function pct(value) {
  return value == null ? "–" : pctFormat.format(value);
}

export function noData(what = "") {
  const div = document.createElement("div");
  div.className = "no-data";
  div.textContent = `no data yet${what ? ` (${what})` : ""}`;
  return div;
}

/** Text that may be Arabic: dir="auto" lets the browser lay out each value in its own direction. */
export function text(value, tag = "span") {
  const el = document.createElement(tag);
  el.dir = "auto";
  el.textContent = value ?? "";
  return el;
}

export function link(href, label) {
  const a = document.createElement("a");
  a.href = href;
  a.dir = "auto";
  a.textContent = label;
  if (/^https?:/.test(href)) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  return a;
}

/**
 * A plain table. columns: [{label, value: row => string|Node, money?: boolean}]. Empty rows -> "no data yet".
 * Kept as a DOM table (not Inputs.table) so every row is in the page for readers and tests alike.
 */
export function table(rows, columns, { limit = 200, name = "", rowKey = null } = {}) {
  if (!rows || rows.length === 0) return noData(name);
  const t = document.createElement("table");
  if (name) t.dataset.name = name;
  const head = t.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c.label;
    if (c.money) th.className = "money";
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const r of rows.slice(0, limit)) {
    const tr = body.insertRow();
    if (rowKey) tr.dataset.key = rowKey(r);
    for (const c of columns) {
      const td = tr.insertCell();
      td.className = [c.money ? "money" : "", c.cls ?? ""].join(" ").trim();
      const v = c.value(r);
      if (v instanceof Node) td.appendChild(v);
      else td.textContent = v ?? "";
    }
  }
  const wrap = document.createElement("div");
  wrap.appendChild(t);
  if (rows.length > limit) {
    const more = document.createElement("p");
    more.textContent = `showing ${limit} of ${rows.length} rows`;
    wrap.appendChild(more);
  }
  return wrap;
}

export function sourceLine(data) {
  const p = document.createElement("p");
  p.className = "page-source";
  const built = data.warehouse_built_at
    ? `, warehouse built ${data.warehouse_built_at.slice(0, 16).replace("T", " ")} UTC`
    : "";
  p.textContent = `From ${data.source}${built}; page data generated ${data.generated_at.slice(0, 16).replace("T", " ")} UTC.`;
  return p;
}

/** Distinct non-null values of a field, sorted. */
export function options(rows, field) {
  return [...new Set(rows.map((r) => r[field]).filter((v) => v != null))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
}

export function productUrl(slug) {
  return `./model/${slug}`;
}
