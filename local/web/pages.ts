import type { CartLine } from './cart';
import { escapeHtml, formatMoney, layout } from './html';
import type { Order, Product, ProductPage, StoreApiError } from './store-api';

/** The currency bKash and Nagad charge in: only products priced in it can go into this store's cart. */
export const STORE_CURRENCY = 'BDT';

const errorBox = (error: StoreApiError | string | undefined): string => {
  if (error === undefined) return '';
  if (typeof error === 'string') return `<div class="error" role="alert">${escapeHtml(error)}</div>`;
  const fields = Array.isArray(error.details.fields)
    ? `<ul>${(error.details.fields as Array<{ path?: string; message?: string }>)
        .map((field) => `<li>${escapeHtml(field.path)}: ${escapeHtml(field.message)}</li>`)
        .join('')}</ul>`
    : '';
  return `<div class="error" role="alert"><strong>${escapeHtml(error.code)}</strong>: ${escapeHtml(error.message)}${fields}</div>`;
};

const productCard = (product: Product): string => {
  const price = product.prices.find((candidate) => candidate.currency === STORE_CURRENCY);
  const prices = product.prices.map((candidate) => escapeHtml(formatMoney(candidate))).join(' · ');
  const stock = product.stock > 0 ? `${escapeHtml(product.stock)} in stock` : 'Out of stock';
  const addForm = !price
    ? `<p class="muted">Not sold in ${STORE_CURRENCY} in this store.</p>`
    : `<form class="inline" method="post" action="/cart/add">
<input type="hidden" name="sku" value="${escapeHtml(product.sku)}">
<input type="hidden" name="title" value="${escapeHtml(product.title)}">
<input type="hidden" name="priceValue" value="${escapeHtml(price.value)}">
<input type="number" name="quantity" value="1" min="1" max="${escapeHtml(Math.max(product.stock, 1))}" aria-label="Quantity of ${escapeHtml(product.sku)}">
<button type="submit"${product.stock > 0 ? '' : ' disabled'}>Add to cart</button>
</form>`;
  return `<article class="card" data-sku="${escapeHtml(product.sku)}">
<h3>${escapeHtml(product.title)}</h3>
<div class="muted">${escapeHtml(product.sku)} · sold by ${escapeHtml(product.sellerId)}</div>
<div class="price">${prices}</div>
<div class="muted">${stock}</div>
${addForm}
</article>`;
};

/** The catalog page; `query` keeps the seller filter for the next-page link. */
export const productsPage = (page: ProductPage | undefined, query: { sellerId?: string }, error?: StoreApiError): string => {
  const cards = page?.items.map(productCard).join('\n') ?? '';
  const empty = page && page.items.length === 0 ? '<p class="notice">No products yet: run <code>npm start</code> with the demo catalog, or PUT some.</p>' : '';
  const next = page?.nextCursor
    ? `<p><a href="/?${escapeHtml(new URLSearchParams({ ...(query.sellerId && { sellerId: query.sellerId }), cursor: page.nextCursor }).toString())}">Next page</a></p>`
    : '';
  return layout('Products', `<h1>Products</h1>${errorBox(error)}${empty}<div class="grid">${cards}</div>${next}`);
};

/** What the checkout form was filled with (prefilled with a Dhaka sample buyer). */
export interface BuyerForm {
  name: string;
  email: string;
  phone: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
  method: string;
}

export const SAMPLE_BUYER: BuyerForm = {
  name: 'Rahim Uddin',
  email: 'rahim@example.com',
  phone: '+8801712345678',
  line1: 'House 12, Road 5, Dhanmondi',
  city: 'Dhaka',
  postalCode: '1207',
  country: 'BD',
  method: 'bkash',
};

