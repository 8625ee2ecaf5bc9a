import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { ServiceFunction } from './service-function';

/** The catalog and, in later issues, checkout and orders. */
export class Checkout extends Construct {
  readonly listProductsFn: ServiceFunction;
  readonly upsertProductFn: ServiceFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { config, data, api } = props;
    this.listProductsFn = new ServiceFunction(this, 'ListProductsFn', {
      config, capability: 'checkout', handler: 'list-products',
      description: 'GET /v1/products: the catalog, by seller, paginated',
    }).bindTable('CATALOG_TABLE', data.tables.catalog, 'read');
    api.addRoute({ method: 'GET', path: '/products', handler: this.listProductsFn, auth: 'apiKey' });

    this.upsertProductFn = new ServiceFunction(this, 'UpsertProductFn', {
      config, capability: 'checkout', handler: 'upsert-product',
      description: 'PUT /v1/products/{sku} (operators, SigV4): creates or replaces a product, sets or changes its stock',
    }).bindTable('CATALOG_TABLE', data.tables.catalog, 'readWrite');
    api.addRoute({ method: 'PUT', path: '/products/{sku}', handler: this.upsertProductFn, auth: 'iam' });
  }
}
