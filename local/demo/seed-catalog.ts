import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { operatorFetch, type OperatorCredentials } from '../runtime/operator-client';

interface DemoProduct {
  readonly sku: string;
  readonly [field: string]: unknown;
}

const CATALOG_FILE = path.join(__dirname, 'catalog.json');

/**
 * Seeds the demo catalog through the real operator route (`PUT /v1/products/{sku}`, SigV4-signed), adding only the
 * products the catalog does not have yet, so stock sold in a persisted run is not reset. Returns how many it added.
 */
export const seedDemoCatalog = async (apiUrl: string, storeKey: string, credentials: OperatorCredentials): Promise<number> => {
  const demo = JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as DemoProduct[];
  const existing = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await fetch(`${apiUrl}/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { 'x-api-key': storeKey } });
    if (!page.ok) throw new Error(`listing the catalog answered ${page.status}: ${await page.text()}`);
    const body = (await page.json()) as { items: Array<{ sku: string }>; nextCursor: string | null };
    for (const item of body.items) existing.add(item.sku);
    cursor = body.nextCursor;
  } while (cursor);

  let added = 0;
  for (const { sku, ...product } of demo.filter((p) => !existing.has(p.sku))) {
    const res = await operatorFetch(`${apiUrl}/products/${encodeURIComponent(sku)}`, { method: 'PUT', body: product }, credentials);
    if (!res.ok) throw new Error(`seeding ${sku} answered ${res.status}: ${await res.text()}`);
    added += 1;
  }
  return added;
};