const BUYER_FIELDS: ReadonlyArray<{ name: Exclude<keyof BuyerForm, 'method'>; label: string; type: string }> = [
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'email', label: 'Email', type: 'email' },
  { name: 'phone', label: 'Phone', type: 'tel' },
  { name: 'line1', label: 'Address', type: 'text' },
  { name: 'city', label: 'City', type: 'text' },
  { name: 'postalCode', label: 'Postal code', type: 'text' },
  { name: 'country', label: 'Country', type: 'text' },
];
const METHODS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'bkash', label: 'bKash' },
  { value: 'nagad', label: 'Nagad' },
];

/** The payment methods as `<option>`s, `selected` marked. */
const methodOptions = (selected: string): string =>
  METHODS.map((method) => `<option value="${method.value}"${selected === method.value ? ' selected' : ''}>${method.label}</option>`).join('');

/**
 * The cart and the checkout form. `idempotencyKey` goes into a hidden field, so a retried post of this very form
 * reuses it and the API answers the first answer instead of placing a second order.
 */
export const cartPage = (lines: readonly CartLine[], form: BuyerForm, idempotencyKey: string, error?: StoreApiError | string): string => {
  if (lines.length === 0) return layout('Cart', `<h1>Your cart</h1>${errorBox(error)}<p class="notice">Your cart is empty. <a href="/">See the products</a>.</p>`);
  const rows = lines
    .map(
      (line) => `<tr><td>${escapeHtml(line.title)}<div class="muted">${escapeHtml(line.sku)}</div></td><td>${escapeHtml(line.quantity)}</td>
<td>${escapeHtml(formatMoney(line.unitPrice))}</td><td>${escapeHtml(formatMoney({ value: line.unitPrice.value * line.quantity, currency: line.unitPrice.currency }))}</td>
<td><form method="post" action="/cart/remove"><input type="hidden" name="sku" value="${escapeHtml(line.sku)}"><button class="secondary" type="submit">Remove</button></form></td></tr>`,
    )
    .join('\n');
  const total = lines.reduce((sum, line) => sum + line.unitPrice.value * line.quantity, 0);
  const fields = BUYER_FIELDS.map(
    (field) => `<label>${field.label}<input type="${field.type}" name="${field.name}" value="${escapeHtml(form[field.name])}" required></label>`,
  ).join('\n');
  const methods = methodOptions(form.method);
  return layout(
    'Cart',
    `<h1>Your cart</h1>${errorBox(error)}
<table><thead><tr><th>Product</th><th>Qty</th><th>Unit price</th><th>Subtotal</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<p class="price">Estimated total: ${escapeHtml(formatMoney({ value: total, currency: STORE_CURRENCY }))} <span class="muted">(the order charges the catalog's current prices)</span></p>
<h2>Buyer and payment</h2>
<form method="post" action="/checkout">
<input type="hidden" name="idempotencyKey" value="${escapeHtml(idempotencyKey)}">
<div class="fields">${fields}
<label>Payment method<select name="method">${methods}</select></label></div>
<p><button type="submit">Place order and pay</button></p>
</form>`,
  );
};

/** A sentence a buyer understands for each failure code the gateways report. */
const FAILURE_SENTENCES: Readonly<Record<string, string>> = {
  INSUFFICIENT_FUNDS: 'The wallet did not have enough balance for this payment. Top it up or choose another method, then try again.',
  CANCELLED_BY_BUYER: 'You cancelled the payment on the payment page. Nothing was charged.',
  EXPIRED: 'The payment session expired before it was completed. Nothing was charged.',
  DECLINED: 'The payment provider declined the payment.',
  PROCESSING_ERROR: 'The payment provider could not process the payment.',
};

const statusBadge = (status: string): string => `<span class="status status-${escapeHtml(status)}">${escapeHtml(status)}</span>`;

/**
 * Whether the payment saga may still change the order: the order waits for its payment, or a payment has not
 * settled yet (the saga writes the order and its payment one after the other).
 */
const unsettled = (order: { status: string; payments: Array<{ status: string }> }): boolean =>
  order.status === 'pending_payment' || order.payments.some((payment) => payment.status === 'pending');

