import { ConflictError, ValidationError } from '../../../../../functions/_platform/errors';
import { createOrder } from '../../../../../functions/checkout/domain/order';
import type {
  GatewayPaymentStatus, PaymentGateway, PaymentResolutions, RefundResult, RefundWorkflow, RefundWorkflowInput, SagaCallback,
} from '../../../../../functions/payments/domain/ports';
import type { PaymentResult } from '../../../../../functions/payments/domain/model';
import type { PaymentSagaDeps } from '../../../../../functions/payments/domain/deps';
import { InMemoryCatalog, InMemoryStockLedger } from '../../../../support/in-memory/catalog';
import { InMemoryEventPublisher } from '../../../../support/in-memory/events';
import { InMemoryOrders } from '../../../../support/in-memory/orders';
import { InMemoryPaymentAttempts } from '../../../../support/in-memory/payment-attempts';

export const ORDER_ID = 'ord_01JD5Q7Y2X3W4V5U6T7S8R9Q0P';
export const PAYMENT_ID = 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0P_1';
export const ref = { orderId: ORDER_ID, paymentId: PAYMENT_ID };
export const AMOUNT = { value: 70000, currency: 'BDT' };
export const T0 = '2026-03-01T10:00:00.000Z';

/** PaymentResolutions over the in-memory attempts, with the DynamoDB adapter's conditions. */
export const inMemoryResolutions = (attempts: InMemoryPaymentAttempts): PaymentResolutions => ({
  async storeTaskToken(key, wait, at) {
    const current = await attempts.get(key);
    if (current && current.status !== 'pending') throw new ConflictError(`payment ${key.paymentId} is already ${current.status}`);
    const next = current
      ? { ...current, ...wait, updatedAt: at, version: current.version + 1 }
      : { ...key, status: 'pending' as const, ...wait, updatedAt: at, version: 1 };
    attempts.put(next);
    return next;
  },
  async record(key, resolution) {
    const current = await attempts.get(key);
    if (!current || current.status !== 'pending' || current.resolution) return { recorded: false, attempt: current };
    const next = { ...current, resolution, updatedAt: resolution.at, version: current.version + 1 };
    attempts.put(next);
    return { recorded: true, attempt: next };
  },
});

/** A SagaCallback that records every resume. */
export class RecordingSaga implements SagaCallback {
  readonly resumed: Array<{ taskToken: string; result: PaymentResult }> = [];
  async resume(taskToken: string, result: PaymentResult): Promise<boolean> {
    this.resumed.push({ taskToken, result });
    return true;
  }
}

/** A RefundWorkflow that records every start. */
export class RecordingWorkflow implements RefundWorkflow {
  readonly started: RefundWorkflowInput[] = [];
  async start(input: RefundWorkflowInput): Promise<void> {
    this.started.push(input);
  }
}

/** A gateway whose answers each test scripts; every call is recorded with its idempotency key. */
export class ScriptedGateway implements PaymentGateway {
  readonly id = 'bkash' as const;
  readonly calls: Array<{ method: string; idempotencyKey: string }> = [];
  status: Partial<GatewayPaymentStatus> = { state: 'pending' };
  captureAnswer: () => Promise<Partial<GatewayPaymentStatus>> = async () => this.status;
  refundAnswer: () => Promise<RefundResult> = async () => ({ state: 'succeeded', amount: AMOUNT, gatewayStatus: 'Completed' });
  refundStatusAnswer: () => Promise<RefundResult> = async () => ({ state: 'succeeded', amount: AMOUNT, gatewayStatus: 'Completed' });

  private full(status: Partial<GatewayPaymentStatus>): GatewayPaymentStatus {
    return { state: 'pending', gatewayReference: 'TR-1', gatewayStatus: String(status.state), amount: AMOUNT, ...status };
  }

  async createSession(): Promise<never> {
    throw new Error('not used by the saga');
  }

  parseReturn(query: Readonly<Record<string, string | undefined>>) {
    if (!query.paymentID) throw new ValidationError('not a return');
    return { gatewayReference: query.paymentID, claimed: 'success' as const };
  }

  async queryStatus(_payment: unknown, options: { idempotencyKey: string }) {
    this.calls.push({ method: 'queryStatus', idempotencyKey: options.idempotencyKey });
    return this.full(this.status);
  }

  async capture(_payment: unknown, options: { idempotencyKey: string }) {
    this.calls.push({ method: 'capture', idempotencyKey: options.idempotencyKey });
    return this.full(await this.captureAnswer());
  }

  async refund(_request: unknown, options: { idempotencyKey: string }) {
    this.calls.push({ method: 'refund', idempotencyKey: options.idempotencyKey });
    return this.refundAnswer();
  }

  async refundStatus(_request: unknown, options: { idempotencyKey: string }) {
    this.calls.push({ method: 'refundStatus', idempotencyKey: options.idempotencyKey });
    return this.refundStatusAnswer();
  }
}

/** Every port in memory, with one order of two units of one SKU waiting for payment PAYMENT_ID (described, pending). */
export const sagaWorld = () => {
  const attempts = new InMemoryPaymentAttempts();
  const orders = new InMemoryOrders();
  const catalog = new InMemoryCatalog([
    { sku: 'GAMCHA', title: 'Gamcha', sellerId: 's1', prices: [AMOUNT], stock: 3, weightGrams: 150, dimensionsCm: { l: 1, w: 1, h: 1 } },
  ]);
  const stock = new InMemoryStockLedger(catalog);
  const events = new InMemoryEventPublisher();
  const saga = new RecordingSaga();
  const gateway = new ScriptedGateway();
  const order = createOrder(
    {
      orderId: ORDER_ID,
      buyer: { name: 'Rahim', email: 'r@example.com', phone: '+8801712345678', address: { line1: 'House 12', city: 'Dhaka', postalCode: '1207', country: 'BD' } },
      items: [{ sku: 'GAMCHA', title: 'Gamcha', sellerId: 's1', quantity: 2, unitPrice: { value: 35000, currency: 'BDT' }, weightGrams: 150, dimensionsCm: { l: 1, w: 1, h: 1 } }],
      amount: AMOUNT,
      shipping: { serviceLevel: 'standard' },
      paymentMethod: 'bkash',
    },
    T0,
  );
  orders.orders.set(ORDER_ID, order);
  attempts.put({
    ...ref, status: 'pending', updatedAt: T0, version: 1,
    method: 'bkash', gateway: 'bkash', gatewayReference: 'TR-1', amount: AMOUNT, storeReturnUrl: 'https://shop.example/return',
  });
  const workflow = new RecordingWorkflow();
  const deps: PaymentSagaDeps & { refunds: RefundWorkflow } = {
    attempts, resolutions: inMemoryResolutions(attempts), saga, orders, stock, events, refunds: workflow,
    gateways: { get: (id) => (id === 'bkash' ? gateway : undefined) },
    clock: { now: () => new Date('2026-03-01T10:05:00.000Z') },
  };
  return { deps, attempts, orders, catalog, stock, events, saga, gateway, workflow };
};

export const sagaInput = { ...ref, gateway: 'bkash' as const, gatewayReference: 'TR-1', amount: AMOUNT, stockToRelease: [{ sku: 'GAMCHA', quantity: 2 }] };
