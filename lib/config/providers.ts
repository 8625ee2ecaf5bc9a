/**
 * Every external system Commerce Hub talks to, with its sandbox and production base URL (from
 * ../shared/design/providers/). Each gets one Secrets Manager secret per environment holding its base URL and
 * credentials; adapters read both from the secret, so local mode points a provider at its simulator by seeding the
 * secret, not by changing the template.
 */
export type ProviderKind = 'payment' | 'carrier' | 'messaging' | 'billing';

export interface ProviderDefinition {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly sandboxBaseUrl: string;
  readonly productionBaseUrl: string;
}

export const PROVIDERS = [
  { id: 'bkash', kind: 'payment', sandboxBaseUrl: 'https://tokenized.sandbox.bka.sh', productionBaseUrl: 'https://tokenized.pay.bka.sh' },
  // Nagad's sandbox is plain HTTP on port 10080 (Nagad's own sample code); production needs IP allow-listing.
  { id: 'nagad', kind: 'payment', sandboxBaseUrl: 'http://sandbox.mynagad.com:10080/remote-payment-gateway-1.0', productionBaseUrl: 'https://api.mynagad.com' },
  { id: 'vnpay', kind: 'payment', sandboxBaseUrl: 'https://sandbox.vnpayment.vn', productionBaseUrl: 'https://pay.vnpay.vn' },
  { id: 'vnpay-qr', kind: 'payment', sandboxBaseUrl: 'https://doitac-tran.vnpaytest.vn', productionBaseUrl: 'https://qrcode.vnpay.vn' },
  // FPT Pay publishes no public endpoints; both URLs are placeholders until the merchant contract supplies them.
  { id: 'fptpay', kind: 'payment', sandboxBaseUrl: 'https://sandbox.fptpay.invalid', productionBaseUrl: 'https://api.fptpay.invalid' },
  // Stripe selects test or live mode by the key prefix, not the host.
  { id: 'stripe', kind: 'payment', sandboxBaseUrl: 'https://api.stripe.com', productionBaseUrl: 'https://api.stripe.com' },
  { id: 'shopify', kind: 'payment', sandboxBaseUrl: 'https://example.myshopify.com', productionBaseUrl: 'https://example.myshopify.com' },
  { id: 'ghn', kind: 'carrier', sandboxBaseUrl: 'https://dev-online-gateway.ghn.vn', productionBaseUrl: 'https://online-gateway.ghn.vn' },
  { id: 'pathao', kind: 'carrier', sandboxBaseUrl: 'https://courier-api-sandbox.pathao.com', productionBaseUrl: 'https://api-hermes.pathao.com' },
  // Steadfast documents no sandbox.
  { id: 'steadfast', kind: 'carrier', sandboxBaseUrl: 'https://portal.packzy.com', productionBaseUrl: 'https://portal.packzy.com' },
  { id: 'easypost', kind: 'carrier', sandboxBaseUrl: 'https://api.easypost.com', productionBaseUrl: 'https://api.easypost.com' },
  { id: 'twilio', kind: 'messaging', sandboxBaseUrl: 'https://api.twilio.com', productionBaseUrl: 'https://api.twilio.com' },
  { id: 'sslwireless', kind: 'messaging', sandboxBaseUrl: 'https://smsplus.sslwireless.com', productionBaseUrl: 'https://smsplus.sslwireless.com' },
  { id: 'esms', kind: 'messaging', sandboxBaseUrl: 'https://rest.esms.vn', productionBaseUrl: 'https://rest.esms.vn' },
  { id: 'zalo', kind: 'messaging', sandboxBaseUrl: 'https://business.openapi.zalo.me', productionBaseUrl: 'https://business.openapi.zalo.me' },
  // The company's in-app messaging platform and revenue system are internal; their URLs come with the deployment.
  { id: 'hifpt', kind: 'messaging', sandboxBaseUrl: 'https://hifpt.sandbox.invalid', productionBaseUrl: 'https://hifpt.invalid' },
  { id: 'revenue', kind: 'billing', sandboxBaseUrl: 'https://revenue.sandbox.invalid', productionBaseUrl: 'https://revenue.invalid' },
] as const satisfies readonly ProviderDefinition[];

export type ProviderId = (typeof PROVIDERS)[number]['id'];
