import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';

// A module of its own: the catalog adapter parses stored products with it, and importing it from routes.ts would
// carry every route's schemas into each bundle that reads the catalog (create-checkout among them).

/** A product as the API shows it and the catalog stores it. */
export const productSchema = z.object({
  sku: z.string(),
  title: z.string(),
  sellerId: z.string(),
  prices: z.array(moneySchema),
  stock: z.int(),
  weightGrams: z.int(),
  dimensionsCm: z.object({ l: z.number(), w: z.number(), h: z.number() }),
});
