import { ConflictError } from '../../_platform/errors';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed';
/** Why an attempt failed, as API.md names it for the buyer and the storefront. */
export type PaymentFailureCode = 'EXPIRED' | 'DECLINED' | 'INSUFFICIENT_FUNDS' | 'CANCELLED_BY_BUYER' | 'PROCESSING_ERROR';

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
  providerReference?: string;
  failureCode?: PaymentFailureCode;
  updatedAt: string;
  version: number;
}

/** The key of an attempt. */
export interface PaymentAttemptRef {
  orderId: string;
  paymentId: string;
}

/**
 * Records the saga's task token on a pending attempt, creating the attempt if the saga got here first.
 * Storing the same token again changes nothing. Throws ConflictError once the attempt has settled.
 */
export const awaitResult = (
  current: PaymentAttempt | undefined,
  ref: PaymentAttemptRef,
  wait: { taskToken: string; awaitingUntil: string },
  now: string,
): PaymentAttempt => {
  if (!current) return { ...ref, status: 'pending', ...wait, updatedAt: now, version: 1 };
  if (current.status !== 'pending') {
    throw new ConflictError(`payment ${current.paymentId} is already ${current.status}`);
  }
  if (current.taskToken === wait.taskToken) return current;
  return { ...current, ...wait, updatedAt: now, version: current.version + 1 };
};

/**
 * Marks a pending attempt succeeded and forgets the task token. A repeat on a succeeded attempt changes nothing.
 * Throws ConflictError for a failed attempt: a late success after a failure needs a refund, not a flip.
 */
export const markSucceeded = (current: PaymentAttempt, providerReference: string | undefined, now: string): PaymentAttempt => {
  if (current.status === 'succeeded') return current;
  if (current.status === 'failed') {
    throw new ConflictError(`payment ${current.paymentId} already failed (${current.failureCode ?? 'no code'})`);
  }
  return {
    ...current,
    status: 'succeeded',
    taskToken: undefined,
    awaitingUntil: undefined,
    providerReference: providerReference ?? current.providerReference,
    updatedAt: now,
    version: current.version + 1,
  };
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
  return { ...current, status: 'failed', failureCode, taskToken: undefined, awaitingUntil: undefined, updatedAt: now, version: current.version + 1 };
};

// The Step Functions error names the saga can catch, and what the buyer is told. Gateways signal outcomes by
// throwing errors named `Payment.<Reason>` through SendTaskFailure.
const FAILURE_CODES: Readonly<Record<string, PaymentFailureCode>> = {
  'States.Timeout': 'EXPIRED',
  'States.HeartbeatTimeout': 'EXPIRED',
  'Payment.Declined': 'DECLINED',
  'Payment.InsufficientFunds': 'INSUFFICIENT_FUNDS',
  'Payment.CancelledByBuyer': 'CANCELLED_BY_BUYER',
};

/** The failure code for a caught Step Functions error name; anything unexpected is PROCESSING_ERROR. */
export const failureCodeOf = (errorName: string): PaymentFailureCode => FAILURE_CODES[errorName] ?? 'PROCESSING_ERROR';
