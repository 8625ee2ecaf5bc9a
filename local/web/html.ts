/** Escapes a value for HTML text and quoted attribute values: everything the API returns goes through here. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

export interface Money {
  value: number;
  currency: string;
}

/** Minor units as the currency writes them (BDT 120000 → "BDT 1,200.00", VND 250000 → "₫250,000"). */
export const formatMoney = ({ value, currency }: Money): string => {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency });
    return format.format(value / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    // An unknown currency code: show the raw minor units rather than fail the page.
    return `${value} ${currency}`;
  }
};

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
.banner{background:#1d2330;color:#ffd54f;padding:8px 16px;font-size:14px;text-align:center}
header{display:flex;justify-content:space-between;align-items:center;max-width:960px;margin:0 auto;padding:16px}
header a{color:#1d2330;text-decoration:none;font-weight:600}
main{max-width:960px;margin:0 auto;padding:0 16px 48px}
h1{font-size:24px;margin:8px 0 16px}h2{font-size:18px;margin:24px 0 8px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px}
.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 4px #0001}
.card h3{font-size:16px;margin:0 0 4px}.muted{color:#667085;font-size:13px}
.price{font-weight:600;margin:8px 0}
form.inline{display:flex;gap:8px;align-items:center}
input,select{font:inherit;padding:6px 8px;border:1px solid #c8ccd4;border-radius:6px}
input[type=number]{width:72px}
button{font:inherit;padding:8px 14px;border:0;border-radius:6px;background:#0b6bcb;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d2330;border:1px solid #c8ccd4}
button:disabled{background:#c8ccd4;cursor:not-allowed}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:8px 12px;border-bottom:1px solid #eef0f3}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.fields label{display:flex;flex-direction:column;gap:4px;font-size:14px}
.error{background:#fdecec;border:1px solid #f5b5b5;color:#8a1c1c;padding:12px;border-radius:8px;margin:12px 0}
.notice{background:#eef6ff;border:1px solid #b9d8ff;padding:12px;border-radius:8px;margin:12px 0}
.status{display:inline-block;padding:2px 10px;border-radius:999px;background:#eef0f3;font-weight:600}
.status-paid,.status-succeeded,.status-delivered,.status-shipped{background:#dcf5e3;color:#11622e}
.status-payment_failed,.status-failed,.status-cancelled{background:#fdecec;color:#8a1c1c}
.status-pending_payment,.status-pending{background:#fff4d6;color:#7a5b00}
`;

/** The page around every storefront view: the local-demo banner, the header with the cart link, the styles. */
export const layout = (title: string, content: string, options: { head?: string } = {}): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Commerce Hub demo store</title>${options.head ?? ''}
<style>${STYLE}</style></head>
<body><div class="banner">Local demo storefront of Commerce Hub: simulated payment gateways, no real money moves.</div>
<header><a href="/">Commerce Hub demo store</a><a href="/cart">Cart</a></header>
<main>${content}</main></body></html>`;
