import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { operatorFetch, type OperatorCredentials } from '../runtime/operator-client';

const SELLERS_FILE = path.join(__dirname, 'sellers.json');

/**
 * Puts the demo sellers' contacts (those of local/demo/catalog.json) into the seller directory through the real
 * operator route (`PUT /v1/sellers/{sellerId}/contact`, SigV4-signed), so their new-order SMS and e-mails have
 * somewhere to go. Returns how many it wrote.
 */
export const seedDemoSellers = async (apiUrl: string, credentials: OperatorCredentials): Promise<number> => {
  const sellers = JSON.parse(readFileSync(SELLERS_FILE, 'utf8')) as Array<{ sellerId: string; [field: string]: unknown }>;
  for (const { sellerId, ...contact } of sellers) {
    const res = await operatorFetch(`${apiUrl}/sellers/${encodeURIComponent(sellerId)}/contact`, { method: 'PUT', body: contact }, credentials);
    if (!res.ok) throw new Error(`seeding seller ${sellerId} answered ${res.status}: ${await res.text()}`);
  }
  return sellers.length;
};
