import { httpHandler } from '../../_platform/http-handler';
import { preferenceDeps } from '../adapters/deps';
import { getCarrierPreferences, setCarrierPreferences } from '../domain/carrier-preferences';
import { byRoute } from '../raw-http';
import { getCarrierPreferencesRoute, putCarrierPreferencesRoute } from '../routes';

const deps = preferenceDeps();

/** GET and PUT /v1/sellers/{sellerId}/carriers (operators). */
export const handler = byRoute({
  [`PUT ${putCarrierPreferencesRoute.path}`]: httpHandler(putCarrierPreferencesRoute, async ({ params, body }) => ({
    status: 200,
    body: await setCarrierPreferences(deps, params.sellerId, body.carriers),
  })),
  [`GET ${getCarrierPreferencesRoute.path}`]: httpHandler(getCarrierPreferencesRoute, async ({ params }) => ({
    status: 200,
    body: await getCarrierPreferences(deps, params.sellerId),
  })),
});
