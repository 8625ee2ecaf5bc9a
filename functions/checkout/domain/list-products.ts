import type { ProductPage } from './model';
import type { ProductCatalog, ProductListQuery } from './ports';

export interface ListProductsDeps {
  catalog: ProductCatalog;
}

/** Lists the catalog, one page at a time, optionally for one seller. Throws ValidationError for a foreign cursor. */
export const listProducts = (deps: ListProductsDeps, query: ProductListQuery): Promise<ProductPage> => deps.catalog.list(query);
