import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuyerAction, PaymentSimulator, SimulatorMode, SimulatorScenario } from '../contracts';
import { checkoutPage, duplicateCallbackPage, lostCallbackPage, notPayablePage } from './page';
import { generateNagadKeys, MERCHANT, NagadError, NagadGatewayState } from './protocol';
import { readBoundedBody } from '../../http-body';
import { cancellableDelays } from '../delays';

/*
 * A local Nagad: the merchant API under `/api/dfs/` (initialize, complete, verify, purchase cancel), the hosted
 * checkout page under `/check-out/{paymentRefId}` (the path of Nagad's own page in sandbox callBackUrls [lib]), and
 * the control API of local/simulators/contracts.ts under
 * `/__control/`. Plain node:http, state in memory. Facts tagged [weak] in providers/payments.md §2 are marked [weak]
 * in protocol.ts, which holds the protocol; this file holds the scenarios and the HTTP plumbing.
 */

const MODES: readonly SimulatorMode[] = ['normal', 'decline', 'down', 'slow', 'flaky', 'lose-callback', 'duplicate-callback', 'timeout-then-complete'];
const ACTIONS: readonly BuyerAction[] = ['approve', 'cancel', 'insufficient-balance', 'wrong-pin'];
/** Past the HTTP client's normal 5 s timeout, when a scenario gives no delay. */
const DEFAULT_DELAY_MS = 6_000;
const MAX_BODY_BYTES = 64 * 1024;
/**
 * The calls `timeout-then-complete` delays: Nagad's money flow as the merchant drives it. Nagad has no capture call,
 * so a merchant confirms a payment with verify; complete and cancel are the other two.
 */
const MONEY_FLOW = new Set(['complete', 'verify', 'cancel']);

export interface NagadSimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

/** A control API or page request the simulator refuses, with the HTTP status to answer. */
class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const readBody = async (request: IncomingMessage): Promise<string> =>
  (await readBoundedBody(request, MAX_BODY_BYTES, () => new ControlError(413, 'body too large'))).toString('utf8');

const parseJsonBody = (text: string): unknown => {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const reply = (response: ServerResponse, status: number, body?: unknown, contentType = 'application/json'): void => {
  if (response.destroyed || response.headersSent) return;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, body === undefined ? {} : { 'content-type': `${contentType}; charset=utf-8` });
  response.end(text);
};

