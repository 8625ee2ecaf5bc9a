/**
 * The one conformance suite every PaymentGateway adapter passes against its simulator, with no provider-specific
 * skips. An adapter's contract test is a single call:
 *
 *   paymentGatewayContract('nagad', async () => ({ gateway, simulator, returnUrl }), () => simulator.stop());
 *
 * What the suite takes as the contract (beyond the TSDoc of PaymentGateway):
 * - Amounts are BDT minor units (the gateways under test take BDT only).
 * - After the buyer approves, queryStatus says `approved` (money moves on capture) or `completed` (it moved on the
 *   gateway's page); capture then says `completed` with a transaction id, and a repeat gives the same id.
 * - Capture never moves money for a payment the buyer did not approve: before any buyer action it resolves with the
 *   gateway's view (`pending`); for a failed payment (cancelled, declined, insufficient funds) it throws
 *   ProviderTerminalError with the payment's `details.failureCode`.
 * - An unknown gateway reference, or the reference of another payment, makes queryStatus throw ProviderTerminalError
 *   (never NotFoundError, never a status): a forged return can never be believed.
 * - Every ProviderTerminalError carries `details.provider === gateway.id`.
 *
 * What the suite needs from the simulator, beyond PaymentSimulator:
 * - `GET {url}/__control/state` answers JSON with `ledger: { kind: 'debit' | 'refund'; gatewayReference: string;
 *   amountMinor: number }[]`, one entry per money movement, so "one debit" can be counted;
 * - `timeout-then-complete` applies the next money-moving call and answers only after `delayMs`.
 *
 * Adapters get their HttpClient from `contractHttpClient()`: the real resilient client, without retries, with call
 * timeouts capped to CONTRACT_TIMEOUT_MS so a simulated timeout costs a second, not a gateway's 30 s window.
 */
import {
  ProviderIndeterminateError,
  ProviderRetryableError,
  ProviderTerminalError,
  ValidationError,
} from '../../../functions/_platform/errors';
import { type HttpClient, TIMEOUT_NORMAL_MS } from '../../../functions/_platform/http-client';
import { money } from '../../../functions/_platform/money';
import type { GatewayPaymentStatus, PaymentGateway, PaymentSession, RefundRequest } from '../../../functions/payments/domain/ports';
import type { PaymentSimulator } from '../../../local/simulators/contracts';
import { platformEnv, setEnv } from '../../support/env';
import { inMemoryAuditLog } from '../../support/in-memory/audit-log';
import { inMemoryCircuitBreakerStore } from '../../support/in-memory/circuit-breaker-store';

export interface GatewayUnderTest {
  gateway: PaymentGateway;
  simulator: PaymentSimulator;
  /** The return URL our API would give the gateway for this payment. */
  returnUrl: (paymentId: string) => string;
}

/** The longest any call may take in the suite. */
export const CONTRACT_TIMEOUT_MS = 1_500;
/** How late the simulator answers in `timeout-then-complete`: well past CONTRACT_TIMEOUT_MS. */
const LATE_ANSWER_MS = 4 * CONTRACT_TIMEOUT_MS;

/**
 * The HttpClient for contract tests: the real resilient client (breaker, audit, no retries) whose call timeouts are
 * capped at CONTRACT_TIMEOUT_MS. `audit` holds every call's record.
 */
export const contractHttpClient = () => {
  // The client loads the Powertools logger, whose config is read when its module loads (a cold start).
  setEnv(platformEnv);
  const { createHttpClient } =
    require('../../../functions/_platform/resilient-http-client') as typeof import('../../../functions/_platform/resilient-http-client');
  const audit = inMemoryAuditLog();
  const client = createHttpClient({ breakers: inMemoryCircuitBreakerStore(), audit, maxRetries: 0, baseDelayMs: 1 });
  const http: HttpClient = {
    send: (request) => client.send({ ...request, timeoutMs: Math.min(request.timeoutMs ?? TIMEOUT_NORMAL_MS, CONTRACT_TIMEOUT_MS) }),
  };
  return { http, audit };
};

const AMOUNT = 123_456; // 1234.56 BDT
const bdt = (value: number) => money(value, 'BDT');

interface LedgerEntry {
  kind: 'debit' | 'refund';
  gatewayReference: string;
  amountMinor: number;
}

/** The error `promise` rejects with; fails the test when it resolves. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the call succeeded');
};

/**
 * Runs the PaymentGateway conformance suite (a `describe` block) against `setup()`'s gateway and simulator.
 * `setup` runs once before the tests, `teardown` once after; the simulator is reset before each test.
 */
