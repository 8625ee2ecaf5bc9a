/**
 * The one conformance suite every Carrier adapter passes against its simulator, with no carrier-specific skips. An
 * adapter's contract test is a single call: `carrierContract('ghn', async () => ({ carrier, simulator, destination, phone }))`.
 *
 * What the suite takes as the contract (beyond the TSDoc of Carrier):
 * - a quote is a positive amount with a delivery date from today on; a booking starts `label_created` and tracking
 *   it names the same parcel; after the simulator moves the parcel on, tracking says so (in the carrier's own status at least);
 * - findBooking finds a booking by our reference, or says null when the carrier has no such lookup; it never finds
 *   another parcel; an unknown reference is undefined (or null);
 * - a parcel the carrier refuses (`reject-address`) is ProviderTerminalError with `details.provider === carrier.id`;
 *   a carrier that is down makes quote and track ProviderRetryableError and book Retryable or Indeterminate, never a
 *   booking;
 * - cancel: a booked parcel is cancelled at the carrier (tracking then says cancelled, and a repeat answers cancelled
 *   again), or the carrier says it has no cancel API (`unsupported`, with no call made, so even when it is down); a
 *   parcel the carrier already has is refused with ProviderTerminalError; a carrier that is down is retryable;
 * - the carrier's own webhook for a parcel reads as a tracking notice naming it; a forged one (wrong secret, broken
 *   signature, or unsigned) is refused with UnauthorizedError or carries no snapshot (so the caller re-fetches).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError, UnauthorizedError } from '../../../functions/_platform/errors';
import { money } from '../../../functions/_platform/money';
import type { Destination } from '../../../functions/shipping/domain/model';
import type { BookingRequest, Carrier, WebhookRequest } from '../../../functions/shipping/domain/ports';
import type { CarrierSimulator } from '../../../local/simulators/carrier/kit';

import { rejectionOf } from '../payments/payment-gateway.contract';

export { contractHttpClient } from '../payments/payment-gateway.contract';

export interface CarrierUnderTest {
  carrier: Carrier;
  simulator: CarrierSimulator;
  /** A destination the carrier serves. */
  destination: Destination;
  /** A recipient phone (E.164) of that country. */
  phone: string;
}

