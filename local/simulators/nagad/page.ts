import type { BuyerAction } from '../contracts';
import type { NagadPayment } from './protocol';

/** HTML pages of the simulator's hosted checkout, clearly labelled as a local simulator. */

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

const BUTTONS: readonly { action: BuyerAction; label: string }[] = [
  { action: 'approve', label: 'Approve (enter PIN)' },
  { action: 'cancel', label: 'Cancel' },
  { action: 'insufficient-balance', label: 'Insufficient balance' },
  { action: 'wrong-pin', label: 'Wrong PIN' },
];

const layout = (title: string, body: string, head = ''): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · Nagad LOCAL SIMULATOR</title>
${head}
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  .banner { background: #fff3cd; border: 1px solid #e0c36a; padding: .5rem .75rem; border-radius: .4rem; font-weight: 600; }
  h1 { color: #ec1c24; font-size: 1.4rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; word-break: break-all; }
  form { display: grid; gap: .5rem; margin-top: 1.5rem; }
  button { padding: .6rem; font-size: 1rem; border-radius: .4rem; border: 1px solid #999; background: #fafafa; cursor: pointer; }
  button[value=approve] { background: #ec1c24; color: #fff; border-color: #ec1c24; }
</style>
</head>
<body>
<p class="banner">Local simulator of the Nagad payment gateway. No real money moves and this is not Nagad.</p>
${body}
</body>
</html>
`;

/** The payment page: who is paid, how much, and the buyer's four choices (each POSTs back to the same URL). */
export const checkoutPage = (payment: NagadPayment, merchantId: string): string =>
  layout(
    'Pay with Nagad',
    `<h1>Pay with Nagad</h1>
<dl>
  <dt>Merchant</dt><dd>${escapeHtml(merchantId)}</dd>
  <dt>Order</dt><dd>${escapeHtml(payment.orderId)}</dd>
  <dt>Amount</dt><dd>BDT ${((payment.poisha ?? 0) / 100).toFixed(2)}</dd>
</dl>
<form method="post">
${BUTTONS.map(({ action, label }) => `  <button type="submit" name="action" value="${action}">${escapeHtml(label)}</button>`).join('\n')}
</form>`,
  );

/** Shown when a payment cannot be paid (unknown, not completed by the merchant, or already decided). */
export const notPayablePage = (paymentRefId: string): string =>
  layout('Payment not available', `<h1>Payment not available</h1><p>Payment <code>${escapeHtml(paymentRefId)}</code> is unknown or no longer waiting for the buyer.</p>`);

/** `lose-callback`: the payment is decided but the browser is never sent back to the merchant. */
export const lostCallbackPage = (): string =>
  layout('Payment done', '<h1>Payment done</h1><p>Scenario <code>lose-callback</code>: the browser is not sent back to the merchant.</p>');

/** `duplicate-callback`: the merchant's return URL is loaded twice (a hidden frame, then the page itself). */
export const duplicateCallbackPage = (redirectUrl: string): string =>
  layout(
    'Returning to the merchant',
    `<h1>Returning to the merchant</h1><p>Scenario <code>duplicate-callback</code>: the return URL is delivered twice.</p>
<iframe hidden src="${escapeHtml(redirectUrl)}"></iframe>`,
    `<meta http-equiv="refresh" content="1;url=${escapeHtml(redirectUrl)}">`,
  );