export const paymentGatewayContract = (name: string, setup: () => Promise<GatewayUnderTest>, teardown?: () => Promise<void>): void =>
  describe(`${name} satisfies PaymentGateway`, () => {
    let gateway: PaymentGateway;
    let simulator: PaymentSimulator;
    let returnUrl: (paymentId: string) => string;
    let sequence = 0;

    beforeAll(async () => {
      ({ gateway, simulator, returnUrl } = await setup());
    });
    afterAll(async () => {
      await teardown?.();
    });
    beforeEach(async () => {
      await simulator.reset();
    });

    const ids = () => {
      sequence += 1;
      const suffix = `${Date.now().toString(36)}${sequence.toString().padStart(4, '0')}`;
      return { paymentId: `pay_contract${suffix}`, orderId: `ord_contract${suffix}` };
    };
    const options = (key: string) => ({ idempotencyKey: key });

    const newSession = async (amountMinor = AMOUNT) => {
      const { paymentId, orderId } = ids();
      const session = await gateway.createSession(
        { paymentId, orderId, amount: bdt(amountMinor), returnUrl: returnUrl(paymentId), buyerIp: '203.0.113.10' },
        options(`${paymentId}:session`),
      );
      return { paymentId, orderId, session, payment: { paymentId, gatewayReference: session.gatewayReference } };
    };

    /** The buyer acts on the hosted page; returns what the redirect back to us claims. */
    const buyerReturns = async (paymentId: string, session: PaymentSession, action: Parameters<PaymentSimulator['buyer']>[1]) => {
      const { redirectUrl } = await simulator.buyer(session.gatewayReference, action);
      if (redirectUrl === null) throw new Error('the simulator lost the callback outside the lose-callback scenario');
      expect(redirectUrl.startsWith(returnUrl(paymentId))).toBe(true);
      return gateway.parseReturn(Object.fromEntries(new URL(redirectUrl).searchParams));
    };

    const ledger = async (gatewayReference: string, kind: LedgerEntry['kind']): Promise<LedgerEntry[]> => {
      const response = await fetch(`${simulator.url}/__control/state`);
      const state = (await response.json()) as { ledger?: LedgerEntry[] };
      if (!Array.isArray(state.ledger)) throw new Error(`${name} simulator: GET /__control/state has no ledger[]`);
      return state.ledger.filter((entry) => entry.gatewayReference === gatewayReference && entry.kind === kind);
    };

    const capturedPayment = async () => {
      const created = await newSession();
      await buyerReturns(created.paymentId, created.session, 'approve');
      const captured = await gateway.capture(created.payment, options(`${created.paymentId}:capture`));
      if (!captured.transactionId) throw new Error('capture gave no transaction id');
      return { ...created, transactionId: captured.transactionId };
    };

    let refundSequence = 0;
    const refundOf = (paid: Awaited<ReturnType<typeof capturedPayment>>, amountMinor: number): RefundRequest => {
      refundSequence += 1;
      return {
        refundId: `ref_contract${Date.now().toString(36)}${refundSequence}`,
        paymentId: paid.paymentId,
        gatewayReference: paid.session.gatewayReference,
        transactionId: paid.transactionId,
        amount: bdt(amountMinor),
        capturedAmount: bdt(AMOUNT),
        paidAt: new Date().toISOString(),
        reason: 'contract test',
      };
    };

    const expectTerminal = (error: unknown, failureCode?: string) => {
      expect(error).toBeInstanceOf(ProviderTerminalError);
      const details = (error as ProviderTerminalError).details as Record<string, unknown>;
      expect(details.provider).toBe(gateway.id);
      if (failureCode) expect(details.failureCode).toBe(failureCode);
    };

    const expectFailed = (status: GatewayPaymentStatus, failureCode: string) => {
      expect(status.state).toBe('failed');
      expect(status.failureCode).toBe(failureCode);
    };

    describe('sessions', () => {
      it('creates a session that is pending and round-trips the amount in minor units', async () => {
        const { session, payment } = await newSession(AMOUNT);
        expect(session.gatewayReference).not.toBe('');
        expect(URL.canParse(session.redirectUrl)).toBe(true);
        const status = await gateway.queryStatus(payment, options(`${payment.paymentId}:query`));
        expect(status).toMatchObject({ state: 'pending', gatewayReference: session.gatewayReference, amount: bdt(AMOUNT) });
      });

      it('rejects a return that lacks the gateway parameters with ValidationError', () => {
        expect(() => gateway.parseReturn({})).toThrow(ValidationError);
      });
    });

    describe('a buyer who approves', () => {
      it('is captured after the return: completed with a transaction id and the amount', async () => {
        const { paymentId, session, payment } = await newSession();
        const claim = await buyerReturns(paymentId, session, 'approve');
        expect(claim).toEqual({ gatewayReference: session.gatewayReference, claimed: 'success' });

        const seen = await gateway.queryStatus({ paymentId, gatewayReference: claim.gatewayReference }, options(`${paymentId}:query`));
        expect(['approved', 'completed']).toContain(seen.state);

        const captured = await gateway.capture(payment, options(`${paymentId}:capture`));
        expect(captured).toMatchObject({ state: 'completed', gatewayReference: session.gatewayReference, amount: bdt(AMOUNT) });
        expect(captured.transactionId).toEqual(expect.any(String));
        const after = await gateway.queryStatus(payment, options(`${paymentId}:query`));
        expect(after).toMatchObject({ state: 'completed', transactionId: captured.transactionId, amount: bdt(AMOUNT) });
        expect(await ledger(session.gatewayReference, 'debit')).toEqual([expect.objectContaining({ amountMinor: AMOUNT })]);
      });

      it('debits once when the return arrives twice and capture runs for each', async () => {
        const { paymentId, session, payment } = await newSession();
        await simulator.scenario({ mode: 'duplicate-callback' });
        const { redirectUrl } = await simulator.buyer(session.gatewayReference, 'approve');
        const query = Object.fromEntries(new URL(String(redirectUrl)).searchParams);
        const claims = [gateway.parseReturn(query), gateway.parseReturn(query)];
        expect(claims[0]).toEqual(claims[1]);

        const first = await gateway.capture(payment, options(`${paymentId}:capture`));
        const second = await gateway.capture(payment, options(`${paymentId}:capture`));
        expect(first.state).toBe('completed');
        expect(second).toMatchObject({ state: 'completed', transactionId: first.transactionId });
        expect(await ledger(session.gatewayReference, 'debit')).toHaveLength(1);
      });

      it('is still found by a query when the redirect back never arrives', async () => {
        const { session, payment } = await newSession();
        await simulator.scenario({ mode: 'lose-callback' });
        expect(await simulator.buyer(session.gatewayReference, 'approve')).toEqual({ redirectUrl: null });

        const seen = await gateway.queryStatus(payment, options(`${payment.paymentId}:query`));
        expect(['approved', 'completed']).toContain(seen.state);
        expect(await gateway.capture(payment, options(`${payment.paymentId}:capture`))).toMatchObject({ state: 'completed' });
      });

      it('after a capture that timed out (applied, answered late): indeterminate, then the query says completed', async () => {
        const { paymentId, session, payment } = await newSession();
        await buyerReturns(paymentId, session, 'approve');
        await simulator.scenario({ mode: 'timeout-then-complete', delayMs: LATE_ANSWER_MS });

        const error = await rejectionOf(gateway.capture(payment, options(`${paymentId}:capture`)));
        expect(error).toBeInstanceOf(ProviderIndeterminateError);
        const status = await gateway.queryStatus(payment, options(`${paymentId}:query`));
        expect(status).toMatchObject({ state: 'completed', amount: bdt(AMOUNT) });
        expect(await gateway.capture(payment, options(`${paymentId}:capture`))).toMatchObject({ state: 'completed', transactionId: status.transactionId });
        expect(await ledger(session.gatewayReference, 'debit')).toHaveLength(1);
      });
    });

    describe('a payment that must not be paid', () => {
      it('is pending before the buyer acts, and capture then moves nothing', async () => {
        const { session, payment } = await newSession();
        expect(await gateway.capture(payment, options(`${payment.paymentId}:capture`))).toMatchObject({ state: 'pending' });
        expect(await gateway.queryStatus(payment, options(`${payment.paymentId}:query`))).toMatchObject({ state: 'pending' });
        expect(await ledger(session.gatewayReference, 'debit')).toHaveLength(0);
      });

      it.each([
        ['cancel', 'cancel', 'CANCELLED_BY_BUYER'],
        ['insufficient-balance', 'failure', 'INSUFFICIENT_FUNDS'],
        ['wrong-pin', 'failure', 'DECLINED'],
      ] as const)('buyer action %s: the return claims %s, the query says failed %s, capture is refused', async (action, claimed, failureCode) => {
        const { paymentId, session, payment } = await newSession();
        expect(await buyerReturns(paymentId, session, action)).toMatchObject({ claimed });

        expectFailed(await gateway.queryStatus(payment, options(`${paymentId}:query`)), failureCode);
        expectTerminal(await rejectionOf(gateway.capture(payment, options(`${paymentId}:capture`))), failureCode);
        expect(await ledger(session.gatewayReference, 'debit')).toHaveLength(0);
      });

      it('is failed DECLINED when the gateway declines an approval, and capture is refused', async () => {
        const { paymentId, session, payment } = await newSession();
        await simulator.scenario({ mode: 'decline' });
        expect(await buyerReturns(paymentId, session, 'approve')).toMatchObject({ claimed: 'failure' });

        expectFailed(await gateway.queryStatus(payment, options(`${paymentId}:query`)), 'DECLINED');
        expectTerminal(await rejectionOf(gateway.capture(payment, options(`${paymentId}:capture`))), 'DECLINED');
        expect(await ledger(session.gatewayReference, 'debit')).toHaveLength(0);
      });

      it('rejects an unknown (forged) gateway reference with ProviderTerminalError, for query and capture', async () => {
        const { paymentId } = ids();
        const forged = { paymentId, gatewayReference: `FORGED${Date.now()}` };
        expectTerminal(await rejectionOf(gateway.queryStatus(forged, options(`${paymentId}:query`))));
        expectTerminal(await rejectionOf(gateway.capture(forged, options(`${paymentId}:capture`))));
      });

      it("rejects another payment's reference presented as this payment's", async () => {
        const ours = await newSession();
        const theirs = await newSession(100);
        await buyerReturns(theirs.paymentId, theirs.session, 'approve');
        const swapped = { paymentId: ours.paymentId, gatewayReference: theirs.session.gatewayReference };
        expectTerminal(await rejectionOf(gateway.queryStatus(swapped, options(`${ours.paymentId}:query`))));
      });
    });

    describe('an unavailable gateway', () => {
      it('fails a query with ProviderRetryableError while it is down', async () => {
        const { payment } = await newSession();
        await simulator.scenario({ mode: 'down' });
        expect(await rejectionOf(gateway.queryStatus(payment, options(`${payment.paymentId}:query`)))).toBeInstanceOf(ProviderRetryableError);
      });
    });

    describe('refunds', () => {
      it('refunds part and then the rest; a third refund is refused', async () => {
        const paid = await capturedPayment();
        const first = await gateway.refund(refundOf(paid, 50_000), options('refund-1'));
        expect(first).toMatchObject({ state: 'succeeded', amount: bdt(50_000) });
        const rest = await gateway.refund(refundOf(paid, AMOUNT - 50_000), options('refund-2'));
        expect(rest).toMatchObject({ state: 'succeeded', amount: bdt(AMOUNT - 50_000) });

        expectTerminal(await rejectionOf(gateway.refund(refundOf(paid, 100), options('refund-3'))));
        const refunds = await ledger(paid.session.gatewayReference, 'refund');
        expect(refunds.map((entry) => entry.amountMinor)).toEqual([50_000, AMOUNT - 50_000]);
      });

      it('refuses to refund more than was paid, and pays nothing out', async () => {
        const paid = await capturedPayment();
        expectTerminal(await rejectionOf(gateway.refund(refundOf(paid, AMOUNT + 1), options('refund-too-much'))));
        expect(await ledger(paid.session.gatewayReference, 'refund')).toHaveLength(0);
      });

      it('reports an earlier refund through refundStatus', async () => {
        const paid = await capturedPayment();
        const request = refundOf(paid, 30_000);
        const refunded = await gateway.refund(request, options(request.refundId));
        const status = await gateway.refundStatus(request, options(request.refundId));
        expect(status).toMatchObject({ state: 'succeeded', amount: bdt(30_000) });
        expect(status.refundReference).toBe(refunded.refundReference);
      });

      it('after a refund that timed out (applied, answered late): indeterminate, then refundStatus says succeeded', async () => {
        const paid = await capturedPayment();
        const request = refundOf(paid, 20_000);
        await simulator.scenario({ mode: 'timeout-then-complete', delayMs: LATE_ANSWER_MS });

        expect(await rejectionOf(gateway.refund(request, options(request.refundId)))).toBeInstanceOf(ProviderIndeterminateError);
        expect(await gateway.refundStatus(request, options(request.refundId))).toMatchObject({ state: 'succeeded', amount: bdt(20_000) });
        expect(await ledger(paid.session.gatewayReference, 'refund')).toHaveLength(1);
      });
    });
  });
