import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBoundedBody } from '../../http-body';
import type { CommonSimulatorMode, ProviderSimulator, SimulatorScenario } from '../contracts';
import { cancellableDelays } from '../delays';

/*
 * What the four carrier simulators (GHN, Pathao, Steadfast, EasyPost) share: the HTTP plumbing, the fault scenarios,
 * the parcels and their progress, the webhook sender and the control API of local/simulators/contracts.ts plus:
 *   POST /__control/webhook                        {"url": string}       → 204: where the carrier sends webhooks (its portal setting)
 *   POST /__control/shipments/{trackingNumber}/advance {"status"?: string, "lose"?: true} → 200 {parcel, webhook: {status} | null}
 *        (`lose`: the parcel moves but its webhook is lost, for polling to find)
 * Each carrier's own file holds its protocol: paths, auth, wire shapes, status codes and how it sends a webhook.
 */

/** Carrier modes: the common ones, plus `reject-address` (the next bookings are refused as undeliverable). */
export type CarrierSimulatorMode = CommonSimulatorMode | 'reject-address';
const MODES: readonly CarrierSimulatorMode[] = ['normal', 'down', 'slow', 'flaky', 'reject-address'];
/** Past the carrier clients' normal 5 s timeout, when a scenario gives no delay. */
const DEFAULT_DELAY_MS = 6_000;
const MAX_BODY_BYTES = 256 * 1024;

/** A parcel as a carrier simulator keeps it; `carrierStatus` is the carrier's own code. */
export interface SimulatedParcel {
  trackingNumber: string;
  /** Our reference (client order code, invoice, merchant order id). */
  reference: string;
  /** The carrier's own other id (Steadfast consignment id, EasyPost shipment id), when it has one. */
  carrierId?: string;
  carrierStatus: string;
  history: Array<{ status: string; at: string }>;
  createdAt: string;
  updatedAt: string;
  /** YYYY-MM-DD. */
  estimatedDelivery: string;
  fee: number;
  /** What the carrier was sent, for tests (`GET /__control/state`). */
  request: Record<string, unknown>;
}

/** One protocol request, with the body both raw and as JSON (undefined when not JSON). */
export interface ProtocolCall {
  method: string;
  /** Path segments after the carrier's prefix. */
  path: string[];
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  json: Record<string, unknown> | undefined;
}

export interface ProtocolAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the kit hands a protocol: the parcels and the current scenario's one-shot faults. */
export interface CarrierState {
  readonly parcels: Map<string, SimulatedParcel>;
  /** True (once per booking, for `times` bookings) when the scenario refuses addresses. */
  takeAddressRejection(): boolean;
  now(): Date;
}

/** A carrier's protocol, plugged into the kit. */
export interface CarrierProtocol {
  /** The first path segments of the carrier's API (`['shiip', 'public-api']`). */
  readonly prefix: readonly string[];
  /** The credentials the simulator accepts, as the carrier's secret holds them (adapter config shape without baseUrl). */
  readonly secret: Readonly<Record<string, string>>;
  /** The carrier's statuses in delivery order, from booked to delivered: what `advance` walks through. */
  readonly progression: readonly string[];
  handle(call: ProtocolCall, state: CarrierState): ProtocolAnswer | Promise<ProtocolAnswer>;
  /** The webhook the carrier sends after `parcel` moved from `previous`, or null when it sends none for that status. */
  webhook(parcel: SimulatedParcel, previous: string): { headers: Record<string, string>; body: string } | null;
}

/** A running carrier simulator. */
export interface CarrierSimulator extends ProviderSimulator<CarrierSimulatorMode> {
  /** Sets where webhooks go (the carrier portal's webhook URL). */
  setWebhookUrl(url: string | undefined): Promise<void>;
  /**
   * Moves a parcel to `status` (default: its next status) and sends the carrier's webhook, unless `lose` (a webhook
   * lost on the way); resolves with the reply status.
   */
  advance(trackingNumber: string, status?: string, lose?: boolean): Promise<{ parcel: SimulatedParcel; webhook: { status: number } | null }>;
  /** The parcels the carrier holds. */
  parcels(): SimulatedParcel[];
}

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const reply = (response: ServerResponse, answer: ProtocolAnswer): void => {
  if (response.destroyed || response.headersSent) return;
  const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const type = typeof answer.body === 'string' ? 'text/html' : 'application/json';
  response.writeHead(answer.status, { ...(answer.body === undefined ? {} : { 'content-type': `${type}; charset=utf-8` }), ...answer.headers });
  response.end(text);
};

