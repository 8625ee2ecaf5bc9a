import { httpHandler } from '../../_platform/http-handler';
import { buildOpenApiDocument } from '../../_platform/openapi';
import { checkoutRoutes } from '../../checkout/routes';
import { notificationsRoutes } from '../../notifications/routes';
import { paymentsRoutes } from '../../payments/routes';
import { shippingRoutes } from '../../shipping/routes';
import { getOpenApiRoute, operationsRoutes } from '../routes';

// Every capability's routes; a capability with HTTP routes adds its list here.
const allRoutes = [...operationsRoutes, ...checkoutRoutes, ...paymentsRoutes, ...shippingRoutes, ...notificationsRoutes];
let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = httpHandler(getOpenApiRoute, async () => {
  document ??= buildOpenApiDocument(allRoutes);
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
