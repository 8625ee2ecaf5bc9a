import type { Product, ProductPage } from './model';

/** What a catalog listing asks for. */
export interface ProductListQuery {
  /** Only this seller's products (in SKU order); all products otherwise, in no particular order. */
  sellerId?: string;
  /** The `nextCursor` of the previous page, as returned; opaque to callers. */
  cursor?: string;
  /** Page size, 1 to 100. */
  limit: number;
}

/** The product catalog. */
export interface ProductCatalog {
  /**
   * One page of products. A page may hold fewer than `limit` items and still have a `nextCursor`.
   * Throws ValidationError (field `query.cursor`) for a cursor it did not issue for this query.
   */
  list(query: ProductListQuery): Promise<ProductPage>;
  /**
   * Creates or replaces a product's details in one conditional write. Stock is set (`{ set }`), changed
   * (`{ delta }`, atomic against concurrent reservations) or kept (`{ keep: true }`; 0 for a new product).
   * Throws RuleViolationError STOCK_BELOW_ZERO when a negative delta exceeds the stock.
   */
  upsert(details: Omit<Product, 'stock'>, stock: StockChange): Promise<{ product: Product; created: boolean }>;
}

export type StockChange = { set: number } | { delta: number } | { keep: true };
