import { UnverifiedError } from '../../_platform/errors';
import type { Money } from '../../_platform/money';
import { AmountMismatchError } from './errors';
import type { PaymentResult } from './model';
import { amountDiffers } from './payment-result';
import type { GatewayId } from './ports';
import { recordVerifiedResult, type VerifiedResultDeps } from './record-verified-result';

/**
 * A gateway's notification about one of our payments, already authenticated by its adapter (the bKash IPN's SNS
 * signature). Authentic is not the same as ours or current: the use case still checks it against the attempt and
 * asks the gateway.
 */
export interface PaymentNotification {
  readonly gateway: GatewayId;
  /** Our payment id as the gateway echoes it (bKash: the merchant invoice number). */
  readonly paymentId: string;
  /** What the notification says was paid. */
  readonly amount?: Money;
  /** The gateway's transaction id, once money moved (bKash trxID). */
  readonly transactionId?: string;
}

export interface WebhookAnswer {
  /** The gateway's verified verdict (pending: nothing to record yet). */
  readonly outcome: PaymentResult['outcome'];
  /** Whether this notification recorded the result (false for a duplicate or one that came after the return). */
  readonly recorded: boolean;
}

/**
 * A gateway's webhook says something happened to a payment (`POST /v1/webhooks/{gateway}`). Refused, with nothing
 * written, when the payment is not ours or belongs to another gateway (UnverifiedError, 401), when the notified
 * amount is not the attempt's (AmountMismatchError, 422, before the gateway is asked), or when the gateway reports
 * another transaction than the notification names (401). Otherwise `recordVerifiedResult` asks the gateway and the
 * first of webhook and return records the result; a duplicate, or a notification after the saga settled the
 * attempt (bKash's IPN usually follows our own execute), changes nothing.
 */
export const acceptPaymentWebhook = async (deps: VerifiedResultDeps, notification: PaymentNotification): Promise<WebhookAnswer> => {
  const { paymentId } = notification;
  const { result, recorded } = await recordVerifiedResult(deps, {
    paymentId,
    source: 'webhook',
    verifyClaim(attempt) {
      if (attempt.gateway !== notification.gateway) throw new UnverifiedError(`payment ${paymentId} is not a ${notification.gateway} payment`);
      if (amountDiffers(attempt.amount, notification.amount)) throw new AmountMismatchError(paymentId, attempt.amount, notification.amount);
    },
    verifyStatus(status) {
      const { transactionId } = notification;
      if (transactionId !== undefined && status.transactionId !== undefined && transactionId !== status.transactionId) {
        throw new UnverifiedError(`the notification names another transaction than payment ${paymentId}'s`);
      }
    },
  });
  return { outcome: result.outcome, recorded };
};
