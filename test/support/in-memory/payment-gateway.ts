import type {
  CreatePaymentSession,
  GatewayCallOptions,
  GatewayId,
  GatewayPaymentStatus,
  PaymentGateway,
  PaymentSession,
  RefundRequest,
  RefundResult,
  ReturnClaim,
} from '../../../functions/payments/domain/ports';

/**
 * A PaymentGateway in memory: sessions are idempotent on the call's idempotency key, every payment stays pending
 * until `complete` is called, and `createFailure` makes the next creations throw.
 */
export class FakePaymentGateway implements PaymentGateway {
  readonly sessions: Array<{ request: CreatePaymentSession; options: GatewayCallOptions; session: PaymentSession }> = [];
  private readonly completed = new Set<string>();
  createFailure: Error | undefined;

  constructor(readonly id: GatewayId = 'bkash') {}

  /** The buyer approved and the money moved. */
  complete(gatewayReference: string): void {
    this.completed.add(gatewayReference);
  }

  async createSession(request: CreatePaymentSession, options: GatewayCallOptions): Promise<PaymentSession> {
    if (this.createFailure) throw this.createFailure;
    const earlier = this.sessions.find((created) => created.options.idempotencyKey === options.idempotencyKey);
    if (earlier) return earlier.session;
    const gatewayReference = `${this.id.toUpperCase()}-${this.sessions.length + 1}`;
    const session = { gatewayReference, redirectUrl: `https://${this.id}.gateway.test/pay/${gatewayReference}` };
    this.sessions.push({ request: structuredClone(request), options, session });
    return session;
  }

  parseReturn(query: Readonly<Record<string, string | undefined>>): ReturnClaim {
    return { gatewayReference: query.reference ?? '', claimed: query.status === 'success' ? 'success' : 'failure' };
  }

  async queryStatus(payment: { paymentId: string; gatewayReference: string }): Promise<GatewayPaymentStatus> {
    const done = this.completed.has(payment.gatewayReference);
    return { state: done ? 'completed' : 'pending', gatewayReference: payment.gatewayReference, gatewayStatus: done ? 'Completed' : 'Initiated' };
  }

  async capture(payment: { paymentId: string; gatewayReference: string }): Promise<GatewayPaymentStatus> {
    return this.queryStatus(payment);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    return { state: 'succeeded', refundReference: `R-${request.refundId}`, amount: request.amount, gatewayStatus: 'Refunded' };
  }

  async refundStatus(request: RefundRequest): Promise<RefundResult> {
    return this.refund(request);
  }
}
