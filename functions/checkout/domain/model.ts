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

/** Payment methods of API.md. Which ones a deployment can take depends on its gateways (see place-order.ts). */
export const PAYMENT_METHODS = ['bkash', 'nagad', 'vnpay', 'vnpay_qr', 'fptpay', 'card', 'wallet', 'bnpl', 'cash'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Delivery speeds a checkout can ask for; the carriers' quotes are per level. */
export const SHIPPING_SERVICE_LEVELS = ['standard', 'express'] as const;
export type ShippingServiceLevel = (typeof SHIPPING_SERVICE_LEVELS)[number];

/** A quantity of one SKU: a checkout line after merging, and what a reservation takes or puts back. */
export interface StockLine {
  sku: string;
  quantity: number;
}
