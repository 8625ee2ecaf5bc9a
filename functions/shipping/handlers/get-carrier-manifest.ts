import { httpHandler } from '../../_platform/http-handler';
import { shipmentQueryDeps } from '../adapters/deps';
import { carrierManifest } from '../domain/carrier-manifest';
import { getCarrierManifestRoute } from '../routes';

const deps = shipmentQueryDeps();

/** GET /v1/shipping/manifests/{carrier}/{day}: the CSV a legacy carrier picks up with. */
export const handler = httpHandler(getCarrierManifestRoute, async ({ params }) => {
  const { csv } = await carrierManifest(deps, params.carrier, params.day);
  return {
    status: 200,
    text: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${params.carrier}-${params.day}.csv"` },
  };
});
