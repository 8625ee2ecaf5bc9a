import type { Money } from '../../_platform/money';
import type { Product } from './model';
import type { ProductCatalog, StockChange } from './ports';

export interface UpsertProductDeps {
  catalog: ProductCatalog;
}

export interface UpsertProduct {
  sku: string;
  title: string;
  sellerId: string;
  prices: Money[];
  /** Absolute stock, or a change to the current stock; neither keeps it (0 for a new product). */
  stock?: number;
  stockDelta?: number;
  weightGrams: number;
  dimensionsCm: { l: number; w: number; h: number };
}

/**
 * Creates or replaces a product (an operator's call). A stock delta applies atomically, so a correction racing with
 * checkouts never loses a reservation. Throws RuleViolationError STOCK_BELOW_ZERO for a delta below the stock.
 */
export const upsertProduct = (deps: UpsertProductDeps, { stock, stockDelta, ...details }: UpsertProduct): Promise<{ product: Product; created: boolean }> => {
  const change: StockChange = stock !== undefined ? { set: stock } : stockDelta !== undefined ? { delta: stockDelta } : { keep: true };
  return deps.catalog.upsert(details, change);
};
