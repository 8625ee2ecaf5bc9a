/**
 * A local bKash Tokenized Checkout: the protocol paths of payments.md §7 "bKash Tokenized", a payer page a person can
 * click, the SNS-style IPN (./ipn.ts) and the simulator control API of ../contracts.ts, plus:
 *   POST /__control/webhook {"url"}                          → 200 {status, confirmed}: subscribe a merchant endpoint to the IPN
 *   POST /__control/ipn {"paymentID", "forge"?, "overrides"?} → 200 {deliveries}: send a payment's IPN now (409 when
 *        no endpoint is subscribed); `forge: true` breaks the signature, `overrides` (amount, transactionReference,
 *        trxID) change fields, signed correctly.
 * After each execute that completes a payment the IPN goes out by itself (twice under `duplicate-callback`, which
 * the buyer's redirect cannot show on its own; `lose-callback` loses only the browser's redirect, not the IPN).
 * Plain node:http, all state in memory.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuyerAction, PaymentSimulator, SimulatorMode, SimulatorScenario } from '../contracts';
import { BkashIpnEmitter, CERTIFICATE_PATH, CONFIRM_PATH, type IpnOverrides, IPN_TOPIC_ARN } from './ipn';
import { BkashModel, type Reply, SIMULATOR_CREDENTIALS, SimulatorError, UNAUTHORIZED } from './model';
import { errorPage, lostCallbackPage, payerPage } from './payer-page';
import { Scenario } from './scenario';
import { readBoundedBody } from '../../http-body';
import { cancellableDelays } from '../delays';

export interface BkashSimulatorOptions {
  /** Interface to bind; 127.0.0.1 unless given. */
  host?: string;
  /** Port to listen on; 0 (a free one) unless given. */
  port?: number;
}

const CHECKOUT = '/v1.2.0-beta/tokenized/checkout';
const REFUND_V2 = '/v2/tokenized-checkout/refund/payment';
const MAX_BODY_BYTES = 1024 * 1024;
const MERCHANT_NAME = 'Commerce Hub demo shop';
const MODES: readonly SimulatorMode[] = ['normal', 'decline', 'down', 'slow', 'flaky', 'lose-callback', 'duplicate-callback', 'timeout-then-complete'];
const ACTIONS: readonly BuyerAction[] = ['approve', 'cancel', 'insufficient-balance', 'wrong-pin'];

type Body = Record<string, unknown>;
type Headers = IncomingMessage['headers'];

/** One protocol endpoint: who may call it and whether it moves money (what `timeout-then-complete` delays). */
interface Endpoint {
  readonly auth: 'merchant' | 'token';
  readonly movesMoney: boolean;
  readonly handle: (headers: Headers, body: Body) => Reply;
}

/** The bKash simulator: a payment simulator that also pushes IPNs to a subscribed merchant endpoint. */
export interface BkashSimulator extends PaymentSimulator {
  /** Subscribes `url` (our POST /v1/webhooks/bkash) to the IPN; resolves once the endpoint answered the confirmation. */
  subscribeWebhook(url: string): Promise<{ status: number; confirmed: boolean }>;
}

class BadRequest extends Error {}

const readBody = async (req: IncomingMessage): Promise<string> =>
  (await readBoundedBody(req, MAX_BODY_BYTES, () => new BadRequest('body too large'))).toString('utf8');

const parseJsonObject = (raw: string): Body | undefined => {
  try {
    const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Body) : undefined;
  } catch {
    return undefined;
  }
};

const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string>): void => {
  if (res.writableEnded || res.destroyed) return; // the client gave up (a timeout the test provoked)
  res.writeHead(status, headers);
  res.end(body);
};
const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json' });
const sendHtml = (res: ServerResponse, status: number, html: string): void => send(res, status, html, { 'content-type': 'text/html; charset=utf-8' });

/** A successful protocol answer: statusCode "0000" (v1) or no error code at all (refund v2). */
const succeeded = (reply: Reply): boolean =>
  reply.status === 200 && (reply.body.statusCode === undefined ? reply.body.externalCode === undefined : reply.body.statusCode === '0000');

/**
 * Starts the bKash simulator. `secret` holds the credentials it accepts in the adapter's config shape
 * (`{ baseUrl, username, password, appKey, appSecret }`); the payer page is `GET /checkout/{paymentID}`.
 */
