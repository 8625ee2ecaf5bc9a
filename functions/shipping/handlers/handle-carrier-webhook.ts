import { buildHttpHandler } from '../../_platform/http-handler';
import { shippingDeps } from '../adapters/deps';
import { receiveTrackingWebhook } from '../domain/receive-tracking-webhook';
import { byRoute, rawBodyOf } from '../raw-http';
import { carrierWebhookRoutes } from '../routes';

const deps = shippingDeps();

/** POST /v1/webhooks/{ghn,pathao,steadfast,easypost}: verified in receiveTrackingWebhook before anything changes. */
export const handler = byRoute(
  Object.fromEntries(
    carrierWebhookRoutes.map((route) => [
      `POST ${route.path}`,
      buildHttpHandler(route, async ({ headers }, _context, event) => {
        const reply = await receiveTrackingWebhook(deps, route.path.split('/').at(-1) ?? '', { headers, body: rawBodyOf(event) });
        return { status: reply.status, body: reply.body, headers: reply.headers ? { ...reply.headers } : undefined };
      }),
    ]),
  ),
);
