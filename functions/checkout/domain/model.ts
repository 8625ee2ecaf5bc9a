import type { Money } from '../../_platform/money';

/** A sellable item of the catalog. Prices are per currency, in minor units; weight and size feed shipping quotes. */
export interface Product {
  sku: string;
  title: string;
  sellerId: string;
  prices: Money[];
  stock: number;
  weightGrams: number;
  dimensionsCm: { l: number; w: number; h: number };
}

/** One page of a listing; `nextCursor` is null on the last page. */
export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}
