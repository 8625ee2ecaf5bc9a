import { httpHandler } from '../../_platform/http-handler';
import { catalogDeps } from '../adapters/deps';
import { listProducts } from '../domain/list-products';
import { listProductsRoute } from '../routes';

const deps = catalogDeps();

export const handler = httpHandler(listProductsRoute, async ({ query }) => ({
  status: 200,
  body: await listProducts(deps, query),
}));
