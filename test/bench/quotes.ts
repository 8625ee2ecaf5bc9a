import { randomUUID } from 'node:crypto';
import { operatorFetch } from '../../local/runtime/operator-client';
import type { LocalEndpoints } from '../../local/runtime/runtime';
import type { ProviderSimulator } from '../../local/simulators/contracts';
import { percentile, runConcurrently } from './checkout';

export interface QuoteBenchResult {
  readonly requests: number;
  readonly latencyMs: { p50: number; p99: number; max: number };
  /** Answers marked degraded (a carrier left out). */
  readonly degraded: number;
  readonly statuses: Record<number, number>;
}

/**
 * POST /v1/shipping/quotes `requests` times, `concurrency` at once, for a product of a fresh seller in Dhaka (Pathao,
 * Steadfast and EasyPost eligible). With `slow`, that carrier's simulator answers only after `slowMs`.
 */
export const benchQuotes = async (
  endpoints: LocalEndpoints,
  options: { requests: number; concurrency: number; slow?: ProviderSimulator; slowMs?: number },
): Promise<QuoteBenchResult> => {
  const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
  const sku = `BENCH-QUOTE-${randomUUID().slice(0, 8)}`;
  const product = { title: 'Bench tee', sellerId: `bench-${randomUUID()}`, prices: [{ value: 120000, currency: 'BDT' }], stock: 10, weightGrams: 700, dimensionsCm: { l: 30, w: 25, h: 4 } };
  await operatorFetch(`${endpoints.api.url}/products/${sku}`, { method: 'PUT', body: product }, operator);
  if (options.slow) await options.slow.scenario({ mode: 'slow', delayMs: options.slowMs ?? 6_000 });
  const statuses: Record<number, number> = {};
  let degraded = 0;
  try {
    const { latencies } = await runConcurrently(options.requests, options.concurrency, async () => {
      const response = await fetch(`${endpoints.api.url}/shipping/quotes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': endpoints.apiKeys[0].value },
        body: JSON.stringify({ destination: { line1: 'Road 1', city: 'Dhaka', postalCode: '1205', country: 'BD' }, items: [{ sku, quantity: 2 }], serviceLevel: 'standard' }),
      });
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const body = (await response.json()) as { degraded?: boolean };
      if (body.degraded) degraded += 1;
      return response.status === 200;
    });
    return {
      requests: options.requests,
      latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? Number.NaN },
      degraded,
      statuses,
    };
  } finally {
    if (options.slow) await options.slow.scenario({ mode: 'normal' });
  }
};
