import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { type RunningStorefront, startStorefront } from '../../../local/web/storefront';
import { eventually, localEndpoints } from '../../support/local-stack';

const endpoints = localEndpoints();
const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
const bkashSimulator = endpoints.simulators.bkash;
const sellerId = `seller-web-${randomUUID().slice(0, 8)}`;
// Markup in the title proves the page escapes what the API returns.
const TITLE = 'Nakshi <b>kantha</b> & "quilt"';
const ESCAPED_TITLE = 'Nakshi &lt;b&gt;kantha&lt;/b&gt; &amp; &quot;quilt&quot;';

let storefront: RunningStorefront;

const aProduct = async (stock: number) => {
  const sku = `WEB-${randomUUID().slice(0, 8)}`;
  const res = await operatorFetch(`${endpoints.api.url}/products/${sku}`, {
    method: 'PUT',
    body: { title: TITLE, sellerId, prices: [{ value: 560000, currency: 'BDT' }], stock, weightGrams: 1200, dimensionsCm: { l: 50, w: 40, h: 8 } },
  }, operator);
  expect(res.status).toBe(201);
  return sku;
};
const visit = (path: string, init: { method?: string; form?: Record<string, string>; cookie?: string } = {}) =>
  fetch(new URL(path, storefront.url), {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: { ...(init.form && { 'content-type': 'application/x-www-form-urlencoded' }), ...(init.cookie && { cookie: init.cookie }) },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
/** Adds `quantity` of `sku` to a new cart; resolves the cart cookie and the checkout form's fields. */
const cartWith = async (sku: string, quantity: number) => {
  const added = await visit('/cart/add', { form: { sku, title: TITLE, priceValue: '560000', quantity: String(quantity) } });
  expect(added.status).toBe(303);
  const cookie = added.headers.get('set-cookie')!.split(';')[0];
  const cart = await (await visit('/cart', { cookie })).text();
  const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(cart)?.[1];
  const form = {
    idempotencyKey: hidden('idempotencyKey')!, name: 'Rahim Uddin', email: 'rahim@example.com', phone: '+8801712345678',
    line1: 'House 12, Road 5', city: 'Dhaka', postalCode: '1207', country: 'BD', method: 'bkash',
  };
  expect(form.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  return { cookie, cart, form };
};
const buyerActs = async (gatewayReference: string, action: string): Promise<string> => {
  const res = await fetch(`${bkashSimulator}/__control/buyer/${encodeURIComponent(gatewayReference)}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }),
  });
  return ((await res.json()) as { redirectUrl: string }).redirectUrl;
};

beforeAll(async () => {
  storefront = await startStorefront({ port: 0, apiUrl: endpoints.api.url, storeKey: endpoints.apiKeys[0].value });
});
afterAll(async () => {
  await storefront.stop();
});

describe('the local demo storefront', () => {
  it('lists the catalog with prices and stock, escaping what the API returns, and never shows the store key', async () => {
    const sku = await aProduct(4);

    const res = await visit(`/?sellerId=${sellerId}`);

    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(sku);
    expect(html).toContain(ESCAPED_TITLE);
    expect(html).not.toContain('<b>kantha</b>');
    expect(html).toContain('4 in stock');
    expect(html).toMatch(/BDT\s*5,600\.00/);
    expect(html).toContain('Local demo storefront');
    expect(html).not.toContain(endpoints.apiKeys[0].value);
  });

  it('sends the buyer to bKash, and back to an order page that turns paid once the buyer approves', async () => {
    const sku = await aProduct(5);
    const { cookie, cart, form } = await cartWith(sku, 2);
    expect(cart).toContain(ESCAPED_TITLE);
    expect(cart).toContain('value="Rahim Uddin"');

    const placed = await visit('/checkout', { form, cookie });

    expect(placed.status).toBe(303);
    const payerPage = placed.headers.get('location')!;
    expect(payerPage.startsWith(`${bkashSimulator}/checkout/`)).toBe(true);
    expect(placed.headers.get('set-cookie')).toContain('Max-Age=0');
    const retried = await visit('/checkout', { form, cookie });
    expect(retried.headers.get('location')).toBe(payerPage);

    const gatewayReference = decodeURIComponent(new URL(payerPage).pathname.split('/').pop()!);
    const ourReturn = await fetch(await buyerActs(gatewayReference, 'approve'), { redirect: 'manual' });
    expect(ourReturn.status).toBe(303);
    const storeReturn = new URL(ourReturn.headers.get('location')!);
    expect(`${storeReturn.origin}${storeReturn.pathname}`).toBe(`${storefront.url}/orders/return`);
    const orderId = storeReturn.searchParams.get('orderId')!;
    const landed = await fetch(storeReturn, { redirect: 'manual' });
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe(`/orders/${orderId}`);

    const orderHtml = await (await visit(`/orders/${orderId}`)).text();
    expect(orderHtml).toContain(orderId);
    expect(orderHtml).toContain(ESCAPED_TITLE);
    const paid = await eventually(async () => {
      const order = (await (await visit(`/orders/${orderId}.json`)).json()) as { status: string; payments: Array<{ status: string }> };
      return order.status === 'pending_payment' || order.payments.some((p) => p.status === 'pending') ? undefined : order;
    }, `order ${orderId} and its payment to settle`);
    expect(paid.status).toBe('paid');
    expect(paid.payments).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    const paidHtml = await (await visit(`/orders/${orderId}`)).text();
    expect(paidHtml).toContain('status-paid');
    expect(paidHtml).not.toContain('http-equiv="refresh"');
  });

  it('shows why a payment failed when the buyer cancels on the payer page', async () => {
    const sku = await aProduct(3);
    const { cookie, form } = await cartWith(sku, 1);
    const payerPage = (await visit('/checkout', { form, cookie })).headers.get('location')!;
    const gatewayReference = decodeURIComponent(new URL(payerPage).pathname.split('/').pop()!);
    const storeReturn = (await fetch(await buyerActs(gatewayReference, 'cancel'), { redirect: 'manual' })).headers.get('location')!;
    const orderId = new URL(storeReturn).searchParams.get('orderId')!;

    await eventually(async () => {
      const order = (await (await visit(`/orders/${orderId}.json`)).json()) as { status: string; payments: Array<{ status: string }> };
      return order.status === 'payment_failed' && order.payments.every((p) => p.status === 'failed') ? true : undefined;
    }, `order ${orderId} and its payment to fail`);

    const failedHtml = await (await visit(`/orders/${orderId}`)).text();
    expect(failedHtml).toContain('You cancelled the payment on the payment page');

    // The order page offers to pay again, with the other method preselected; the form goes to Nagad's page.
    expect(failedHtml).toContain(`action="/orders/${orderId}/pay"`);
    expect(failedHtml).toContain('<option value="nagad" selected>');
    const idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(failedHtml)![1];
    const again = await visit(`/orders/${orderId}/pay`, { form: { method: 'nagad', idempotencyKey } });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')!.startsWith(`${endpoints.simulators.nagad}/check-out/`)).toBe(true);
    const pending = (await (await visit(`/orders/${orderId}.json`)).json()) as { status: string; payments: Array<{ method: string }> };
    expect(pending.status).toBe('pending_payment');
    expect(pending.payments.map((p) => p.method)).toEqual(['bkash', 'nagad']);
  });

  it('shows the API’s message on the cart page when there is not enough stock, and keeps the cart', async () => {
    const sku = await aProduct(1);
    const { cookie, form } = await cartWith(sku, 2);

    const refused = await visit('/checkout', { form, cookie });

    expect(refused.status).toBe(422);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const html = await refused.text();
    expect(html).toContain('OUT_OF_STOCK');
    expect(html).toContain(ESCAPED_TITLE);
  });

  it('answers 404 for an unknown order and 400 for a return without an order', async () => {
    const unknown = await visit('/orders/ord_00000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('NOT_FOUND');
    expect((await visit('/orders/return')).status).toBe(400);
  });
});

/** The few playwright-core calls the browser test makes. */
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  click(selector: string): Promise<void>;
  selectOption(selector: string, value: string): Promise<unknown>;
  waitForURL(url: RegExp | ((url: URL) => boolean), options?: { timeout?: number }): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
}
interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless: boolean; args?: string[] }): Promise<Browser> };
}

const CHROMIUM = '/usr/bin/chromium';
const loadPlaywright = (): PlaywrightCore | undefined => {
  try {
    return require('playwright-core') as PlaywrightCore;
  } catch {
    return undefined;
  }
};
const playwright = existsSync(CHROMIUM) ? loadPlaywright() : undefined;
const browserSkipReason = !existsSync(CHROMIUM) ? 'skipped: no Chromium installed' : !playwright ? 'skipped: playwright-core is not installed' : undefined;
if (browserSkipReason) console.warn(`storefront browser test ${browserSkipReason} (${CHROMIUM})`);

describe('the local demo storefront in headless Chromium', () => {
  (playwright ? it : it.skip)(`a buyer buys with bKash and watches the order turn paid${browserSkipReason ? ` (${browserSkipReason})` : ''}`, async () => {
    const sku = await aProduct(5);
    // As root (CI, containers) Chromium needs --no-sandbox; the rest keeps it off the network it cannot reach here.
    const browser = await playwright!.chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${storefront.url}/?sellerId=${sellerId}`);
      await page.click(`article[data-sku="${sku}"] button[type=submit]`);
      await page.waitForURL(/\/cart$/);
      await page.selectOption('select[name=method]', 'bkash');
      await page.click('form[action="/checkout"] button[type=submit]');
      await page.waitForURL((url) => url.href.startsWith(`${bkashSimulator}/checkout/`));
      await page.click('button[value=approve]');
      await page.waitForURL(/\/orders\/ord_/);
      await page.waitForSelector('#order-status .status-paid', { timeout: 60_000 });
    } finally {
      await browser.close();
    }
  });
});
