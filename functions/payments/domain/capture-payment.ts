import { ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError } from '../../_platform/errors';
import type { Money } from '../../_platform/money';
import { gatewayOf, type PaymentSagaDeps } from './deps';
import { PaymentRefusedError } from './errors';
import { PAYMENT_FAILURE_CODES, type PaymentAttemptRef, type PaymentFailureCode } from './model';
import type { GatewayId, GatewayPaymentStatus, PaymentGateway } from './ports';

/** The saga's input fields capture needs. */
export interface CapturePayment extends PaymentAttemptRef {
  gateway: GatewayId;
  gatewayReference: string;
  amount: Money;
}

/** What the saga keeps at `$.capture`: the compensation refunds exactly this if confirming fails. */
export interface PaymentCaptured {
  transactionId: string;
  amount: Money;
  capturedAt: string;
}

/** The failure code a gateway refusal carries (`details.failureCode`), PROCESSING_ERROR when it names none. */
const failureCodeOfRefusal = (error: ProviderTerminalError): PaymentFailureCode => {
  const code = (error.details as Record<string, unknown>).failureCode;
  return typeof code === 'string' && (PAYMENT_FAILURE_CODES as readonly string[]).includes(code) ? (code as PaymentFailureCode) : 'PROCESSING_ERROR';
};

const refused = (error: ProviderTerminalError): PaymentRefusedError =>
  new PaymentRefusedError(failureCodeOfRefusal(error), error.message, { cause: error });

/** Capture's answer when the call's outcome is unknown: the gateway's status decides, nothing is sent twice. */
const statusAfterUnknownCapture = async (gateway: PaymentGateway, payment: { paymentId: string; gatewayReference: string }) => {
  try {
    return await gateway.queryStatus(payment, { idempotencyKey: `${payment.paymentId}:query` });
  } catch (error) {
    if (error instanceof ProviderTerminalError) throw refused(error);
    throw error;
  }
};

/**
 * Saga step "CapturePayment": moves the money of an approved payment (bKash execute; Nagad confirms completion).
 * The idempotency key is stable (`<paymentId>:capture`), and a repeated capture is answered "already completed"
 * by the gateway, never with a second debit, so the state machine may retry this step.
 * - completed → `{ transactionId, amount, capturedAt }`;
 * - the outcome is unknown (ProviderIndeterminateError) → the gateway is asked: completed is success, a failure is a
 *   refusal, anything else is ProviderRetryableError (the state machine captures again);
 * - not completed yet → ProviderRetryableError; a refusal → PaymentRefusedError (`Payment.<Reason>`).
 */
export const capturePayment = async (deps: Pick<PaymentSagaDeps, 'gateways' | 'clock'>, cmd: CapturePayment): Promise<PaymentCaptured> => {
  const gateway = gatewayOf(deps.gateways, cmd.gateway);
  const payment = { paymentId: cmd.paymentId, gatewayReference: cmd.gatewayReference };
  let status: GatewayPaymentStatus;
  try {
    status = await gateway.capture(payment, { idempotencyKey: `${cmd.paymentId}:capture` });
  } catch (error) {
    if (error instanceof ProviderTerminalError) throw refused(error);
    if (!(error instanceof ProviderIndeterminateError)) throw error;
    status = await statusAfterUnknownCapture(gateway, payment);
  }
  if (status.state === 'failed') throw new PaymentRefusedError(status.failureCode ?? 'DECLINED', `${gateway.id} payment ${cmd.paymentId} is ${status.gatewayStatus}`);
  if (status.state !== 'completed') {
    throw new ProviderRetryableError(gateway.id, `${gateway.id} payment ${cmd.paymentId} is ${status.gatewayStatus} after capture; capture again`);
  }
  return {
    // A completed payment always has the gateway's transaction id; its own reference stands in should one omit it.
    transactionId: status.transactionId ?? status.gatewayReference,
    amount: status.amount ?? cmd.amount,
    capturedAt: deps.clock.now().toISOString(),
  };
};
