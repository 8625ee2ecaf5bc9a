import { ConflictError } from '../../_platform/errors';
import type { Money } from '../../_platform/money';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed';
/** Why an attempt failed, as API.md names it for the buyer and the storefront. */
export const PAYMENT_FAILURE_CODES = ['EXPIRED', 'DECLINED', 'INSUFFICIENT_FUNDS', 'CANCELLED_BY_BUYER', 'PROCESSING_ERROR', 'ORDER_CANCELLED'] as const;
export type PaymentFailureCode = (typeof PAYMENT_FAILURE_CODES)[number];

/**
 * The gateway's verified verdict, as the saga's AwaitPaymentResult step receives it (SendTaskSuccess output) and as
 * QueryGatewayAfterTimeout returns it. `approved` covers the gateway's approved and completed; a `failed` or `pending`
 * result always carries a failure code when it reaches the saga's PaymentNotApproved state.
 */
export interface PaymentResult {
  outcome: 'approved' | 'failed' | 'pending';
  failureCode?: PaymentFailureCode;
  transactionId?: string;
}

/** The first verified result recorded on an attempt (by the buyer's return or a webhook); written once, never changed. */
export interface PaymentResolution extends PaymentResult {
  outcome: 'approved' | 'failed';
  /** Who verified it: the buyer's return, the gateway's webhook, or the merchant cancelling the order. */
  source: 'return' | 'webhook' | 'cancel';
  at: string;
}

/**
 * One payment attempt of an order, as the payment saga sees it. `version` counts writes (1 on creation) and makes
 * every transition a conditional write, so two racing writers cannot both win.
 */
export interface PaymentAttempt {
  orderId: string;
  paymentId: string;
  status: PaymentStatus;
  /** The saga's task token while it waits for the gateway's result; cleared once the attempt settles. */
  taskToken?: string;
  /** When the saga stops waiting (ISO time). */
  awaitingUntil?: string;
  /** The first verified result; its writer (or the saga, if it stores its token later) resumes the saga. */
  resolution?: PaymentResolution;
  /** The gateway's transaction id once the money moved (bKash trxID, Nagad issuerPaymentRefNo). */
  transactionId?: string;
  /** When the money moved (a refund names the original payment's date at Nagad). */
  capturedAt?: string;
  /** The gateway took the money after the attempt had failed (the saga gave up): it is refunded, never kept. */
  lateCapture?: boolean;
  failureCode?: PaymentFailureCode;
  /** Set once the compensation has put the attempt's reserved stock back: it is put back at most once. */
  stockReleased?: boolean;
  /** The compensation's refund of a captured payment: `requested` before the call, `succeeded` once confirmed. */
  compensationRefund?: 'requested' | 'succeeded';
  updatedAt: string;
  version: number;
  /** Checkout's description of the attempt (read only here; absent when the saga got there first). */
  method?: string;
  gateway?: string;
  gatewayReference?: string;
  amount?: Money;
  storeReturnUrl?: string;
}

/** The key of an attempt. */
export interface PaymentAttemptRef {
  orderId: string;
  paymentId: string;
}

/** The attempt with one more write on it. */
export const nextVersion = (current: PaymentAttempt, changes: Partial<PaymentAttempt>, now: string): PaymentAttempt => ({
  ...current,
  ...changes,
  updatedAt: now,
  version: current.version + 1,
});

/**
 * Marks a pending attempt succeeded and forgets the task token. A repeat on a succeeded attempt changes nothing.
 * Throws ConflictError for a failed attempt: a late success after a failure needs a refund, not a flip.
 */
export const markSucceeded = (current: PaymentAttempt, capture: { transactionId?: string; capturedAt?: string }, now: string): PaymentAttempt => {
  if (current.status === 'succeeded') return current;
  if (current.status === 'failed') {
    throw new ConflictError(`payment ${current.paymentId} already failed (${current.failureCode ?? 'no code'})`);
  }
  return nextVersion(current, {
    status: 'succeeded',
    taskToken: undefined,
    awaitingUntil: undefined,
    transactionId: capture.transactionId ?? current.transactionId,
    capturedAt: capture.capturedAt ?? now,
  }, now);
};

/**
 * The gateway reports money taken on an attempt that already failed (the buyer completed after the saga gave up):
 * the attempt stays failed and records the transaction, so it can be refunded. A repeat changes nothing. Throws
 * ConflictError for an attempt that is not failed (a pending one is resolved the normal way).
 */
export const recordLateCapture = (current: PaymentAttempt, capture: { transactionId: string; capturedAt: string }, now: string): PaymentAttempt => {
  if (current.status !== 'failed') throw new ConflictError(`payment ${current.paymentId} is ${current.status}, not failed`);
  if (current.lateCapture) return current;
  return nextVersion(current, { lateCapture: true, transactionId: capture.transactionId, capturedAt: capture.capturedAt }, now);
};

/**
 * Marks an attempt failed with `failureCode`, creating it if it never got as far as waiting. A repeat changes
 * nothing (the first code stays). Throws ConflictError for a succeeded attempt: money was taken, so failing it
 * here would lose track of it.
 */
export const markFailed = (
  current: PaymentAttempt | undefined,
  ref: PaymentAttemptRef,
  failureCode: PaymentFailureCode,
  now: string,
): PaymentAttempt => {
  if (!current) return { ...ref, status: 'failed', failureCode, updatedAt: now, version: 1 };
  if (current.status === 'failed') return current;
  if (current.status === 'succeeded') {
    throw new ConflictError(`payment ${current.paymentId} already succeeded; it cannot be marked failed`);
  }
  return nextVersion(current, { status: 'failed', failureCode, taskToken: undefined, awaitingUntil: undefined }, now);
};

// The Step Functions error names the saga can catch, and what the buyer is told. A gateway's refusal during capture
// is thrown as `Payment.<Reason>` (PaymentRefusedError).
const FAILURE_CODES: Readonly<Record<string, PaymentFailureCode>> = {
  'States.Timeout': 'EXPIRED',
  'States.HeartbeatTimeout': 'EXPIRED',
  'Payment.Declined': 'DECLINED',
  'Payment.InsufficientFunds': 'INSUFFICIENT_FUNDS',
  'Payment.CancelledByBuyer': 'CANCELLED_BY_BUYER',
  'Payment.Expired': 'EXPIRED',
  'Payment.ProcessingError': 'PROCESSING_ERROR',
};

/** The Step Functions error name a gateway refusal with `code` is thrown under (`Payment.InsufficientFunds`). */
export const errorNameOf = (code: PaymentFailureCode): string =>
  Object.entries(FAILURE_CODES).find(([name, mapped]) => mapped === code && name.startsWith('Payment.'))?.[0] ?? 'Payment.ProcessingError';

const isFailureCode = (value: string | undefined): value is PaymentFailureCode =>
  value !== undefined && (PAYMENT_FAILURE_CODES as readonly string[]).includes(value);

/**
 * The failure code for a caught Step Functions error: `Payment.NotApproved` (the saga's PaymentNotApproved state)
 * carries the gateway's code as its Cause; anything unexpected is PROCESSING_ERROR.
 */
export const failureCodeOf = (error: { Error: string; Cause?: string }): PaymentFailureCode => {
  if (error.Error === 'Payment.NotApproved') return isFailureCode(error.Cause) ? error.Cause : 'DECLINED';
  return FAILURE_CODES[error.Error] ?? 'PROCESSING_ERROR';
};