const parseJson = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** The day `days` after `from`, as YYYY-MM-DD (UTC). */
export const dayAfter = (from: Date, days: number): string => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** Starts a carrier simulator speaking `protocol` on `port` (0: a free one). */
export const startCarrierSimulator = async (protocol: CarrierProtocol, options: { host?: string; port?: number } = {}): Promise<CarrierSimulator> => {
  const parcels = new Map<string, SimulatedParcel>();
  const { delay, cancelAll } = cancellableDelays();
  let scenario: SimulatorScenario<CarrierSimulatorMode> = { mode: 'normal' };
  let remaining = Number.POSITIVE_INFINITY;
  let webhookUrl: string | undefined;
  const deliveries: Array<{ trackingNumber: string; status: string; answered: number }> = [];

  const setScenario = (next: SimulatorScenario<CarrierSimulatorMode>): void => {
    if (!MODES.includes(next.mode)) throw new ControlError(400, `unknown mode ${String(next.mode)}; one of ${MODES.join(', ')}`);
    scenario = next;
    remaining = next.times ?? (next.mode === 'flaky' ? 1 : Number.POSITIVE_INFINITY);
  };
  const resetAll = (): void => {
    parcels.clear();
    deliveries.length = 0;
    setScenario({ mode: 'normal' });
  };

  const state: CarrierState = {
    parcels,
    now: () => new Date(),
    takeAddressRejection: () => {
      if (scenario.mode !== 'reject-address' || remaining <= 0) return false;
      remaining -= 1;
      return true;
    },
  };

  const advance = async (trackingNumber: string, status?: string, lose = false) => {
    const parcel = parcels.get(trackingNumber);
    if (!parcel) throw new ControlError(404, `no parcel ${trackingNumber}`);
    const next = status ?? protocol.progression[protocol.progression.indexOf(parcel.carrierStatus) + 1];
    if (!next) throw new ControlError(409, `parcel ${trackingNumber} is ${parcel.carrierStatus}; give the status to move it to`);
    const previous = parcel.carrierStatus;
    moveParcel(state, parcel, next);
    const hook = protocol.webhook(parcel, previous);
    if (!hook || !webhookUrl || lose) return { parcel, webhook: null };
    const answer = await fetch(webhookUrl, { method: 'POST', headers: hook.headers, body: hook.body, signal: AbortSignal.timeout(10_000) });
    await answer.arrayBuffer();
    deliveries.push({ trackingNumber, status: next, answered: answer.status });
    return { parcel, webhook: { status: answer.status } };
  };

  const protocolCall = async (request: IncomingMessage, response: ServerResponse, url: URL, path: string[]): Promise<void> => {
    const rawBody = (await readBoundedBody(request, MAX_BODY_BYTES, () => new ControlError(413, 'body too large'))).toString('utf8');
    if (scenario.mode === 'down') return reply(response, { status: 503, body: '<html><body>503 Service Unavailable</body></html>' });
    if (scenario.mode === 'flaky' && remaining > 0) {
      remaining -= 1;
      return reply(response, { status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    }
    if (scenario.mode === 'slow') await delay(scenario.delayMs ?? DEFAULT_DELAY_MS);
    const call: ProtocolCall = { method: request.method ?? 'GET', path, query: url.searchParams, headers: request.headers, rawBody, json: parseJson(rawBody) };
    reply(response, await protocol.handle(call, state));
  };

  const control = async (request: IncomingMessage, response: ServerResponse, path: string[]): Promise<void> => {
    if (request.method === 'GET' && path.join('/') === 'state') {
      return reply(response, { status: 200, body: { scenario, webhookUrl: webhookUrl ?? null, parcels: [...parcels.values()], deliveries } });
    }
    if (request.method !== 'POST') throw new ControlError(405, 'method not allowed');
    const body = parseJson((await readBoundedBody(request, MAX_BODY_BYTES, () => new ControlError(413, 'body too large'))).toString('utf8'));
    if (path.join('/') === 'scenario') {
      setScenario({
        mode: body?.mode as CarrierSimulatorMode,
        delayMs: typeof body?.delayMs === 'number' ? body.delayMs : undefined,
        times: typeof body?.times === 'number' ? body.times : undefined,
      });
      return reply(response, { status: 204 });
    }
    if (path.join('/') === 'reset') {
      resetAll();
      return reply(response, { status: 204 });
    }
    if (path.join('/') === 'webhook') {
      if (typeof body?.url !== 'string' || !URL.canParse(body.url)) throw new ControlError(400, 'give {"url": "<absolute URL>"}');
      webhookUrl = body.url;
      return reply(response, { status: 204 });
    }
    if (path[0] === 'shipments' && path.length === 3 && path[2] === 'advance') {
      return reply(response, { status: 200, body: await advance(path[1], typeof body?.status === 'string' ? body.status : undefined, body?.lose === true) });
    }
    throw new ControlError(404, `no control endpoint ${path.join('/')}`);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const route = async (): Promise<void> => {
      if (path[0] === '__control') return control(request, response, path.slice(1));
      if (protocol.prefix.every((part, index) => path[index] === part)) return protocolCall(request, response, url, path.slice(protocol.prefix.length));
      reply(response, { status: 404, body: { error: `no route ${url.pathname}` } });
    };
    route().catch((error: unknown) => {
      if (error instanceof ControlError) reply(response, { status: error.status, body: { error: error.message } });
      else reply(response, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    secret: { baseUrl, ...protocol.secret },
    scenario: async (next) => setScenario(next),
    reset: async () => resetAll(),
    setWebhookUrl: async (next) => {
      webhookUrl = next;
    },
    advance,
    parcels: () => [...parcels.values()],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        cancelAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};

/** A new parcel in its carrier's first status. */
export const newParcel = (state: CarrierState, fields: Pick<SimulatedParcel, 'trackingNumber' | 'reference' | 'carrierStatus' | 'estimatedDelivery' | 'fee' | 'request'> & { carrierId?: string }): SimulatedParcel => {
  const at = state.now().toISOString();
  const parcel: SimulatedParcel = { ...fields, history: [{ status: fields.carrierStatus, at }], createdAt: at, updatedAt: at };
  state.parcels.set(parcel.trackingNumber, parcel);
  return parcel;
};

/** Moves a parcel to the carrier's `status` now, with its history. */
export const moveParcel = (state: CarrierState, parcel: SimulatedParcel, status: string): void => {
  const at = state.now().toISOString();
  parcel.carrierStatus = status;
  parcel.updatedAt = at;
  parcel.history.push({ status, at });
};

/** The parcel with our reference, if any. */
export const parcelByReference = (state: CarrierState, reference: string): SimulatedParcel | undefined =>
  [...state.parcels.values()].find((parcel) => parcel.reference === reference);

/** A random upper-case alphanumeric code of `length` characters. */
export const randomCode = (length: number): string => {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < length; i += 1) code += alphabet[Math.floor(Math.random() * alphabet.length)];
  return code;
};
