import { RuleViolationError } from '../../_platform/errors';
import type { Money } from '../../_platform/money';
import { errorNameOf, type PaymentFailureCode } from './model';

/** The gateway reports another amount than the attempt's: 422 AMOUNT_MISMATCH, nothing written. */
export class AmountMismatchError extends RuleViolationError {
  constructor(paymentId: string, expected: Money, reported: Money) {
    super('AMOUNT_MISMATCH', `the gateway reports another amount for payment ${paymentId}`, { expected, reported });
  }
}

/**
 * The gateway refused to move the money for good. Named `Payment.<Reason>` (`Payment.InsufficientFunds`), so the
 * saga's Catch sees the reason and the compensation records it (model.ts `failureCodeOf`).
 */
export class PaymentRefusedError extends Error {
  override readonly name: string;

  constructor(readonly failureCode: PaymentFailureCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = errorNameOf(failureCode);
  }
}
