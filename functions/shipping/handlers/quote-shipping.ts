import { httpHandler } from '../../_platform/http-handler';
import { quoteDeps } from '../adapters/deps';
import { quoteShipping } from '../domain/quote-shipping';
import { quoteShippingRoute } from '../routes';

const deps = quoteDeps();

/** POST /v1/shipping/quotes: every eligible carrier asked in parallel; late ones left out and the answer marked degraded. */
export const handler = httpHandler(quoteShippingRoute, async ({ body }) => ({ status: 200, body: await quoteShipping(deps, body) }));
