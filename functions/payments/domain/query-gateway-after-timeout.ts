import type { Money } from '../../_platform/money';
import { gatewayOf, type PaymentSagaDeps } from './deps';
import { AmountMismatchError } from './errors';
import type { PaymentAttemptRef, PaymentResult } from './model';
import { amountDiffers, resultOf } from './payment-result';
import type { GatewayId } from './ports';

export interface QueryGatewayAfterTimeout extends PaymentAttemptRef {
  gateway: GatewayId;
  gatewayReference: string;
  amount: Money;
}

/**
 * Saga step "QueryGatewayAfterTimeout": nobody sent a result before the wait ended, so the gateway is asked once
 * (a lost webhook or a buyer who never came back must not cancel a paid order). Its answer is the saga's result:
 * approved goes on to capture; a payment still pending when its session is over has EXPIRED. A different amount
 * throws AmountMismatchError (the saga compensates). Gateway errors are thrown for the state machine to retry.
 */
export const queryGatewayAfterTimeout = async (deps: Pick<PaymentSagaDeps, 'gateways'>, cmd: QueryGatewayAfterTimeout): Promise<PaymentResult> => {
  const gateway = gatewayOf(deps.gateways, cmd.gateway);
  const status = await gateway.queryStatus(
    { paymentId: cmd.paymentId, gatewayReference: cmd.gatewayReference },
    { idempotencyKey: `${cmd.paymentId}:query` },
  );
  if (amountDiffers(cmd.amount, status.amount)) throw new AmountMismatchError(cmd.paymentId, cmd.amount, status.amount);
  const result = resultOf(status);
  return result.outcome === 'pending' ? { outcome: 'pending', failureCode: 'EXPIRED' } : result;
};
