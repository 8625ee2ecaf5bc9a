import type { Money } from '../../_platform/money';
import type { PaymentAttempt, PaymentAttemptRef, PaymentFailureCode, PaymentResolution, PaymentResult } from './model';

/** Where payment attempts live. */
export interface PaymentAttemptRepository {
  /** The attempt, read consistently, or undefined when there is none. */
  get(ref: PaymentAttemptRef): Promise<PaymentAttempt | undefined>;
  /**
   * Writes `attempt` if the stored one is still at `attempt.version - 1` (absent when `attempt.version` is 1).
   * Attributes the attempt leaves undefined are removed; attributes it does not know (written by other steps) stay.
   * Throws ConcurrentUpdateError when the condition fails.
   */
  save(attempt: PaymentAttempt): Promise<void>;
}

/**
 * The two single-write halves of handing a payment's verified result to the waiting saga: the first-writer-wins
 * record of the result (the return/webhook race is decided here) and the saga's task token. Each write bumps the
 * attempt's `version` and returns the attempt as written, so whichever of result and token lands second sees the
 * other, and exactly one side resumes the saga.
 */
export interface PaymentResolutions {
  /**
   * Records `resolution` in ONE conditional write, only if the attempt exists, is pending and has no resolution yet
   * (the write also bumps `version`, so a saga step that read the attempt before cannot overwrite it unknowingly).
   * `recorded` says whether this call won; `attempt` is the attempt after the write (or as it stands, when another
   * writer won), task token included: the winner resumes the saga with it if there is one.
   */
  record(ref: PaymentAttemptRef, resolution: PaymentResolution): Promise<{ recorded: boolean; attempt: PaymentAttempt | undefined }>;
  /**
   * Stores the saga's task token and deadline in ONE write, only while the attempt is pending (creating it, pending,
   * at version 1, when the saga gets there before checkout describes it). Returns the attempt as written: a
   * resolution recorded before is in it. Throws ConflictError once the attempt has settled.
   */
  storeTaskToken(ref: PaymentAttemptRef, wait: { taskToken: string; awaitingUntil: string }, at: string): Promise<PaymentAttempt>;
}

/** The waiting saga execution, addressed by its task token. */
export interface SagaCallback {
  /**
   * Sends `result` as the output of the task that issued `taskToken` (SendTaskSuccess). Resolves false when that task
   * is no longer waiting (it timed out or closed: the saga asks the gateway itself then); throws on anything else.
   */
  resume(taskToken: string, result: PaymentResult): Promise<boolean>;
}

/** Payment gateways Commerce Hub speaks to (one adapter file each under functions/payments/gateways/). */
export type GatewayId = 'bkash' | 'nagad';

/** Options of every gateway call. */
export interface GatewayCallOptions {
  /**
   * Stable per money movement, derived from the attempt and the step (`pay_…:execute`, `ref_…`), so a retried call
   * can never move money twice. Sent to the gateway where it supports one; otherwise the adapter relies on the
   * gateway's own duplicate detection (bKash 2062, Nagad's orderId) and says so.
   */
  readonly idempotencyKey: string;
}

export interface CreatePaymentSession {
  /** Our attempt id; used as the merchant invoice / order number at the gateway, so it is unique per attempt. */
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: Money;
  /** Absolute URL the gateway sends the buyer back to: our `/v1/payments/{paymentId}/return`. */
  readonly returnUrl: string;
  /** The buyer's IPv4 where the gateway wants it (Nagad's X-KM-IP-V4). */
  readonly buyerIp?: string;
}

/** What the buyer must do next: open the gateway's page. */
export interface PaymentSession {
  /** The gateway's id of this payment (bKash paymentID, Nagad paymentReferenceId). */
  readonly gatewayReference: string;
  readonly redirectUrl: string;
}