export async function startBkashSimulator(options: BkashSimulatorOptions = {}): Promise<BkashSimulator> {
  const host = options.host ?? '127.0.0.1';
  const model = new BkashModel();
  const scenario = new Scenario();
  const { delay: wait, cancelAll } = cancellableDelays();
  let url = '';
  const ipn = new BkashIpnEmitter(() => url, MERCHANT_NAME);

  const endpoints: Readonly<Record<string, Endpoint>> = {
    [`${CHECKOUT}/token/grant`]: { auth: 'merchant', movesMoney: false, handle: (headers, body) => model.grant(headers, body) },
    [`${CHECKOUT}/token/refresh`]: { auth: 'merchant', movesMoney: false, handle: (headers, body) => model.refresh(headers, body) },
    [`${CHECKOUT}/create`]: { auth: 'token', movesMoney: false, handle: (_, body) => model.create(body, (id) => `${url}/checkout/${encodeURIComponent(id)}`) },
    [`${CHECKOUT}/execute`]: { auth: 'token', movesMoney: true, handle: (_, body) => model.execute(body) },
    [`${CHECKOUT}/payment/status`]: { auth: 'token', movesMoney: false, handle: (_, body) => model.query(body) },
    [`${CHECKOUT}/general/searchTransaction`]: { auth: 'token', movesMoney: false, handle: (_, body) => model.searchTransaction(body) },
    [`${CHECKOUT}/payment/confirm/capture`]: { auth: 'token', movesMoney: true, handle: (_, body) => model.confirm(body, 'capture') },
    [`${CHECKOUT}/payment/confirm/void`]: { auth: 'token', movesMoney: false, handle: (_, body) => model.confirm(body, 'void') },
    [`${CHECKOUT}/payment/refund`]: { auth: 'token', movesMoney: true, handle: (_, body) => model.refundV1(body) },
    [`${REFUND_V2}/transaction`]: { auth: 'token', movesMoney: true, handle: (_, body) => model.refundV2(body) },
    [`${REFUND_V2}/status`]: { auth: 'token', movesMoney: false, handle: (_, body) => model.refundStatusV2(body) },
  };

  /** The buyer's action on the payer page; returns the redirect, or null when the scenario loses it. */
  const act = (paymentID: string, action: BuyerAction): string | null => {
    const declined = action === 'approve' && scenario.is('decline');
    const redirectUrl = model.buyer(paymentID, action, declined);
    if (declined) scenario.take('decline');
    if (scenario.take('lose-callback')) return null;
    // duplicate-callback: a simulator cannot make a browser come back twice; the caller delivers this URL twice.
    scenario.take('duplicate-callback');
    return redirectUrl;
  };

  const protocol = async (endpoint: Endpoint, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseJsonObject(await readBody(req));
    if (scenario.is('down')) return sendJson(res, 503, { message: 'Service Unavailable' });
    if (scenario.take('flaky')) return sendJson(res, 500, { message: 'Internal server error' });
    if (scenario.is('slow')) await wait(scenario.delayMs);
    if (!body) return sendJson(res, 200, { statusCode: '2025', statusMessage: 'Invalid request body' });
    if (endpoint.auth === 'token' && !model.authorized(req.headers)) return sendJson(res, UNAUTHORIZED.status, UNAUTHORIZED.body);
    const reply = endpoint.handle(req.headers, body);
    const completed = endpoint.movesMoney && succeeded(reply) && reply.body.transactionStatus === 'Completed' ? model.payment(String(reply.body.paymentID)) : undefined;
    if (completed) ipn.notifyLater(completed, scenario.is('duplicate-callback') ? 2 : 1);
    // Applied now, answered late: the caller cannot know the outcome without asking.
    if (endpoint.movesMoney && succeeded(reply) && scenario.take('timeout-then-complete')) await wait(scenario.delayMs);
    sendJson(res, reply.status, reply.body);
  };

  /** What SNS itself serves: the signing certificate and the subscribe URL. */
  const sns = (path: string, req: IncomingMessage, res: ServerResponse): void => {
    if (path === CERTIFICATE_PATH) return send(res, 200, ipn.certificatePem, { 'content-type': 'application/x-x509-ca-cert' });
    const confirmed = ipn.confirm(new URL(req.url ?? '/', 'http://simulator').searchParams.get('Token'));
    if (!confirmed) return send(res, 404, '<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>', { 'content-type': 'text/xml' });
    send(res, 200, `<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>${IPN_TOPIC_ARN}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`, { 'content-type': 'text/xml' });
  };

  const payerPageRoute = async (paymentID: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const payment = model.payment(paymentID);
    if (!payment) return sendHtml(res, 404, errorPage(`No bKash payment ${paymentID}.`));
    if (req.method === 'GET') return sendHtml(res, 200, payerPage(payment, MERCHANT_NAME));
    const action = new URLSearchParams(await readBody(req)).get('action') as BuyerAction | null;
    if (!action || !ACTIONS.includes(action)) return sendHtml(res, 400, errorPage(`Unknown action ${String(action)}.`));
    const redirectUrl = act(paymentID, action);
    if (redirectUrl === null) return sendHtml(res, 200, lostCallbackPage(payment));
    send(res, 303, '', { location: redirectUrl });
  };

  const control = async (path: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && path === '/__control/state') return sendJson(res, 200, { scenario: scenario.describe(), ...model.snapshot(), ipn: ipn.snapshot() });
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'Method Not Allowed' });
    const body = parseJsonObject(await readBody(req));
    if (!body) throw new BadRequest('body must be a JSON object');
    if (path === '/__control/reset') {
      simulator.resetNow();
      return send(res, 204, '', {});
    }
    if (path === '/__control/scenario') {
      simulator.setScenario(body);
      return send(res, 204, '', {});
    }
    if (path === '/__control/webhook') {
      if (typeof body.url !== 'string' || !URL.canParse(body.url)) throw new BadRequest('url must be an absolute URL');
      return sendJson(res, 200, await ipn.subscribe(body.url));
    }
    if (path === '/__control/ipn') {
      const payment = typeof body.paymentID === 'string' ? model.payment(body.paymentID) : undefined;
      if (!payment) throw new SimulatorError(404, `no payment ${String(body.paymentID)}`);
      const deliveries = await ipn.notify(payment, { forge: body.forge === true, overrides: (body.overrides ?? {}) as IpnOverrides });
      if (!deliveries) throw new SimulatorError(409, 'no confirmed IPN subscription: POST /__control/webhook first');
      return sendJson(res, 200, { deliveries });
    }
    const buyer = /^\/__control\/buyer\/([^/]+)$/.exec(path);
    if (buyer?.[1]) {
      const action = body.action as BuyerAction;
      if (!ACTIONS.includes(action)) throw new BadRequest(`action must be one of ${ACTIONS.join(', ')}`);
      return sendJson(res, 200, { redirectUrl: act(decodeURIComponent(buyer[1]), action) });
    }
    sendJson(res, 404, { message: 'Not Found' });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    try {
      const endpoint = req.method === 'POST' ? endpoints[path] : undefined;
      if (endpoint) return await protocol(endpoint, req, res);
      const page = /^\/checkout\/([^/]+)$/.exec(path);
      if (page?.[1] && (req.method === 'GET' || req.method === 'POST')) return await payerPageRoute(decodeURIComponent(page[1]), req, res);
      if (path.startsWith('/__control/')) return await control(path, req, res);
      if (req.method === 'GET' && (path === CERTIFICATE_PATH || path === CONFIRM_PATH)) return sns(path, req, res);
      sendJson(res, 404, { message: 'Not Found' });
    } catch (error) {
      if (error instanceof SimulatorError) return sendJson(res, error.status, { message: error.message });
      if (error instanceof BadRequest) return sendJson(res, 400, { message: error.message });
      sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
    }
  };

  const server = createServer((req, res) => {
    void route(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${urlHost}:${port}`;

  const simulator = {
    url,
    // The IPN settings make the merchant trust this simulator's SNS certificate (a loopback origin only).
    secret: { baseUrl: url, ...SIMULATOR_CREDENTIALS, ipnTopicArn: IPN_TOPIC_ARN, ipnCertificateOrigin: url },
    setScenario(input: Record<string, unknown>): void {
      const { mode, delayMs, times } = input;
      if (!MODES.includes(mode as SimulatorMode)) throw new BadRequest(`mode must be one of ${MODES.join(', ')}`);
      if (delayMs !== undefined && (typeof delayMs !== 'number' || delayMs < 0)) throw new BadRequest('delayMs must be a non-negative number');
      if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1)) throw new BadRequest('times must be a positive integer');
      scenario.set({
        mode: mode as SimulatorMode,
        ...(typeof delayMs === 'number' ? { delayMs } : {}),
        ...(typeof times === 'number' ? { times } : {}),
      });
    },
    resetNow(): void {
      model.reset();
      scenario.reset();
      ipn.reset();
    },
    async scenario(next: SimulatorScenario): Promise<void> {
      simulator.setScenario({ ...next });
    },
    async reset(): Promise<void> {
      simulator.resetNow();
    },
    async buyer(gatewayReference: string, action: BuyerAction): Promise<{ redirectUrl: string | null }> {
      return { redirectUrl: act(gatewayReference, action) };
    },
    subscribeWebhook: (endpoint: string) => ipn.subscribe(endpoint),
    stop: async () => {
      await ipn.settled();
      await new Promise<void>((resolve) => {
        cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return simulator;
}
