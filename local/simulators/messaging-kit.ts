import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBoundedBody } from '../http-body';
import type { CommonSimulatorMode, ProviderSimulator, SimulatorScenario } from './contracts';
import { cancellableDelays } from './delays';

/*
 * The plumbing every messaging simulator shares (Twilio, SSL Wireless, eSMS, Zalo, HiFPT): the HTTP server, the
 * control API of ../contracts.ts, fault modes, an inbox of what was sent (GET /__inbox in a browser, GET
 * /__control/state as JSON) and delivery receipts sent back the way the provider does (asynchronously, retried).
 * Each provider file holds only its protocol.
 */

/**
 * Modes of a messaging simulator, besides the common ones:
 * - `bounce`: the next `times` (default: every) accepted messages are reported undelivered in their receipt;
 * - `invalid-number`: the next `times` (default: every) sends are refused with the provider's invalid-number error.
 */
export type MessagingMode = CommonSimulatorMode | 'bounce' | 'invalid-number';
const MODES: readonly MessagingMode[] = ['normal', 'down', 'slow', 'flaky', 'bounce', 'invalid-number'];
const DEFAULT_DELAY_MS = 6_000;
const MAX_BODY_BYTES = 256 * 1024;
const RECEIPT_RETRIES = 4;
const RECEIPT_RETRY_DELAY_MS = 200;

/** One message the provider accepted. */
export interface InboxMessage {
  readonly id: string;
  readonly at: string;
  readonly to: string;
  readonly text: string;
  readonly [field: string]: unknown;
}

/** A protocol request as a provider file sees it. */
export interface ProtocolCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ProtocolAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
}

/** What the kit offers a provider's protocol handler. */
export interface MessagingSimulatorTools {
  /** What happens to the send being handled: delivered, bounced later, or refused as an invalid number now. */
  fate(): 'deliver' | 'bounce' | 'invalid-number';
  /** Keeps an accepted message in the inbox. */
  accept(message: InboxMessage): void;
  /** Sends a receipt soon (after this answer), retried a few times when our webhook does not answer 2xx. */
  sendReceipt(url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): void;
  readonly baseUrl: () => string;
}

export interface MessagingProtocol {
  /** Answers one protocol request (every path outside /__control and /__inbox). */
  handle(call: ProtocolCall, tools: MessagingSimulatorTools): Promise<ProtocolAnswer> | ProtocolAnswer;
  /** Clears the provider's own state (tokens, dedupe keys) on reset. */
  reset?(): void;
  /** A provider's own control endpoint (`POST /__control/<what>`, JSON body); returns false when it has none by that name. */
  control?(what: string, body: Record<string, unknown>): boolean;
}

