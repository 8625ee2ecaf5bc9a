import * as z from 'zod/mini';
import { documentClient } from '../../_platform/document-client';
import { loadConfig } from '../../_platform/config';
import type { ListProductsDeps } from '../domain/list-products';
import type { UpsertProductDeps } from '../domain/upsert-product';
import { dynamoProductCatalog } from './product-catalog.dynamo';

/** The catalog's dependencies, from CATALOG_TABLE (env). Call once per cold start. */
export const catalogDeps = (): ListProductsDeps & UpsertProductDeps => {
  const { CATALOG_TABLE } = loadConfig(z.object({ CATALOG_TABLE: z.string().check(z.minLength(1)) }));
  return { catalog: dynamoProductCatalog(documentClient(), CATALOG_TABLE) };
};
