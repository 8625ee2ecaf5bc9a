import type { Money } from '../../_platform/money';
import type { PaymentResolution, PaymentResult } from './model';
import type { GatewayPaymentStatus } from './ports';

/**
 * The saga's view of a gateway status: approved and completed are `approved`; a failure always names its code
 * (DECLINED when the gateway gave none), so the saga's PaymentNotApproved state always has a Cause.
 */
export const resultOf = (status: GatewayPaymentStatus): PaymentResult => {
  switch (status.state) {
    case 'approved':
    case 'completed':
      return { outcome: 'approved', ...(status.transactionId !== undefined && { transactionId: status.transactionId }) };
    case 'failed':
      return { outcome: 'failed', failureCode: status.failureCode ?? 'DECLINED' };
    case 'pending':
      return { outcome: 'pending' };
  }
};

/** What the saga receives for a recorded resolution: the result without who recorded it and when. */
export const resultOfResolution = ({ outcome, failureCode, transactionId }: PaymentResolution): PaymentResult => ({
  outcome,
  ...(failureCode !== undefined && { failureCode }),
  ...(transactionId !== undefined && { transactionId }),
});

/** Whether the gateway reports a different amount than `expected` (no amount reported is no contradiction). */
export const amountDiffers = (expected: Money, reported: Money | undefined): reported is Money =>
  reported !== undefined && (reported.value !== expected.value || reported.currency !== expected.currency);
