// Product slugs: the model pages' route parameter (/model/apple-iphone-15-256gb).
import type { Row } from "./warehouse.ts";

export function slug(productName: string): string {
  return productName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function withSlugs(products: Row[]): Row[] {
  return products.map((p) => ({ ...p, slug: slug(String(p.product_name)) }));
}
