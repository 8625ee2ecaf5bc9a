import type { Money } from './html';

/** One cart line. Title and price are for display only: the API charges catalog prices at checkout. */
export interface CartLine {
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
}

const CART_COOKIE = 'cart';
const MAX_LINES = 50;

const isMoney = (value: unknown): value is Money => {
  const money = value as Money;
  return typeof money === 'object' && money !== null && Number.isInteger(money.value) && typeof money.currency === 'string';
};
const isCartLine = (value: unknown): value is CartLine => {
  const line = value as CartLine;
  return (
    typeof line === 'object' && line !== null && typeof line.sku === 'string' && line.sku.length > 0 && typeof line.title === 'string' &&
    Number.isInteger(line.quantity) && line.quantity > 0 && isMoney(line.unitPrice)
  );
};

/** The cart the browser's cookie holds; a missing, tampered or unreadable cookie is an empty cart. */
export const readCart = (cookieHeader: string | undefined): CartLine[] => {
  const raw = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${CART_COOKIE}=`))
    ?.slice(CART_COOKIE.length + 1);
  if (!raw) return [];
  try {
    const lines: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return Array.isArray(lines) ? lines.filter(isCartLine).slice(0, MAX_LINES) : [];
  } catch {
    return [];
  }
};

/** The Set-Cookie header value that stores `lines` (or clears the cart when empty). */
export const cartCookie = (lines: readonly CartLine[]): string =>
  lines.length === 0
    ? `${CART_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
    : `${CART_COOKIE}=${Buffer.from(JSON.stringify(lines)).toString('base64url')}; Path=/; HttpOnly; SameSite=Lax`;

/** The cart with `line` added (quantities of the same SKU are summed). */
export const addToCart = (lines: readonly CartLine[], line: CartLine): CartLine[] => {
  const existing = lines.find((candidate) => candidate.sku === line.sku);
  if (!existing) return [...lines, line].slice(0, MAX_LINES);
  return lines.map((candidate) => (candidate === existing ? { ...line, quantity: existing.quantity + line.quantity } : candidate));
};

/** The cart without `sku`. */
export const removeFromCart = (lines: readonly CartLine[], sku: string): CartLine[] => lines.filter((line) => line.sku !== sku);