export interface MessagingSimulator extends ProviderSimulator<MessagingMode> {
  /** What was sent, oldest first. */
  inbox(): Promise<InboxMessage[]>;
}

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Starts a messaging simulator speaking `protocol`; `secretOf(baseUrl)` is the adapter's config for it. */
export const startMessagingSimulator = async (
  name: string,
  protocol: MessagingProtocol,
  secretOf: (baseUrl: string) => Record<string, string>,
  options: { host?: string; port?: number } = {},
): Promise<MessagingSimulator> => {
  let scenario: SimulatorScenario<MessagingMode> = { mode: 'normal' };
  let remaining = Number.POSITIVE_INFINITY;
  let baseUrl = '';
  const inbox: InboxMessage[] = [];
  const receipts: Array<{ url: string; status: number | string; at: string }> = [];
  const { delay: later, cancelAll } = cancellableDelays();

  const setScenario = (next: SimulatorScenario<MessagingMode>) => {
    if (!MODES.includes(next.mode)) throw new ControlError(400, `unknown mode ${String(next.mode)}; one of ${MODES.join(', ')}`);
    scenario = next;
    remaining = next.times ?? (next.mode === 'flaky' ? 1 : Number.POSITIVE_INFINITY);
  };
  const resetAll = () => {
    inbox.length = 0;
    receipts.length = 0;
    protocol.reset?.();
    setScenario({ mode: 'normal' });
  };

  const tools: MessagingSimulatorTools = {
    fate() {
      if ((scenario.mode === 'bounce' || scenario.mode === 'invalid-number') && remaining > 0) {
        remaining -= 1;
        return scenario.mode;
      }
      return 'deliver';
    },
    accept: (message) => void inbox.push(message),
    sendReceipt(url, init) {
      void (async () => {
        await later(20);
        for (let attempt = 0; attempt <= RECEIPT_RETRIES; attempt += 1) {
          try {
            const response = await fetch(url, init);
            receipts.push({ url, status: response.status, at: new Date().toISOString() });
            if (response.ok) return;
          } catch (error) {
            receipts.push({ url, status: (error as Error).message, at: new Date().toISOString() });
          }
          await later(RECEIPT_RETRY_DELAY_MS * 2 ** attempt);
        }
      })();
    },
    baseUrl: () => baseUrl,
  };

  const reply = (response: ServerResponse, status: number, body?: unknown, contentType = 'application/json') => {
    if (response.headersSent) return;
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, body === undefined ? {} : { 'content-type': `${contentType}; charset=utf-8` });
    response.end(text);
  };

  const control = async (request: IncomingMessage, response: ServerResponse, what: string, body: string) => {
    if (request.method === 'GET' && what === 'state') {
      return reply(response, 200, { scenario, remaining: Number.isFinite(remaining) ? remaining : null, messages: inbox, receipts });
    }
    if (request.method !== 'POST') throw new ControlError(405, 'method not allowed');
    if (what === 'scenario') {
      const parsed = JSON.parse(body || '{}') as { mode?: MessagingMode; delayMs?: number; times?: number };
      setScenario({ mode: parsed.mode as MessagingMode, delayMs: parsed.delayMs, times: parsed.times });
      return reply(response, 204);
    }
    if (what === 'reset') {
      resetAll();
      return reply(response, 204);
    }
    if (protocol.control?.(what, JSON.parse(body || '{}') as Record<string, unknown>)) return reply(response, 204);
    throw new ControlError(404, `no control endpoint ${what}`);
  };

  const inboxPage = () =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${name} inbox</title></head><body style="font-family:sans-serif">` +
    `<h1>${name}: messages sent (${inbox.length})</h1><table>` +
    [...inbox].reverse().map((m) => `<tr><td>${escape(m.at)}</td><td>${escape(m.to)}</td><td>${escape(m.text)}</td></tr>`).join('') +
    '</table></body></html>';

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const route = async () => {
      const body = (await readBoundedBody(request, MAX_BODY_BYTES, () => new ControlError(413, 'body too large'))).toString('utf8');
      if (url.pathname.startsWith('/__control/')) return control(request, response, url.pathname.slice('/__control/'.length), body);
      if (url.pathname === '/__inbox') return reply(response, 200, inboxPage(), 'text/html');
      if (scenario.mode === 'down') return reply(response, 503, '<html><body>503 Service Unavailable</body></html>', 'text/html');
      if (scenario.mode === 'flaky' && remaining > 0) {
        remaining -= 1;
        return reply(response, 502, '<html><body>502 Bad Gateway</body></html>', 'text/html');
      }
      if (scenario.mode === 'slow') await later(scenario.delayMs ?? DEFAULT_DELAY_MS);
      const answer = await protocol.handle({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, body }, tools);
      reply(response, answer.status, answer.body, answer.contentType);
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
  baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url: baseUrl,
    secret: secretOf(baseUrl),
    scenario: async (next) => setScenario(next),
    reset: async () => resetAll(),
    inbox: async () => [...inbox],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        cancelAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};

/** The simulator's own clock for receipts' timestamps. */
export const nowIso = (): string => new Date().toISOString();

/** A provider id of `prefix` + 32 hex characters. */
export const providerId = (prefix: string): string => `${prefix}${crypto.randomUUID().replace(/-/g, '')}`;
