/**
 * The one conformance suite every MessageChannel adapter (e-mail, SMS, Zalo, in-app) passes against its simulator. An
 * adapter's contract test is a single call:
 *
 *   messageChannelContract('twilio', { to: '+14155550101', invalidTo: '+1', start: startTwilioSimulator, create: (sim, http, callbackUrl) => … });
 *
 * What the suite takes as the contract (beyond the TSDoc of MessageChannel):
 * - a send answers the provider's message id and `queued` or `sent`, and the provider received the message once;
 * - an address the provider refuses (its invalid-number answer) is a RecipientRejectedError, never another provider error;
 * - a provider that is down never looks like a success: ProviderRetryableError (certainly not sent) or
 *   ProviderIndeterminateError (may have been sent), and nothing reached the inbox;
 * - a provider that sends receipts reports the message's delivery to our webhook, and the adapter reads it as
 *   `delivered` for the id `send` answered; the same receipt with one byte changed is refused (UnverifiedRequestError)
 *   unless the provider's receipts are trusted by the path they arrive on (SES: its own SNS topic and our queue);
 *   a provider without receipts answers `sent` (nothing further will come).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderIndeterminateError, ProviderRetryableError } from '../../../functions/_platform/errors';
import type { HttpClient } from '../../../functions/_platform/http-client';
import { RecipientRejectedError, UnverifiedRequestError } from '../../../functions/notifications/domain/errors';
import type { MessageChannel, RawWebhook, ReceiptParser } from '../../../functions/notifications/domain/ports';
import type { MessagingSimulator } from '../../../local/simulators/messaging-kit';
import { contractHttpClient } from '../payments/payment-gateway.contract';

export interface ChannelUnderTest {
  /** A valid address for this provider (E.164 for SMS and Zalo, a platform user id in-app). */
  readonly to: string;
  /**
   * An address the provider refuses as invalid when it is sent. Absent when the provider refuses none then (SES
   * accepts any well-formed address and reports one that does not exist as a Bounce event later).
   */
  readonly invalidTo?: string;
  /** How the provider's receipts are trusted: their signature (default), or the path only it can publish on. */
  readonly receiptsTrustedBy?: 'signature' | 'path';
  readonly start: () => Promise<MessagingSimulator>;
  /** Builds the adapter for the simulator, with our webhook at `callbackUrl`; may configure the simulator (Zalo's OA webhook). */
  readonly create: (simulator: MessagingSimulator, http: HttpClient, callbackUrl: string) => Promise<MessageChannel & Partial<ReceiptParser>>;
}

/** A local webhook receiver keeping every request as RawWebhook. */
const startReceiver = async () => {
  const received: RawWebhook[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
      received.push({
        method: request.method ?? 'GET',
        url: url.toString(),
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
        query: Object.fromEntries(url.searchParams),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/receipt`, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

const waitFor = async <T>(probe: () => T | undefined, what: string): Promise<T> => {
  for (let i = 0; i < 200; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${what}`);
};

let sequence = 0;
const aMessage = (to: string) => ({
  messageId: `msg_contract${String((sequence += 1)).padStart(15, '0')}${Date.now().toString(16)}`.slice(0, 30),
  to,
  subject: 'Order confirmed',
  text: 'Order ord_1 confirmed: 2400.00 BDT paid.',
  zns: { templateId: '231001', params: { name: 'Rahim', orderId: 'ord_1', amountText: '2400.00 BDT' } },
});

export const messageChannelContract = (name: string, subject: ChannelUnderTest) =>
  describe(`${name} satisfies MessageChannel`, () => {
    let simulator: MessagingSimulator;
    let channel: MessageChannel & Partial<ReceiptParser>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      simulator = await subject.start();
      receiver = await startReceiver();
      channel = await subject.create(simulator, contractHttpClient().http, receiver.url);
    });
    beforeEach(async () => {
      await simulator.reset();
      receiver.received.length = 0;
    });
    afterAll(async () => {
      await simulator.stop();
      await receiver.stop();
    });

    it('sends a message once and answers the provider\'s id', async () => {
      const receipt = await channel.send(aMessage(subject.to));
      expect(receipt.providerMessageId).toEqual(expect.any(String));
      expect(['queued', 'sent']).toContain(receipt.status);
      expect(await simulator.inbox()).toHaveLength(1);
    });

    it('refuses an invalid address as RecipientRejectedError', async () => {
      if (subject.invalidTo) await expect(channel.send(aMessage(subject.invalidTo))).rejects.toBeInstanceOf(RecipientRejectedError);
      await simulator.scenario({ mode: 'invalid-number', times: 1 });
      await expect(channel.send(aMessage(subject.to))).rejects.toBeInstanceOf(RecipientRejectedError);
      expect(await simulator.inbox()).toHaveLength(0);
    });

    it('never reports a send to a provider that is down as a success', async () => {
      await simulator.scenario({ mode: 'down' });
      const error = await channel.send(aMessage(subject.to)).then(() => undefined, (e: unknown) => e);
      expect(error instanceof ProviderRetryableError || error instanceof ProviderIndeterminateError).toBe(true);
      expect(await simulator.inbox()).toHaveLength(0);
    });

    it('reads the provider\'s delivery receipt for the message it sent, and refuses a tampered one', async () => {
      const receipt = await channel.send(aMessage(subject.to));
      if (!channel.parse) {
        expect(receipt.status).toBe('sent');
        return;
      }
      const parse = channel.parse.bind(channel);
      const delivered = await waitFor(() => receiver.received.find((raw) => (raw.body + raw.url).includes(receipt.providerMessageId) && /deliver|SendStatus=5|received/.test(raw.body + raw.url)), 'delivery receipt');
      expect(await parse(delivered)).toEqual([expect.objectContaining({ provider: name, providerMessageId: receipt.providerMessageId, status: 'delivered' })]);
      if (subject.receiptsTrustedBy === 'path') return;
      const tampered: RawWebhook = delivered.body
        ? { ...delivered, body: delivered.body.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }
        : { ...delivered, query: { ...delivered.query, token: `${delivered.query.token ?? ''}x` } };
      await expect(parse(tampered)).rejects.toBeInstanceOf(UnverifiedRequestError);
    });
  });
