import type { BuyerAction } from '../contracts';
import type { SimulatedPayment } from './model';

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

const BUTTONS: ReadonlyArray<{ action: BuyerAction; label: string; style: string }> = [
  { action: 'approve', label: 'Approve (correct PIN)', style: 'background:#e2136e;color:#fff' },
  { action: 'cancel', label: 'Cancel', style: 'background:#fff;color:#333;border:1px solid #999' },
  { action: 'insufficient-balance', label: 'Insufficient balance', style: 'background:#fff3cd;color:#333;border:1px solid #c9a227' },
  { action: 'wrong-pin', label: 'Wrong PIN', style: 'background:#f8d7da;color:#333;border:1px solid #b02a37' },
];

const layout = (title: string, content: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · bKash simulator</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f4f4;margin:0}
.banner{background:#222;color:#ffd54f;padding:8px 16px;font-size:14px;text-align:center}
.card{max-width:420px;margin:32px auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 2px 8px #0002}
h1{color:#e2136e;font-size:22px;margin:0 0 16px}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px}dt{color:#666}dd{margin:0;font-weight:600}
button{display:block;width:100%;padding:12px;margin:8px 0;font-size:16px;border:0;border-radius:6px;cursor:pointer}
</style></head>
<body><div class="banner">LOCAL SIMULATOR of bKash Tokenized Checkout: not bKash, no real money moves.</div>
<div class="card">${content}</div></body></html>`;

/** The hosted payer page (`bkashURL`): the payment and one button per buyer action, posted back to the same URL. */
export const payerPage = (payment: SimulatedPayment, merchantName: string): string => {
  const details = `<dl>
<dt>Merchant</dt><dd>${escapeHtml(merchantName)}</dd>
<dt>Invoice</dt><dd>${escapeHtml(payment.merchantInvoiceNumber)}</dd>
<dt>Amount</dt><dd>৳ ${escapeHtml(payment.amount)} BDT</dd>
<dt>Payment ID</dt><dd>${escapeHtml(payment.paymentID)}</dd>
</dl>`;
  if (payment.transactionStatus !== 'Initiated' || payment.buyerVerified) {
    const state = payment.buyerVerified && payment.transactionStatus === 'Initiated' ? 'approved, waiting for the merchant' : payment.transactionStatus;
    return layout('Payment', `<h1>bKash payment</h1>${details}<p>This payment is <strong>${escapeHtml(state)}</strong>.</p>`);
  }
  const buttons = BUTTONS.map(
    ({ action, label, style }) => `<button type="submit" name="action" value="${action}" style="${style}">${escapeHtml(label)}</button>`,
  ).join('\n');
  return layout(
    'Pay',
    `<h1>Pay with bKash</h1>${details}
<form method="post" action="/checkout/${encodeURIComponent(payment.paymentID)}">
${buttons}
</form>`,
  );
};

/** What the browser sees when the scenario drops the redirect back to the merchant. */
export const lostCallbackPage = (payment: SimulatedPayment): string =>
  layout(
    'Callback lost',
    `<h1>Callback lost</h1><p>Your choice for payment ${escapeHtml(payment.paymentID)} was recorded, but the simulator's
<code>lose-callback</code> scenario dropped the redirect back to the merchant, as a closed tab would.</p>`,
  );

/** A plain error page for the payer page routes. */
export const errorPage = (message: string): string => layout('Error', `<h1>Cannot continue</h1><p>${escapeHtml(message)}</p>`);