/** The order page; while the saga may still change it, it refreshes every 2 s (script, or meta refresh without one). */
export const orderPage = (order: Order, payAgainKey: string = ''): string => {
  const pending = unsettled(order);
  const items = order.items
    .map((item) => `<tr><td>${escapeHtml(item.title)}<div class="muted">${escapeHtml(item.sku)}</div></td><td>${escapeHtml(item.quantity)}</td><td>${escapeHtml(formatMoney(item.unitPrice))}</td></tr>`)
    .join('\n');
  const payments = order.payments
    .map((payment) => {
      const reason = payment.failureCode
        ? `<div class="error">${escapeHtml(FAILURE_SENTENCES[payment.failureCode] ?? 'The payment failed.')} <span class="muted">(${escapeHtml(payment.failureCode)})</span></div>`
        : '';
      return `<tr><td>${escapeHtml(payment.paymentId)}</td><td>${escapeHtml(payment.method)}</td><td>${escapeHtml(formatMoney(payment.amount))}</td><td>${statusBadge(payment.status)}${reason}</td></tr>`;
    })
    .join('\n');
  const timeline = order.timeline
    .map((entry) => `<tr><td>${escapeHtml(entry.at)}</td><td>${escapeHtml(entry.event)}</td><td>${statusBadge(entry.status)}</td><td>${escapeHtml(entry.cause ?? '')}</td></tr>`)
    .join('\n');
  const waiting = pending ? '<p class="notice">Waiting for the payment to be confirmed: this page updates by itself.</p>' : '';
  const lastMethod = order.payments.at(-1)?.method ?? '';
  const payAgain = order.status === 'payment_failed'
    ? `<h2>Pay again</h2><form method="post" action="/orders/${escapeHtml(order.orderId)}/pay">
<input type="hidden" name="idempotencyKey" value="${escapeHtml(payAgainKey)}">
<label>Payment method<select name="method">${methodOptions(METHODS.find((m) => m.value !== lastMethod)?.value ?? lastMethod)}</select></label>
<button type="submit">Pay again</button></form>`
    : '';
  // The id is escaped for HTML and JSON-encoded for the script; `<` cannot occur in a validated order id.
  const refresh = pending
    ? `<noscript><meta http-equiv="refresh" content="2"></noscript>
<script>
const orderJson = ${JSON.stringify(`/orders/${encodeURIComponent(order.orderId)}.json`)};
setInterval(async () => {
  try {
    const res = await fetch(orderJson, { cache: 'no-store' });
    if (!res.ok) return;
    const now = await res.json();
    if (now.status !== 'pending_payment' && !now.payments.some((p) => p.status === 'pending')) location.reload();
  } catch {}
}, 2000);
</script>`
    : '';
  return layout(
    `Order ${order.orderId}`,
    `<h1>Order ${escapeHtml(order.orderId)}</h1>
<p>Status: <span id="order-status">${statusBadge(order.status)}</span> · Amount: <strong>${escapeHtml(formatMoney(order.amount))}</strong></p>${waiting}
<h2>Items</h2><table><thead><tr><th>Product</th><th>Qty</th><th>Unit price</th></tr></thead><tbody>${items}</tbody></table>
<h2>Payments</h2><table><thead><tr><th>Payment</th><th>Method</th><th>Amount</th><th>Status</th></tr></thead><tbody>${payments}</tbody></table>${payAgain}
<h2>Timeline</h2><table><thead><tr><th>When</th><th>Event</th><th>Status</th><th>Cause</th></tr></thead><tbody>${timeline}</tbody></table>
<p><a href="/">Continue shopping</a></p>`,
    { head: refresh },
  );
};

/** A plain page for a failure that has no better place to be shown. */
export const errorPage = (title: string, error: StoreApiError | string): string =>
  layout(title, `<h1>${escapeHtml(title)}</h1>${errorBox(error)}<p><a href="/">Back to the products</a></p>`);
