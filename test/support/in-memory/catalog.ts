import type { Product, StockLine } from '../../../functions/checkout/domain/model';
import type { ProductCatalog, StockLedger } from '../../../functions/checkout/domain/ports';

/** The catalog's reads in memory: products by SKU, copied out like items read from a table. */
export class InMemoryCatalog implements Pick<ProductCatalog, 'getMany'> {
  readonly products = new Map<string, Product>();

  constructor(products: Product[] = []) {
    for (const product of products) this.products.set(product.sku, structuredClone(product));
  }

  /** The stock count of `sku` now (undefined for an unknown SKU). */
  stockOf(sku: string): number | undefined {
    return this.products.get(sku)?.stock;
  }

  async getMany(skus: readonly string[]): Promise<Product[]> {
    return [...new Set(skus)].flatMap((sku) => {
      const product = this.products.get(sku);
      return product ? [structuredClone(product)] : [];
    });
  }
}

/** The StockLedger in memory, on the catalog's stock counts, with the DynamoDB adapter's conditions. */
export class InMemoryStockLedger implements StockLedger {
  /** Successful takes and every put-back, in order. */
  readonly taken: StockLine[] = [];
  readonly putBacks: StockLine[] = [];
  /** An error to throw instead of taking (per SKU) or instead of putting back. */
  takeFailures = new Map<string, Error>();
  putBackFailure: Error | undefined;

  constructor(private readonly catalog: InMemoryCatalog) {}

  async take(line: StockLine): Promise<number | undefined> {
    const failure = this.takeFailures.get(line.sku);
    if (failure) throw failure;
    const product = this.catalog.products.get(line.sku);
    if (!product || product.stock < line.quantity) return undefined;
    product.stock -= line.quantity;
    this.taken.push({ ...line });
    return product.stock;
  }

  async putBack(line: StockLine): Promise<void> {
    if (this.putBackFailure) throw this.putBackFailure;
    const product = this.catalog.products.get(line.sku);
    if (product) product.stock += line.quantity;
    this.putBacks.push({ ...line });
  }
}