/** Receives webhooks like our API would: records each request and answers 200. */
const webhookReceiver = async () => {
  const received: WebhookRequest[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/webhooks/carrier`, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

export const carrierContract = (name: string, setup: () => Promise<CarrierUnderTest>, teardown?: () => Promise<void>): void =>
  describe(`${name} satisfies Carrier`, () => {
    let under: CarrierUnderTest;
    let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
    let sequence = 0;

    beforeAll(async () => {
      under = await setup();
      receiver = await webhookReceiver();
    });
    afterAll(async () => {
      await receiver.stop();
      await teardown?.();
    });
    beforeEach(async () => {
      await under.simulator.reset();
      await under.simulator.setWebhookUrl(receiver.url);
    });

    const parcel = { weightGrams: 1_450, dimensionsCm: { l: 32, w: 26, h: 6 } };
    const aBooking = (): BookingRequest => {
      sequence += 1;
      const reference = `shp_contract${Date.now().toString(36)}${String(sequence).padStart(4, '0')}_1`;
      return {
        reference,
        orderId: `ord_contract${sequence}`,
        serviceLevel: 'standard',
        parcel,
        recipient: { name: 'Rahim Uddin', phone: under.phone, address: under.destination },
        cashOnDelivery: money(0, 'BDT'),
        description: '2 x Cotton T-shirt',
      };
    };
    const today = () => new Date().toISOString().slice(0, 10);

    it('quotes a positive price with a delivery date from today on', async () => {
      const rate = await under.carrier.quote({ destination: under.destination, parcel, serviceLevel: 'standard' }, {});
      expect(rate).toMatchObject({ carrier: under.carrier.id, serviceLevel: 'standard' });
      expect(rate.amount.value).toBeGreaterThan(0);
      expect(rate.estimatedDeliveryDate >= today()).toBe(true);
    });

    it('books a parcel that starts label_created and tracks it by the booking', async () => {
      const booking = await under.carrier.book(aBooking(), {});
      expect(booking.status).toBe('label_created');
      expect(booking.trackingNumber).not.toBe('');
      const snapshot = await under.carrier.track(booking, {});
      expect(snapshot).toMatchObject({ trackingNumber: booking.trackingNumber, status: 'label_created' });
    });

    it('tracks the parcel moving on, and delivered at the end', async () => {
      const booking = await under.carrier.book(aBooking(), {});
      const code = under.simulator.parcels().find((each) => each.trackingNumber === booking.trackingNumber || each.reference === booking.carrierReference)!.trackingNumber;
      await under.simulator.advance(code);
      expect((await under.carrier.track(booking, {})).carrierStatus.toLowerCase()).not.toBe(booking.carrierStatus.toLowerCase());
      await under.simulator.advance(code, 'delivered');
      expect(await under.carrier.track(booking, {})).toMatchObject({ status: 'delivered', carrierStatus: 'delivered' });
    });

    it('finds a booking by our reference, or says it cannot (null); an unknown reference is not found', async () => {
      const request = aBooking();
      const booking = await under.carrier.book(request, {});
      const found = await under.carrier.findBooking(request.reference, {});
      if (found !== null) expect([booking.trackingNumber, request.reference]).toContain(found?.trackingNumber);
      expect(await under.carrier.findBooking(`${request.reference}x`, {})).toBeFalsy();
    });

    it('refuses a parcel it cannot deliver for good (ProviderTerminalError naming the carrier)', async () => {
      await under.simulator.scenario({ mode: 'reject-address', times: 1 });
      const error = await rejectionOf(under.carrier.book(aBooking(), {}));
      expect(error).toBeInstanceOf(ProviderTerminalError);
      expect((error as ProviderTerminalError).details.provider).toBe(under.carrier.id);
    });

    it('when down: quote and track are retryable failures, and book never returns a booking', async () => {
      const booking = await under.carrier.book(aBooking(), {});
      await under.simulator.scenario({ mode: 'down' });
      const request = { destination: under.destination, parcel, serviceLevel: 'standard' as const };
      // A carrier whose price is a local rate card (Steadfast) answers quotes even then.
      const quoted = await under.carrier.quote(request, {}).then(() => undefined, (error: unknown) => error);
      if (quoted !== undefined) expect(quoted).toBeInstanceOf(ProviderRetryableError);
      expect(await rejectionOf(under.carrier.track(booking, {}))).toBeInstanceOf(ProviderRetryableError);
      const failed = await rejectionOf(under.carrier.book(aBooking(), {}));
      expect(failed instanceof ProviderRetryableError || failed instanceof ProviderIndeterminateError).toBe(true);
    });

    it('cancels a booked parcel (safe to repeat), or says it has no cancel API', async () => {
      const booking = await under.carrier.book(aBooking(), {});
      const outcome = await under.carrier.cancel(booking, {});
      if (outcome.kind === 'unsupported') {
        expect(outcome.reason).toMatch(/cancel/);
        await under.simulator.scenario({ mode: 'down' });
        expect(await under.carrier.cancel(booking, {})).toEqual(outcome);
        return;
      }
      expect(outcome.carrierStatus).not.toBe('');
      expect(await under.carrier.track(booking, {})).toMatchObject({ status: 'cancelled' });
      expect(await under.carrier.cancel(booking, {})).toMatchObject({ kind: 'cancelled' });
    });

    it('refuses to cancel a parcel it already has (terminal), and is retryable when down', async () => {
      const booking = await under.carrier.book(aBooking(), {});
      const code = under.simulator.parcels().at(-1)!.trackingNumber;
      await under.simulator.scenario({ mode: 'down' });
      const down = await under.carrier.cancel(booking, {}).then((outcome) => outcome, (error: unknown) => error);
      if (!(down instanceof Error)) {
        expect(down).toMatchObject({ kind: 'unsupported' });
        return;
      }
      expect(down).toBeInstanceOf(ProviderRetryableError);
      await under.simulator.scenario({ mode: 'normal' });
      await under.simulator.advance(code, 'delivered');
      const refusal = await rejectionOf(under.carrier.cancel(booking, {}));
      expect(refusal).toBeInstanceOf(ProviderTerminalError);
      expect((refusal as ProviderTerminalError).details.provider).toBe(under.carrier.id);
    });

    it('reads its own webhook as a tracking notice about the parcel', async () => {
      const booking = await under.carrier.book(aBooking(), {});
      const code = under.simulator.parcels().at(-1)!.trackingNumber;
      const moved = await under.simulator.advance(code);
      expect(moved.webhook).toEqual({ status: 200 });
      const notice = await under.carrier.readWebhook(receiver.received.at(-1)!);
      expect(notice.kind).toBe('tracking');
      if (notice.kind !== 'tracking') return;
      const names = 'trackingNumber' in notice.parcel ? notice.parcel.trackingNumber : notice.parcel.reference;
      expect([booking.trackingNumber, booking.carrierReference]).toContain(names);
      if (notice.snapshot) expect(notice.snapshot.status).not.toBe('label_created');
      expect(under.carrier.webhookReply(notice).status).toBeLessThan(300);
    });

    it('never believes a forged webhook: refused, or a hint without a snapshot', async () => {
      await under.carrier.book(aBooking(), {});
      await under.simulator.advance(under.simulator.parcels().at(-1)!.trackingNumber);
      const genuine = receiver.received.at(-1)!;
      const forged: WebhookRequest = {
        headers: Object.fromEntries(Object.entries(genuine.headers).map(([header, value]) => [header, /signature|authorization/i.test(header) ? `${value}x` : value])),
        body: genuine.body.replace(/"(delivered|in_transit|pending|picked|pre_transit|ready_to_pick|picking)"/, '"delivered"'),
      };
      const outcome = await under.carrier.readWebhook(forged).then((notice) => notice, (error: unknown) => error);
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(UnauthorizedError);
      else expect(outcome).not.toHaveProperty('snapshot');
    });
  });