/** The gateway's view of a payment, from a server-side query (never from a redirect's query string alone). */
export interface GatewayPaymentStatus {
  /**
   * `pending`: the buyer has not finished; `approved`: the buyer approved and the money moves on capture (bKash
   * before execute); `completed`: the money moved; `failed`: declined, cancelled or expired (see failureCode).
   */
  readonly state: 'pending' | 'approved' | 'completed' | 'failed';
  readonly gatewayReference: string;
  /** The gateway's transaction id once money moved (bKash trxID, Nagad issuerPaymentRefNo). */
  readonly transactionId?: string;
  readonly amount?: Money;
  readonly failureCode?: PaymentFailureCode;
  /** The gateway's own status text, for the timeline and support. */
  readonly gatewayStatus: string;
}

/** What a buyer's return to `returnUrl` claims. Unsigned: only a hint of which payment to query. */
export interface ReturnClaim {
  readonly gatewayReference: string;
  readonly claimed: 'success' | 'failure' | 'cancel';
}

export interface RefundRequest {
  readonly refundId: string;
  readonly paymentId: string;
  readonly gatewayReference: string;
  readonly transactionId: string;
  readonly amount: Money;
  /** What the payment took; Nagad needs it beside the amount to refund. */
  readonly capturedAmount: Money;
  /** When the payment was made (Nagad needs the original date). */
  readonly paidAt: string;
  readonly reason: string;
}

export interface RefundResult {
  /** `pending`: accepted, not yet confirmed: ask refundStatus later; never report it as succeeded. */
  readonly state: 'succeeded' | 'pending' | 'failed';
  readonly refundReference?: string;
  readonly amount: Money;
  readonly gatewayStatus: string;
}

/**
 * A payment gateway. Every method throws ProviderRetryableError when the call certainly did not take effect,
 * ProviderIndeterminateError when it may have (ask `queryStatus` / `refundStatus` before anything else), and
 * ProviderTerminalError with a PaymentFailureCode in `details.failureCode` when the gateway refused for good.
 */
export interface PaymentGateway {
  readonly id: GatewayId;
  /** Creates the payment at the gateway for `amount`, in minor units of a currency the gateway takes (BDT). */
  createSession(request: CreatePaymentSession, options: GatewayCallOptions): Promise<PaymentSession>;
  /** Reads the buyer's return query string (what the gateway appended to returnUrl). Throws ValidationError when malformed. */
  parseReturn(query: Readonly<Record<string, string | undefined>>): ReturnClaim;
  /** The gateway's current view of the payment: the only thing a result is ever decided on. Safe to repeat. */
  queryStatus(payment: { paymentId: string; gatewayReference: string }, options: GatewayCallOptions): Promise<GatewayPaymentStatus>;
  /**
   * Moves the money of an approved payment where the gateway needs a server call (bKash execute); for a gateway that
   * completes on its own page (Nagad) it confirms completion through the status query. Repeating it after success
   * returns the completed payment (bKash 2062 is answered with a query), never a second debit.
   */
  capture(payment: { paymentId: string; gatewayReference: string }, options: GatewayCallOptions): Promise<GatewayPaymentStatus>;
  /** Refunds part or all of a completed payment. The gateway caps the total at what was paid. */
  refund(request: RefundRequest, options: GatewayCallOptions): Promise<RefundResult>;
  /** The gateway's view of an earlier refund (after a timeout or a pending answer). */
  refundStatus(request: RefundRequest, options: GatewayCallOptions): Promise<RefundResult>;
}

/** What a refund's workflow is started with: the refund is found on its order. */
export interface RefundWorkflowInput {
  orderId: string;
  refundId: string;
}

/** The refund workflow (one execution per refund, named after it): asks the gateway until the refund is settled. */
export interface RefundWorkflow {
  /** Starts it; a repeat for the same refund is harmless. Throws RefundNotStartedError when it certainly did not start. */
  start(input: RefundWorkflowInput): Promise<void>;
}

/** The refund workflow certainly did not start: nothing will ask the gateway for this refund. */
export class RefundNotStartedError extends Error {
  override readonly name = 'RefundNotStartedError';
}
