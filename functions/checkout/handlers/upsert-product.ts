import { httpHandler } from '../../_platform/http-handler';
import { catalogDeps } from '../adapters/deps';
import { upsertProduct } from '../domain/upsert-product';
import { upsertProductRoute } from '../routes';

const deps = catalogDeps();

export const handler = httpHandler(upsertProductRoute, async ({ params, body }) => {
  const { product, created } = await upsertProduct(deps, { sku: params.sku, ...body });
  return { status: created ? 201 : 200, body: product };
});