/** Starts a Nagad simulator with fresh PG and merchant key pairs; its `secret` is the adapter's config for it. */
export const startNagadSimulator = async (options: NagadSimulatorOptions = {}): Promise<PaymentSimulator> => {
  const keys = await generateNagadKeys();
  const { delay, cancelAll } = cancellableDelays();
  let scenario: SimulatorScenario = { mode: 'normal' };
  /** Calls or payments the current scenario still affects (`flaky`, `decline`). */
  let remaining = Number.POSITIVE_INFINITY;
  let baseUrl = '';

  const state = new NagadGatewayState(keys, (paymentRefId) => `${baseUrl}/check-out/${encodeURIComponent(paymentRefId)}`);

  const setScenario = (next: SimulatorScenario): void => {
    if (!MODES.includes(next.mode)) throw new ControlError(400, `unknown mode ${String(next.mode)}; one of ${MODES.join(', ')}`);
    scenario = next;
    remaining = next.times ?? (next.mode === 'flaky' ? 1 : Number.POSITIVE_INFINITY);
  };
  const resetAll = (): void => {
    state.reset();
    setScenario({ mode: 'normal' });
  };

  /** What the page's POST does; null when the scenario loses the callback. */
  const buyerActs = (paymentRefId: string, action: BuyerAction): { redirectUrl: string | null } => {
    if (!ACTIONS.includes(action)) throw new ControlError(400, `unknown action ${String(action)}; one of ${ACTIONS.join(', ')}`);
    const declined = scenario.mode === 'decline' && action === 'approve' && remaining > 0;
    let redirectUrl: string;
    try {
      redirectUrl = state.act(paymentRefId, action, declined);
    } catch (error) {
      if (error instanceof NagadError) throw new ControlError(409, error.devMessage);
      throw error;
    }
    if (declined) remaining -= 1;
    return { redirectUrl: scenario.mode === 'lose-callback' ? null : redirectUrl };
  };

  const protocol = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const { mode } = scenario;
    if (mode === 'down') return reply(response, 503, '<html><body>503 Service Unavailable</body></html>', 'text/html');
    if (mode === 'flaky' && remaining > 0) {
      remaining -= 1;
      return reply(response, 502, '<html><body>502 Bad Gateway</body></html>', 'text/html');
    }
    const call = {
      method: request.method ?? 'GET',
      segments: url.pathname.split('/').slice(3).filter(Boolean).map(decodeURIComponent),
      query: url.searchParams,
      headers: request.headers,
      body: parseJsonBody(await readBody(request)),
    };
    const delayMs = scenario.delayMs ?? DEFAULT_DELAY_MS;
    if (mode === 'slow') await delay(delayMs);
    // timeout-then-complete: the next money-flow call takes effect now and is answered only after the delay.
    const late = mode === 'timeout-then-complete' && MONEY_FLOW.has(NagadGatewayState.operationOf(call) ?? '');
    if (late) setScenario({ mode: 'normal' });
    const answer = state.handle(call);
    if (late) await delay(delayMs);
    reply(response, answer.status, answer.body);
  };

  const page = async (request: IncomingMessage, response: ServerResponse, paymentRefId: string): Promise<void> => {
    if (request.method === 'GET') {
      const payment = state.payable(paymentRefId);
      return payment ? reply(response, 200, checkoutPage(payment, MERCHANT.id), 'text/html') : reply(response, 404, notPayablePage(paymentRefId), 'text/html');
    }
    if (request.method !== 'POST') return reply(response, 405, { error: 'method not allowed' });
    const action = new URLSearchParams(await readBody(request)).get('action') as BuyerAction;
    let redirectUrl: string | null;
    try {
      ({ redirectUrl } = buyerActs(paymentRefId, action));
    } catch (error) {
      if (error instanceof ControlError) return reply(response, error.status, notPayablePage(paymentRefId), 'text/html');
      throw error;
    }
    if (redirectUrl === null) return reply(response, 200, lostCallbackPage(), 'text/html');
    if (scenario.mode === 'duplicate-callback') return reply(response, 200, duplicateCallbackPage(redirectUrl), 'text/html');
    response.writeHead(303, { location: redirectUrl });
    response.end();
  };

  const control = async (request: IncomingMessage, response: ServerResponse, path: string[]): Promise<void> => {
    const [what, reference] = path;
    if (request.method === 'GET' && what === 'state' && path.length === 1) {
      return reply(response, 200, {
        scenario,
        remaining: Number.isFinite(remaining) ? remaining : null,
        ledger: state.ledger,
        payments: [...state.payments.values()],
      });
    }
    if (request.method !== 'POST') throw new ControlError(405, 'method not allowed');
    const body = parseJsonBody(await readBody(request)) as Record<string, unknown> | undefined;
    if (what === 'scenario' && path.length === 1) {
      setScenario({
        mode: body?.mode as SimulatorMode,
        delayMs: typeof body?.delayMs === 'number' ? body.delayMs : undefined,
        times: typeof body?.times === 'number' ? body.times : undefined,
      });
      return reply(response, 204);
    }
    if (what === 'reset' && path.length === 1) {
      resetAll();
      return reply(response, 204);
    }
    if (what === 'buyer' && reference && path.length === 2) return reply(response, 200, buyerActs(reference, body?.action as BuyerAction));
    throw new ControlError(404, `no control endpoint ${path.join('/')}`);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname.split('/').filter(Boolean);
    const route = async (): Promise<void> => {
      if (path[0] === 'api' && path[1] === 'dfs') return protocol(request, response, url);
      if (path[0] === 'check-out' && path.length === 2) return page(request, response, decodeURIComponent(path[1]));
      if (path[0] === '__control') return control(request, response, path.slice(1).map(decodeURIComponent));
      reply(response, 404, { error: `no route ${url.pathname}` });
    };
    route().catch((error: unknown) => {
      if (error instanceof ControlError) reply(response, error.status, { error: error.message });
      else reply(response, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    secret: {
      baseUrl,
      merchantId: MERCHANT.id,
      merchantAccount: MERCHANT.account,
      merchantPrivateKey: keys.merchantPrivatePem,
      pgPublicKey: keys.pgPublicPem,
      merchantIp: MERCHANT.ip,
    },
    scenario: async (next) => setScenario(next),
    reset: async () => resetAll(),
    buyer: async (gatewayReference, action) => buyerActs(gatewayReference, action),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        cancelAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
